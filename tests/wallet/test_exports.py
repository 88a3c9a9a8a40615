"""The sealed ELM / European Digital Credential export, the institution's seal certificate,
and the one-page PDF certificate with its QR code."""

from __future__ import annotations

import json
import re
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from credential_format import jades
from credential_format.elm import missing_elm_paths
from issuance import seals
from issuance.models import SealCertificate
from portal.errors import DomainError
from wallet import exports
from wallet.selectors import public_verification_url

pytestmark = pytest.mark.django_db

PASSWORD = "seal-password"


def _pkcs12(organisation: str = "Universitat A") -> bytes:
    return jades.export_pkcs12(
        jades.generate_self_signed_seal(organisation=organisation, country_code="ES"),
        PASSWORD.encode(),
    )


def test_the_sealed_elm_document_verifies(as_user, alice, institution_a, dana, dana_credential):
    seal = seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=_pkcs12(), password=PASSWORD
    )
    response = as_user(dana).get(
        reverse("wallet:credential_elm", kwargs={"uuid": dana_credential.uuid})
    )
    assert response.status_code == 200
    sealed = json.loads(response.content)
    certificate = seals.load_seal(seal).credentials.certificate
    verified = jades.verify_seal(sealed, trusted_certificates=[certificate])
    document = verified.payload_json()
    assert document["id"] == dana_credential.credential_id
    assert "EuropeanDigitalCredential" in document["type"]
    assert missing_elm_paths(document) == []
    assert document["validFrom"] == dana_credential.document["validFrom"]


def test_a_changed_elm_payload_fails_its_seal(alice, institution_a, dana_credential):
    seals.create_self_signed_seal(actor=alice, institution=institution_a)
    sealed = exports.sealed_elm_document(dana_credential)
    sealed["payload"] = sealed["payload"].replace("Data literacy", "Rocket science")
    with pytest.raises(jades.SealError):
        jades.verify_seal(sealed)


def test_the_seal_key_is_stored_only_wrapped(alice, institution_a):
    seal = seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=_pkcs12(), password=PASSWORD
    )
    stored = SealCertificate.objects.get(pk=seal.pk)
    assert stored.wrapped_private_key.startswith("akp1.")
    assert "PRIVATE KEY" not in stored.wrapped_private_key
    assert "PRIVATE KEY" not in stored.certificate_pem
    assert stored.is_self_signed
    assert "akp1" not in repr(stored)


def test_a_wrong_password_is_a_form_error(alice, institution_a):
    with pytest.raises(DomainError, match="password"):
        seals.upload_seal_certificate(
            actor=alice, institution=institution_a, pkcs12=_pkcs12(), password="wrong"
        )


def test_a_new_seal_replaces_the_old_one(alice, institution_a):
    first = seals.create_self_signed_seal(actor=alice, institution=institution_a)
    second = seals.upload_seal_certificate(
        actor=alice, institution=institution_a, pkcs12=_pkcs12(), password=PASSWORD
    )
    first.refresh_from_db()
    assert first.state == "retired"
    assert seals.active_seal(institution_a) == second


def test_a_seal_copied_to_another_institution_does_not_unwrap(alice, institution_a, institution_b):
    seal = seals.create_self_signed_seal(actor=alice, institution=institution_a)
    SealCertificate.objects.filter(pk=seal.pk).update(institution=institution_b)
    seal.refresh_from_db()
    with pytest.raises(DomainError):
        seals.load_seal(seal)


def test_the_admin_uploads_a_seal_and_the_page_says_it_is_self_signed(
    as_user, alice, institution_a
):
    client = as_user(alice)
    url = reverse("issuance:institution_seal", kwargs={"slug": institution_a.slug})
    response = client.post(
        url,
        {"pkcs12": SimpleUploadedFile("seal.p12", _pkcs12()), "password": PASSWORD},
        follow=True,
    )
    content = response.content.decode()
    assert "self-signed" in content
    assert "not a qualified electronic seal" in content
    assert seals.active_seal(institution_a) is not None


@pytest.mark.parametrize("outsider", ["charlie", "bob", "dana"])
def test_others_cannot_manage_an_institutions_seal(request, as_user, institution_a, outsider):
    user = request.getfixturevalue(outsider)
    url = reverse("issuance:institution_seal", kwargs={"slug": institution_a.slug})
    assert as_user(user).get(url).status_code == 404
    response = as_user(user).post(
        url, {"pkcs12": SimpleUploadedFile("seal.p12", _pkcs12()), "password": PASSWORD}
    )
    assert response.status_code == 404
    assert seals.active_seal(institution_a) is None


def test_without_a_seal_the_learner_is_told_what_to_do(as_user, dana, dana_credential):
    response = as_user(dana).get(
        reverse("wallet:credential_elm", kwargs={"uuid": dana_credential.uuid}), follow=True
    )
    assert "has not set up its electronic seal" in response.content.decode()


def _pdf_text(pdf: bytes) -> bytes:
    """The PDF's bytes with every Flate stream inflated (reportlab compresses page content)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_is_one_page_with_the_qr_target_and_the_elements(dana_credential):
    pdf = exports.certificate_pdf(dana_credential)
    assert pdf.startswith(b"%PDF")
    assert (
        pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type /Page>") >= 1
    )
    assert b"/Count 1" in pdf
    url = public_verification_url(dana_credential)
    assert url.encode() in pdf  # the QR code's link annotation
    assert url == f"https://portal.test/verify/credentials/{dana_credential.uuid}/"
    text = _pdf_text(pdf)
    assert b"dana@learner.example" not in text


def test_the_qr_code_encodes_the_verification_page(dana_credential, monkeypatch):
    encoded = []
    real_make = exports.segno.make
    monkeypatch.setattr(
        exports.segno,
        "make",
        lambda content, **kw: encoded.append(content) or real_make(content, **kw),
    )
    exports.certificate_pdf(dana_credential)
    assert encoded == [public_verification_url(dana_credential)]
