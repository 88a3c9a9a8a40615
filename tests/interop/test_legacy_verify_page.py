"""The public verify page (and the verify API) check Open Badges 2.0 assertions made by an
implementation the portal did not write (the `jose` JWS library, in
tests/interop/js/legacy_credentials.mjs): signed assertions pasted or uploaded, hosted ones
pasted or by link, with the verification the wallet's import uses, reported like every other
credential. Bad input is a form error or a 400 problem, never a 500."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.interop.test_legacy_imports import (
    ISSUER,
    KEY,
    _tampered,
    assertion,
    hosted_assertion,
    made_elsewhere,
    ob2_world,
)
from tests.interop.test_legacy_imports import pytestmark as legacy_marks

pytestmark = legacy_marks


def _verify_page(**data: Any) -> str:
    response = Client().post(reverse("verification:verify"), data)
    assert response.status_code == 200
    return response.content.decode()


def _verdict(html: str) -> str:
    found = re.search(r'<p class="verdict-title">(.*?)</p>', html, re.S)
    return found.group(1).strip() if found else ""


@pytest.fixture
def signed(foreign_documents) -> dict[str, Any]:
    made = made_elsewhere({"action": "ob2-signed", "assertion": assertion(), "alg": "ES256"})
    ob2_world(foreign_documents, made["publicKeyPem"])
    return made


@pytest.mark.parametrize("alg", ["RS256", "ES256"])
def test_a_pasted_signed_assertion_is_verified(foreign_documents, alg):
    made = made_elsewhere({"action": "ob2-signed", "assertion": assertion(), "alg": alg})
    ob2_world(foreign_documents, made["publicKeyPem"])
    html = _verify_page(document=made["jws"])
    # Valid, with the warning that the issuer is not in the alliance registry.
    assert _verdict(html) == "Valid credential, with warnings"
    assert "Teamwork (Open Badges 2.0)" in html
    assert "Badge Academy" in html
    assert "Open Badges 2.0 signed assertion" in html
    assert ISSUER in html


def test_an_uploaded_signed_assertion_is_verified(signed):
    upload = SimpleUploadedFile("badge.jws", signed["jws"].encode(), "application/jose")
    html = _verify_page(file=upload)
    assert _verdict(html) == "Valid credential, with warnings"
    assert "Teamwork (Open Badges 2.0)" in html


def test_a_tampered_signed_assertion_is_not_valid(signed):
    html = _verify_page(document=_tampered(signed["jws"]))
    assert _verdict(html) == "Not valid: do not rely on this credential"
    assert "The signature of the assertion does not verify." in html
    assert "Teamwork (Open Badges 2.0)" not in html


def test_a_revoked_signed_assertion_is_reported_revoked(foreign_documents):
    made = made_elsewhere({"action": "ob2-signed", "assertion": assertion(), "alg": "RS256"})
    ob2_world(foreign_documents, made["publicKeyPem"], revoked=[assertion()["id"]])
    html = _verify_page(document=made["jws"])
    assert _verdict(html) == "Revoked: this credential is no longer valid"


def test_an_unreachable_issuer_key_is_unconfirmed_not_invalid(signed, foreign_documents):
    del foreign_documents.documents[KEY]
    html = _verify_page(document=signed["jws"])
    assert _verdict(html) == "Could not be checked completely: do not rely on it yet"


@pytest.mark.parametrize(
    "text",
    [
        "eyJhbGciOiJSUzI1NiJ9.eyJub3QiOiJqc29u.c2lnbmF0dXJl",  # payload is not JSON
        "eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiQmFkZ2VDbGFzcyJ9.c2ln",  # not an assertion
    ],
)
def test_a_malformed_signed_assertion_is_a_form_error(text):
    html = _verify_page(document=text)
    assert _verdict(html) == ""
    assert "This is not a readable Open Badges 2.0 signed assertion" in html


def test_an_unsigned_assertion_is_not_valid():
    html = _verify_page(document="eyJhbGciOiJub25lIn0.eyJ0eXBlIjoiQXNzZXJ0aW9uIn0.")
    assert _verdict(html) == "Not valid: do not rely on this credential"
    assert "Only RS256 and ES256 signed assertions are accepted." in html


def test_a_pasted_hosted_assertion_is_verified(foreign_documents):
    ob2_world(foreign_documents, "unused")
    foreign_documents.documents[hosted_assertion()["id"]] = hosted_assertion()
    html = _verify_page(document=json.dumps(hosted_assertion()))
    assert _verdict(html) == "Valid credential, with warnings"
    assert "Open Badges 2.0 hosted assertion" in html
    assert "Teamwork (Open Badges 2.0)" in html


def test_a_hosted_assertion_is_verified_by_its_link(foreign_documents, monkeypatch):
    ob2_world(foreign_documents, "unused")
    foreign_documents.documents[hosted_assertion()["id"]] = hosted_assertion()
    monkeypatch.setattr("verification.sources._document_fetcher", lambda: foreign_documents)
    html = _verify_page(url=hosted_assertion()["id"])
    assert _verdict(html) == "Valid credential, with warnings"


def test_the_verify_api_answers_a_signed_assertion_and_refuses_a_malformed_one(signed):
    client = Client()
    upload = SimpleUploadedFile("badge.jws", signed["jws"].encode(), "application/jose")
    report = client.post("/api/v1/credentials/verify-source", {"file": upload}).json()
    assert report["verdict"] == "valid-with-warnings"
    assert report["credential"]["title"] == "Teamwork (Open Badges 2.0)"
    assert report["issuer"]["id"] == ISSUER
    broken = SimpleUploadedFile("badge.jws", b"eyJhbGciOiJSUzI1NiJ9.eyJ.x", "application/jose")
    response = client.post("/api/v1/credentials/verify-source", {"file": broken})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
