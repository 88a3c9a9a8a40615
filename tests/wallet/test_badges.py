"""Badge images: named in new credentials, served at a stable address, uploaded by the
programme's staff only; baked badges carry the signed credential and verify from the image."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from catalogue.models import ProgrammeBadge
from credential_format import baking
from portal.models import AuditEvent
from verification.verify import verify_credential_document

pytestmark = pytest.mark.django_db


def png(width: int = 128, height: int = 128, image_format: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format=image_format)
    return out.getvalue()


def badge_url(credential) -> str:
    return reverse("catalogue:version_badge", kwargs={"pk": credential.programme_version_id})


def test_a_new_credential_names_its_badge_image(client, dana_credential):
    image = dana_credential.document["credentialSubject"]["achievement"]["image"]
    assert image["type"] == "Image"
    assert image["id"] == f"https://portal.test{badge_url(dana_credential)}"
    assert image["caption"] == dana_credential.document["credentialSubject"]["achievement"]["name"]
    assert verify_credential_document(dana_credential.document).verdict == "valid"
    response = client.get(badge_url(dana_credential))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<script" not in response.content
    # Drawn the same way every time.
    assert client.get(badge_url(dana_credential)).content == response.content
    assert client.get(badge_url(dana_credential) + "?format=png")["Content-Type"] == "image/png"


def test_the_programme_manager_uploads_a_badge_that_replaces_the_drawn_one(
    as_user, alice, dana_credential
):
    programme = dana_credential.programme_version.programme
    page = reverse("catalogue:programme_badge", kwargs={"pk": programme.pk})
    response = as_user(alice).post(page, {"image": io.BytesIO(png())}, follow=True)
    assert response.status_code == 200
    assert ProgrammeBadge.objects.filter(programme=programme).exists()
    served = as_user(None).get(badge_url(dana_credential))
    assert served["Content-Type"] == "image/png"
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.size == (128, 128)
    assert AuditEvent.objects.filter(action="programme.badge_uploaded").exists()
    as_user(alice).post(page, {"remove": "1"})
    assert not ProgrammeBadge.objects.filter(programme=programme).exists()


def test_another_institutions_staff_and_learners_cannot_change_the_badge(
    as_user, charlie, dana, dana_credential
):
    programme = dana_credential.programme_version.programme
    page = reverse("catalogue:programme_badge", kwargs={"pk": programme.pk})
    for user in (charlie, dana):
        assert as_user(user).post(page, {"image": io.BytesIO(png())}).status_code == 404
    assert not ProgrammeBadge.objects.exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (png(image_format="JPEG"), "PNG"),
        (png(16, 16), "between"),
        (b"\x89PNG\r\n\x1a\nbroken", "not a readable PNG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "PNG"),
    ],
)
def test_a_bad_upload_is_refused_with_a_reason(as_user, alice, dana_credential, upload, message):
    programme = dana_credential.programme_version.programme
    page = reverse("catalogue:programme_badge", kwargs={"pk": programme.pk})
    response = as_user(alice).post(page, {"image": io.BytesIO(upload)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ProgrammeBadge.objects.exists()


@pytest.mark.parametrize("image_format", ["png", "svg"])
def test_the_learner_downloads_a_baked_badge_that_verifies(
    as_user, dana, dana_credential, image_format
):
    url = reverse(f"wallet:credential_baked_{image_format}", kwargs={"uuid": dana_credential.uuid})
    response = as_user(dana).get(url)
    assert response.status_code == 200
    credential = json.loads(baking.unbake(response.content))
    assert credential == dana_credential.document
    assert verify_credential_document(credential).verdict == "valid"


def test_only_the_holder_downloads_the_baked_badge(as_user, eve, alice, dana_credential):
    url = reverse("wallet:credential_baked_png", kwargs={"uuid": dana_credential.uuid})
    assert as_user(eve).get(url).status_code == 404
    assert as_user(None).get(url).status_code == 302


def test_the_badge_is_shown_on_the_wallet_and_the_check_page(as_user, dana, dana_credential):
    wallet = as_user(dana).get(reverse("wallet:wallet")).content.decode()
    assert badge_url(dana_credential) in wallet
    check = as_user(None).get(
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    )
    assert badge_url(dana_credential) in check.content.decode()


def test_a_pathway_credential_names_the_pathways_badge(as_user, alice, institution_a, dana):
    from tests.issuance.factories import issue_pathway_credential

    stacked = issue_pathway_credential(alice, institution_a, dana)
    url = reverse("catalogue:pathway_badge", kwargs={"slug": "data-path"})
    assert stacked.document["credentialSubject"]["achievement"]["image"]["id"].endswith(url)
    served = as_user(None).get(url)
    assert served["Content-Type"] == "image/svg+xml"
    assert b"Data pathway" in served.content
    baked = as_user(dana).get(reverse("wallet:credential_baked_png", kwargs={"uuid": stacked.uuid}))
    assert json.loads(baking.unbake(baked.content)) == stacked.document
    assert url in as_user(dana).get(reverse("wallet:wallet")).content.decode()
