"""The VC-API verifiers (/vc-api/credentials/verify, /vc-api/presentations/verify): 200 when a
document verifies, 422 with an RFC 9457 problem that keeps the whole report when it does not,
400 for a body that is not a VC-API request; public and rate-limited like the portal's API."""

from __future__ import annotations

import copy

import pytest
from rest_framework.test import APIClient

from credential_format.contexts import CREDENTIALS_V2_URL

pytestmark = pytest.mark.django_db


def _post(path: str, body) -> object:
    return APIClient().post(path, body, format="json")


def test_a_valid_credential_is_200_with_the_report(dana_credential):
    response = _post(
        "/vc-api/credentials/verify", {"verifiableCredential": dana_credential.document}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["verified"] is True
    assert body["errors"] == []
    assert body["issuer"]["registeredInstitution"]["name"] == "Universitat A"


def test_a_tampered_credential_is_422_with_the_plain_language_report(dana_credential):
    tampered = copy.deepcopy(dana_credential.document)
    tampered["credentialSubject"]["name"] = "Mallory"
    response = _post("/vc-api/credentials/verify", {"verifiableCredential": tampered})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["verified"] is False
    assert body["verdict"] == "invalid"
    assert any(error["id"].startswith("proof[") for error in body["errors"])
    assert "did not verify" in body["detail"]
    assert body["checks"]


def test_the_portals_own_api_keeps_answering_200_with_the_report(dana_credential):
    tampered = copy.deepcopy(dana_credential.document)
    tampered["credentialSubject"]["name"] = "Mallory"
    response = _post("/api/v1/credentials/verify", {"verifiableCredential": tampered})
    assert response.status_code == 200
    assert response.json()["verified"] is False


@pytest.mark.parametrize(
    "body",
    [{}, {"verifiableCredential": "not an object"}, {"credential": {"@context": []}}],
)
def test_a_body_that_is_not_a_vc_api_request_is_400(body):
    response = _post("/vc-api/credentials/verify", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_presentation_is_verified_with_each_credential(dana_credential):
    presentation = {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [dana_credential.document],
    }
    response = _post("/vc-api/presentations/verify", {"verifiablePresentation": presentation})
    assert response.status_code == 200, response.json()["errors"]
    assert response.json()["credentials"][0]["verified"] is True


def test_a_presentation_without_the_vc_context_first_is_422():
    presentation = {
        "@context": ["https://www.w3.org/ns/credentials/examples/v2"],
        "type": ["VerifiablePresentation"],
    }
    response = _post("/vc-api/presentations/verify", {"verifiablePresentation": presentation})
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "PARSING_ERROR"


def test_a_presentation_made_for_another_challenge_is_422(dana_credential):
    presentation = {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": [dana_credential.document],
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "verificationMethod": "did:key:z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E"
            "#z6MkhWqdDBPojHA7cprTGTt5yHv5yUi1B8cnXn8ReLumkw6E",
            "proofPurpose": "authentication",
            "challenge": "old-challenge",
            "proofValue": "z" + "1" * 80,
        },
    }
    response = _post(
        "/vc-api/presentations/verify",
        {"verifiablePresentation": presentation, "options": {"challenge": "fresh-challenge"}},
    )
    assert response.status_code == 422


def test_verification_shares_the_portal_apis_per_client_limit(monkeypatch, settings):
    from rest_framework.throttling import ScopedRateThrottle

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"credential-verify": "3/minute"})
    body = {"verifiableCredential": {}}
    statuses = [
        _post("/api/v1/credentials/verify", body).status_code,
        _post("/vc-api/credentials/verify", body).status_code,
        _post("/vc-api/presentations/verify", {"verifiablePresentation": {}}).status_code,
        _post("/vc-api/credentials/verify", body).status_code,
    ]
    assert statuses == [200, 422, 422, 429]
