"""Institution logos: only an institution's admin uploads one; whatever the file holds, the
portal serves a small PNG it drew itself; anything that is not a PNG, JPEG or WebP image is
refused with a form error, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from alliances import logos
from portal.errors import DomainError
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def image_bytes(size=(200, 100), image_format="PNG", **save_options) -> bytes:
    output = io.BytesIO()
    Image.new("RGB", size, (29, 63, 143)).save(output, format=image_format, **save_options)
    return output.getvalue()


def upload(client, institution, data: bytes, name: str = "logo.png"):
    return client.post(
        reverse("alliances:institution_logo_upload", kwargs={"slug": institution.slug}),
        {"logo": SimpleUploadedFile(name, data)},
    )


def test_an_institution_admin_uploads_a_logo_that_is_served_as_a_redrawn_png(
    as_user, client, alice, institution_a
):
    jpeg_with_comment = image_bytes((1200, 600), "JPEG", comment=b"<script>x</script>")
    response = upload(as_user(alice), institution_a, jpeg_with_comment, "logo.jpg")
    assert response.status_code == 302
    served = client.get(reverse("alliances:institution_logo", kwargs={"slug": "uni-a"}))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    body = b"".join(served.streaming_content)
    assert b"<script>" not in body
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "PNG"
        assert image.size == (600, 300)  # drawn within 600 x 600, proportions kept
    assert AuditEvent.objects.filter(action="institution.logo_set").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "PNG, JPEG"),
        (b"%PDF-1.7 not an image", "PNG, JPEG"),
        (image_bytes((10, 10)), "at least 32 pixels"),
        (image_bytes(image_format="GIF"), "PNG, JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "PNG, JPEG"),
    ],
)
def test_files_that_are_not_usable_logos_are_refused_with_a_form_error(
    as_user, alice, institution_a, data, message
):
    response = upload(as_user(alice), institution_a, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    institution_a.refresh_from_db()
    assert not institution_a.logo


def test_a_logo_over_one_megabyte_is_refused():
    with pytest.raises(DomainError, match="at most 1 MB"):
        logos.redrawn_logo(b"\x89PNG" + b"\x00" * (logos.LOGO_MAX_BYTES + 1))


def test_staff_of_another_institution_cannot_set_the_logo(as_user, charlie, institution_a):
    response = upload(as_user(charlie), institution_a, image_bytes())
    assert response.status_code == 404
    institution_a.refresh_from_db()
    assert not institution_a.logo


def test_a_programme_manager_who_is_not_the_admin_cannot_set_it(as_user, bob, institution_a):
    response = upload(as_user(bob), institution_a, image_bytes())
    assert response.status_code == 404


def test_the_admin_removes_the_logo(as_user, client, alice, institution_a):
    upload(as_user(alice), institution_a, image_bytes())
    as_user(alice).post(
        reverse("alliances:institution_logo_upload", kwargs={"slug": "uni-a"}), {"remove": "1"}
    )
    served = client.get(reverse("alliances:institution_logo", kwargs={"slug": "uni-a"}))
    assert served.status_code == 404


def test_the_logo_shows_on_the_institution_page(as_user, client, alice, institution_a):
    page = client.get(reverse("alliances:institution_detail", kwargs={"slug": "uni-a"}))
    assert "/institutions/uni-a/logo.png" not in page.content.decode()
    upload(as_user(alice), institution_a, image_bytes())
    page = client.get(reverse("alliances:institution_detail", kwargs={"slug": "uni-a"}))
    assert "/institutions/uni-a/logo.png" in page.content.decode()
