"""Verification for people (/verify) and machines (/api/v1/credentials/verify): every verdict
path, which institution's key signed, issuer trust, fail-closed status, and input limits."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from credential_format.keys import generate_private_key
from credential_format.signing import Ed25519Signer, add_proof, unsecured_document
from issuance import services
from tests.credential_format.foreign import STATUS_LIST_URL, foreign_credential, foreign_status_list
from tests.issuance.factories import as_issued_with_two_status_entries
from verification.verify import verify_credential_document, verify_presentation_document

pytestmark = pytest.mark.django_db


def _codes(result) -> set[str]:
    return {check.code for check in result.report.errors}


def test_a_credential_issued_here_is_valid_and_names_the_registered_institution(dana_credential):
    result = verify_credential_document(dana_credential.document)
    assert result.verdict == "valid"
    assert result.verified
    assert [signer.institution.legal_name for signer in result.signers] == ["Universitat A"]
    assert result.issuer.known
    assert result.issuer.alliances == ("Test Alliance",)
    assert result.summary.ects == "5"
    assert result.summary.eqf_level == "6"
    assert {skill.label for skill in result.summary.skills} == {
        "analyse big data",
        "utilise machine learning",
    }


def test_the_registered_name_wins_over_the_name_the_credential_claims(dana_credential):
    document = copy.deepcopy(dana_credential.document)
    result = verify_credential_document(document)
    assert result.issuer.institution.legal_name == "Universitat A"
    data = result.to_dict()
    assert data["issuer"]["registeredInstitution"]["name"] == "Universitat A"
    assert data["signers"][0]["registeredInstitution"]["name"] == "Universitat A"


def test_a_tampered_credential_is_invalid(dana_credential):
    document = copy.deepcopy(dana_credential.document)
    document["credentialSubject"]["achievement"]["name"] = "Doctorate in everything"
    result = verify_credential_document(document)
    assert result.verdict == "invalid"
    assert "PROOF_VERIFICATION_ERROR" in _codes(result)


def test_a_signature_by_another_key_under_the_institutions_name_is_invalid(dana_credential):
    (proof,) = dana_credential.document["proof"]
    method = proof["verificationMethod"]
    impostor = Ed25519Signer(generate_private_key(), method)
    forged = add_proof(unsecured_document(dana_credential.document), impostor)
    result = verify_credential_document(forged)
    assert result.verdict == "invalid"
    assert "PROOF_VERIFICATION_ERROR" in _codes(result)
    assert result.signers == []


def test_an_unknown_issuer_is_a_warning_not_an_error(foreign_documents):
    result = verify_credential_document(foreign_credential())
    assert result.verified
    assert result.verdict == "valid-with-warnings"
    warning = result.report.check("issuer-trust")
    assert warning.code == "UNKNOWN_ISSUER"
    assert "Hogeschool Elders" in warning.reason  # the claimed name, labelled as such
    assert result.issuer.institution is None


def test_a_revoked_credential_says_so(dana_credential, alice):
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Plagiarism")
    result = verify_credential_document(dana_credential.document)
    assert result.verdict == "revoked"
    assert "REVOKED" in _codes(result)


def test_a_suspended_credential_says_so(dana_credential, alice):
    as_issued_with_two_status_entries(dana_credential)
    services.suspend_credential(actor=alice, credential=dana_credential, reason="Complaint")
    result = verify_credential_document(dana_credential.document)
    assert result.verdict == "suspended"
    assert "SUSPENDED" in _codes(result)


def test_an_unreachable_status_list_is_never_reported_as_valid(foreign_documents):
    result = verify_credential_document(foreign_credential(with_status=True))
    assert not result.verified
    assert result.verdict == "unconfirmed"
    assert _codes(result) == {"STATUS_RETRIEVAL_ERROR"}
    assert STATUS_LIST_URL in foreign_documents.requested


def test_a_tampered_status_list_is_reported_as_invalid_list(foreign_documents):
    status_list = foreign_status_list()
    status_list["validFrom"] = "2024-01-01T00:00:00Z"
    foreign_documents.documents[STATUS_LIST_URL] = status_list
    result = verify_credential_document(foreign_credential(with_status=True))
    assert result.verdict == "invalid"
    assert _codes(result) == {"STATUS_VERIFICATION_ERROR"}


def test_a_foreign_status_list_that_verifies_is_checked(foreign_documents):
    foreign_documents.documents[STATUS_LIST_URL] = foreign_status_list(revoked=(1234,))
    result = verify_credential_document(foreign_credential(with_status=True))
    assert result.verdict == "revoked"


def test_an_expired_credential_is_reported_as_expired(foreign_documents):
    result = verify_credential_document(foreign_credential(valid_until="2025-06-01T00:00:00Z"))
    assert result.verdict == "expired"


def test_a_credential_from_the_future_is_not_valid_yet(foreign_documents):
    later = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    result = verify_credential_document(foreign_credential(issued_on=later))
    assert result.verdict == "not-yet-valid"


def test_malformed_json_is_invalid_with_a_parsing_error():
    result = verify_credential_document('{"@context": [')
    assert result.verdict == "invalid"
    assert [check.id for check in result.report.errors] == ["parse"]
    assert "not valid JSON" in result.report.errors[0].reason


def test_a_bundle_verifies_each_credential(dana_credential, foreign_documents):
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [dana_credential.document, foreign_credential()],
    }
    result = verify_presentation_document(presentation)
    assert result.verified
    assert [c.verdict for c in result.credentials] == ["valid", "valid-with-warnings"]
    assert result.report.check("holder-proof").code == "UNSIGNED_PRESENTATION"


# -- the page -----------------------------------------------------------------------------------


def test_a_visitor_pastes_a_credential_and_sees_the_verdict_and_the_elements(
    client, dana_credential
):
    response = client.post(
        reverse("verification:verify"), {"document": json.dumps(dana_credential.document)}
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Valid credential" in content
    assert "Universitat A" in content
    assert "analyse big data" in content
    assert "dana@learner.example" not in content


def test_a_visitor_uploads_a_file(client, dana_credential):
    upload = SimpleUploadedFile(
        "credential.json", json.dumps(dana_credential.document).encode(), "application/json"
    )
    response = client.post(reverse("verification:verify"), {"file": upload})
    assert "Valid credential" in response.content.decode()


def test_pasting_malformed_json_gives_a_form_error_not_a_500(client):
    response = client.post(reverse("verification:verify"), {"document": "{not json"})
    assert response.status_code == 200
    assert "This is not valid JSON" in response.content.decode()


@override_settings(CREDENTIAL_UPLOAD_MAX_BYTES=2_000)
def test_a_huge_upload_is_refused_with_a_clear_message(client):
    upload = SimpleUploadedFile("big.json", b"{" + b" " * 5_000 + b"}", "application/json")
    response = client.post(reverse("verification:verify"), {"file": upload})
    assert response.status_code == 200
    content = response.content.decode()
    assert "at most 2000 bytes" in content


def test_the_page_for_a_stored_credential_shows_the_report_without_the_email(
    client, dana_credential
):
    response = client.get(
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Valid credential" in content
    assert "Dana Learner" in content
    assert "dana@learner.example" not in content


def test_an_unknown_stored_credential_is_404(client):
    response = client.get(
        reverse(
            "verification:verify_stored_credential",
            kwargs={"uuid": "6f1f5f52-1d7d-4c61-9a43-0a4c4f1f0c11"},
        )
    )
    assert response.status_code == 404


# -- the API ------------------------------------------------------------------------------------


def test_the_api_verifies_without_sign_in(api_client, dana_credential):
    response = api_client.post(
        "/api/v1/credentials/verify",
        {"verifiableCredential": dana_credential.document},
        format="json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True
    assert body["verdict"] == "valid"
    assert body["signers"][0]["registeredInstitution"]["name"] == "Universitat A"
    assert {"checks", "warnings", "errors", "credential"} <= set(body)


def test_the_api_reports_a_tampered_credential(api_client, dana_credential):
    document = copy.deepcopy(dana_credential.document)
    document["validFrom"] = "2020-01-01T00:00:00Z"
    body = api_client.post(
        "/api/v1/credentials/verify", {"verifiableCredential": document}, format="json"
    ).json()
    assert body["verified"] is False
    assert body["errors"][0]["code"] == "PROOF_VERIFICATION_ERROR"


def test_the_api_refuses_a_missing_credential_as_a_problem(api_client):
    response = api_client.post("/api/v1/credentials/verify", {"nothing": 1}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


@override_settings(CREDENTIAL_UPLOAD_MAX_BYTES=2_000)
def test_the_api_refuses_a_huge_body_with_413(api_client):
    response = api_client.post(
        "/api/v1/credentials/verify",
        {"verifiableCredential": {"padding": "x" * 5_000}},
        format="json",
    )
    assert response.status_code == 413
    assert "at most 2000 bytes" in response.json()["detail"]


def test_the_api_verifies_presentations(api_client, dana_credential):
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [dana_credential.document],
    }
    body = api_client.post(
        "/api/v1/presentations/verify", {"verifiablePresentation": presentation}, format="json"
    ).json()
    assert body["verified"] is True
    assert body["credentials"][0]["verdict"] == "valid"


def test_the_api_is_rate_limited(api_client, dana_credential, monkeypatch, settings):
    from rest_framework.throttling import ScopedRateThrottle

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"credential-verify": "2/minute"})
    statuses = [
        api_client.post(
            "/api/v1/credentials/verify", {"verifiableCredential": {}}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses[-1] == 429
