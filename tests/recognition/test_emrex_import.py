"""Importing an EMREX/ELMO transcript of records as evidence for a recognition request: its
learning opportunities are read and reported in the pre-assessment, and an XML signature is
checked (signed with signxml, an implementation we did not write)."""

from __future__ import annotations

import datetime
import re

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree
from signxml import XMLSigner

from recognition import services
from recognition.models import RecognitionRequest
from tests.recognition.elmo_schema import ELMO
from tests.recognition.factories import submit

OFFICIAL_EXAMPLE = (ELMO / "example.xml").read_bytes()


def _unsigned() -> bytes:
    """The official example without its (illustrative) signature."""
    return re.sub(rb"<Signature xmlns=.*?</Signature>", b"", OFFICIAL_EXAMPLE, flags=re.S)


def _signed(document: bytes) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "University of Oslo")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    signed = XMLSigner().sign(
        etree.fromstring(document),
        key=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
        cert=certificate.public_bytes(serialization.Encoding.PEM).decode(),
    )
    return etree.tostring(signed)


def _upload(api_as, user, request, content: bytes):
    return api_as(user).post(
        f"/api/v1/recognition/requests/{request.pk}/transcripts/",
        {"file": SimpleUploadedFile("elmo.xml", content, content_type="application/xml")},
        format="multipart",
    )


@pytest.fixture
def request_b(dana, institution_b, course_b):
    return submit(dana, institution_b, course_b)


def test_an_unsigned_transcript_lists_its_learning_opportunities_and_is_marked_unsigned(
    dana, carol, request_b, api_as
):
    response = _upload(api_as, dana, request_b, _unsigned())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signature"] == "unsigned"
    assert body["learner_name"] == "Wojciech Łukasz Rygielski"
    compiler = next(
        item for item in body["learning_opportunities"] if item["title"] == "Compiler construction"
    )
    assert (compiler["code"], compiler["ects"], compiler["grade"]) == ("1000-217bMRJ", "6", "45.1")
    assert compiler["issuer"] == "University of Warsaw"
    assert compiler["result_distribution"]["40-59.9"] == 198
    # The officer sees it, and the pre-assessment reports it.
    listed = api_as(carol).get(f"/api/v1/recognition/requests/{request_b.pk}/transcripts/")
    assert listed.status_code == 200
    assert len(listed.json()) == 1
    services.run_preassessment(request_id=request_b.pk)
    checks = RecognitionRequest.objects.get(pk=request_b.pk).checks["checks"]
    [entry] = [check for check in checks if check["id"] == "transcript-1"]
    assert entry["outcome"] == "warning"
    assert any(
        item["title"] == "Compiler construction"
        for item in entry["evidence"]["learning_opportunities"]
    )


def test_a_signed_transcript_is_checked_and_a_changed_one_fails(dana, request_b, api_as):
    signed = _signed(_unsigned())
    response = _upload(api_as, dana, request_b, signed)
    assert response.status_code == 201, response.content
    assert response.json()["signature"] == "valid"
    assert "University of Oslo" in response.json()["signer"]
    tampered = signed.replace(
        b"<resultLabel>45.1</resultLabel>", b"<resultLabel>95.1</resultLabel>"
    )
    assert tampered != signed
    changed = _upload(api_as, dana, request_b, tampered)
    assert changed.json()["signature"] == "invalid"
    services.run_preassessment(request_id=request_b.pk)
    checks = RecognitionRequest.objects.get(pk=request_b.pk).checks["checks"]
    outcomes = {check["id"]: check["outcome"] for check in checks}
    assert (outcomes["transcript-1"], outcomes["transcript-2"]) == ("info", "failed")


def test_only_the_learner_adds_transcripts_and_other_institutions_see_none(
    dana, eve, bob, carol, request_b, api_as
):
    for outsider in (eve, bob, carol):
        assert _upload(api_as, outsider, request_b, _unsigned()).status_code == 404
    assert (
        api_as(bob).get(f"/api/v1/recognition/requests/{request_b.pk}/transcripts/").status_code
        == 404
    )


@pytest.mark.parametrize(
    "content",
    [
        b"not xml at all",
        b"<elmo/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b'<elmo xmlns="https://github.com/emrex-eu/elmo-schemas/tree/v1">&e;</elmo>',
    ],
)
def test_a_file_that_is_not_a_transcript_is_refused_with_a_problem(
    dana, request_b, api_as, content
):
    response = _upload(api_as, dana, request_b, content)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_elmo"
