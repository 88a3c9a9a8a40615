"""A revoked or suspended credential: the wallet shows its status everywhere and makes no new
share link, LinkedIn entry or clean certificate; links made before keep showing the status."""

from __future__ import annotations

import pytest
from django.urls import reverse
from reportlab.pdfgen import canvas

from issuance import services
from portal.errors import ConflictError
from tests.issuance.factories import as_issued_with_two_status_entries
from wallet import exports, sharing
from wallet import selectors as wallet
from wallet.models import ShareLink

pytestmark = pytest.mark.django_db

WITHDRAW = {
    "revoked": services.revoke_credential,
    "suspended": services.suspend_credential,
}


@pytest.fixture(params=sorted(WITHDRAW))
def withdrawn(request, alice, dana_credential):
    as_issued_with_two_status_entries(dana_credential)
    WITHDRAW[request.param](actor=alice, credential=dana_credential, reason="Exam irregularity")
    dana_credential.refresh_from_db()
    return request.param, dana_credential


def test_no_new_share_link_through_the_service_the_page_or_the_api(
    as_user, api_as, dana, withdrawn
):
    _status, credential = withdrawn
    with pytest.raises(ConflictError):
        sharing.create_share_link(learner=dana, name="Acme", credentials=[credential])
    as_user(dana).post(
        reverse("wallet:share_link_create"),
        {"name": "Acme", "credentials": [f"issued:{credential.uuid}"]},
    )
    response = api_as(dana).post(
        "/api/v1/wallet/share-links/",
        {"name": "Acme", "credentials": [str(credential.uuid)]},
        format="json",
    )
    assert response.status_code == 409
    assert "cannot be shared" in response.json()["detail"]
    assert not ShareLink.objects.exists()


def test_the_credential_page_shows_the_status_and_offers_no_linkedin_or_share(
    as_user, dana, withdrawn
):
    status, credential = withdrawn
    assert wallet.linkedin_add_url(credential) is None
    page = (
        as_user(dana)
        .get(reverse("wallet:wallet_credential", kwargs={"uuid": credential.uuid}))
        .content.decode()
    )
    assert status.capitalize() in page
    assert "linkedin.com" not in page
    assert reverse("wallet:share_link_create") not in page
    assert "marked with the status" in page
    overview = as_user(dana).get(reverse("wallet:wallet")).content.decode()
    assert status.capitalize() in overview


def test_the_certificate_is_marked_with_the_status(monkeypatch, withdrawn):
    status, credential = withdrawn
    marks: list[str] = []
    real = canvas.Canvas.drawCentredString
    monkeypatch.setattr(
        canvas.Canvas,
        "drawCentredString",
        lambda self, x, y, text, *a, **kw: marks.append(text) or real(self, x, y, text, *a, **kw),
    )
    exports.certificate_pdf(credential)
    assert marks == [status.upper()]


def test_a_valid_certificate_carries_no_mark(monkeypatch, dana_credential):
    marks: list[str] = []
    monkeypatch.setattr(canvas.Canvas, "drawCentredString", lambda self, *a, **kw: marks.append(a))
    exports.certificate_pdf(dana_credential)
    assert marks == []


def test_a_link_made_before_shows_the_status(client, alice, dana, dana_credential):
    as_issued_with_two_status_entries(dana_credential)
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    services.suspend_credential(actor=alice, credential=dana_credential, reason="Under review")
    page = client.get(reverse("wallet:shared", kwargs={"token": link.token})).content.decode()
    assert "Suspended" in page
