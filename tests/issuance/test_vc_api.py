"""The VC-API issuer of an institution: OAuth2 client credentials with scopes, the institution
boundary, what is signed, and revocation/suspension through the status endpoint."""

from __future__ import annotations

import hashlib
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, set_token_value
from rest_framework.test import APIClient

from credential_format.contexts import CREDENTIALS_V2_URL
from credential_format.signing import add_proof, unsecured_document
from issuance.models import VcApiCredential
from issuance.signing_keys import signer_for_institution
from issuance.vc_api import issuer_ids

pytestmark = pytest.mark.django_db


def _stored(token: str):
    """The stored access token (kept only as a checksum of the token)."""
    return AccessToken.objects.filter(token_checksum=hashlib.sha256(token.encode()).hexdigest())


def _token_for(institution) -> str:
    out = io.StringIO()
    call_command("vc_api_token", institution.slug, stdout=out)
    return out.getvalue().strip()


def _client(token: str | None = None) -> APIClient:
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def _credential(issuer: str, **extra) -> dict:
    return {
        "@context": [CREDENTIALS_V2_URL],
        "id": f"urn:uuid:{uuid.uuid4()}",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "credentialSubject": {"id": "did:example:learner", "name": "Ada Lovelace"},
        **extra,
    }


def _issue(token: str, institution, credential: dict, **options):
    return _client(token).post(
        f"/vc-api/institutions/{institution.slug}/credentials/issue",
        {"credential": credential, "options": options},
        format="json",
    )


def _verify(document: dict):
    return _client().post(
        "/vc-api/credentials/verify", {"verifiableCredential": document}, format="json"
    )


def test_the_command_prints_a_token_of_a_client_of_that_institution(institution_a):
    plain = _token_for(institution_a)
    token = _stored(plain).get()
    assert token.token == ""  # never stored in plain
    assert token.application.vc_api_client.institution == institution_a
    assert set(token.scope.split()) == {"credentials:issue", "credentials:status"}
    assert token.expires > timezone.now()


def test_the_command_with_json_names_both_issuer_identifiers(institution_a):
    out = io.StringIO()
    call_command("vc_api_token", institution_a.slug, "--json", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["didWeb"].endswith(":institutions:uni-a")
    assert printed["didKey"].startswith("did:key:z6Mk")


@pytest.mark.parametrize("as_did_key", [True, False])
def test_an_issued_credential_is_signed_by_the_institution_and_verifies(institution_a, as_did_key):
    ids = issuer_ids(institution_a)
    issuer = ids.did_key if as_did_key else ids.did_web
    response = _issue(_token_for(institution_a), institution_a, _credential(issuer))
    assert response.status_code == 201, response.json()
    signed = response.json()["verifiableCredential"]
    assert signed["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert signed["proof"]["verificationMethod"].startswith(f"{issuer}#")
    assert signed["credentialStatus"]["statusPurpose"] == "revocation"
    verified = _verify(signed)
    assert verified.status_code == 200, verified.json()["errors"]
    assert verified.json()["verified"] is True


def test_options_created_sets_the_proof_time(institution_a):
    ids = issuer_ids(institution_a)
    response = _issue(
        _token_for(institution_a),
        institution_a,
        _credential(ids.did_key),
        created="2025-01-15T10:00:00Z",
    )
    assert response.json()["verifiableCredential"]["proof"]["created"] == "2025-01-15T10:00:00Z"


def test_without_a_token_issuing_is_refused_with_401(institution_a):
    ids = issuer_ids(institution_a)
    response = _issue("", institution_a, _credential(ids.did_key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_an_expired_or_unknown_token_is_refused(institution_a):
    token = _token_for(institution_a)
    _stored(token).update(expires=timezone.now() - timedelta(minutes=1))
    ids = issuer_ids(institution_a)
    assert _issue(token, institution_a, _credential(ids.did_key)).status_code == 401
    assert _issue("not-a-token", institution_a, _credential(ids.did_key)).status_code == 401


def test_a_client_of_one_institution_cannot_issue_for_another(institution_a, institution_b):
    token_a = _token_for(institution_a)
    ids_b = issuer_ids(institution_b)
    response = _issue(token_a, institution_b, _credential(ids_b.did_key))
    assert response.status_code == 403
    assert not VcApiCredential.objects.filter(institution=institution_b).exists()


def test_a_client_cannot_issue_in_another_institutions_name(institution_a, institution_b):
    ids_b = issuer_ids(institution_b)
    response = _issue(_token_for(institution_a), institution_a, _credential(ids_b.did_key))
    assert response.status_code == 400
    assert response.json()["code"] == "issuer_mismatch"


def test_a_token_without_the_issue_scope_is_refused(institution_a):
    token = _token_for(institution_a)
    _stored(token).update(scope="credentials:status")
    ids = issuer_ids(institution_a)
    assert _issue(token, institution_a, _credential(ids.did_key)).status_code == 403


def test_a_token_of_an_application_that_is_no_vc_api_client_is_refused(institution_a):
    application = Application.objects.create(
        name="someone else",
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
    )
    foreign = AccessToken(
        application=application,
        expires=timezone.now() + timedelta(hours=1),
        scope="credentials:issue credentials:status",
    )
    set_token_value(foreign, "foreign-token")
    foreign.save()
    ids = issuer_ids(institution_a)
    assert _issue("foreign-token", institution_a, _credential(ids.did_key)).status_code == 403


def test_a_registered_client_gets_a_token_by_the_client_credentials_grant(institution_a):
    out = io.StringIO()
    call_command("vc_api_client", institution_a.slug, "--name", "Registrar", stdout=out)
    printed = dict(line.split("=", 1) for line in out.getvalue().split())
    granted = APIClient().post(
        "/vc-api/oauth2/token",
        {
            "grant_type": "client_credentials",
            "client_id": printed["client_id"],
            "client_secret": printed["client_secret"],
            "scope": "credentials:issue",
        },
    )
    assert granted.status_code == 200, granted.content
    token = granted.json()["access_token"]
    ids = issuer_ids(institution_a)
    assert _issue(token, institution_a, _credential(ids.did_key)).status_code == 201
    wrong_secret = APIClient().post(
        "/vc-api/oauth2/token",
        {
            "grant_type": "client_credentials",
            "client_id": printed["client_id"],
            "client_secret": "guessed",
        },
    )
    assert wrong_secret.status_code == 401


@pytest.mark.parametrize(
    "change",
    [
        {"credentialSubject": {}},
        {"credentialStatus": {"id": "https://example.com/status/1#3"}},
        {"credentialSchema": {"type": "JsonSchema"}},
        {"relatedResource": [{"id": "https://example.com/resource"}]},
        {"@context": ["https://example.com/unknown-context"]},
        {"validFrom": "yesterday"},
        {"proof": {"type": "DataIntegrityProof"}},
    ],
)
def test_a_credential_that_breaks_the_data_model_is_refused_with_the_reason(institution_a, change):
    ids = issuer_ids(institution_a)
    response = _issue(_token_for(institution_a), institution_a, _credential(ids.did_key, **change))
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"]


def test_a_body_that_is_not_json_is_refused(institution_a):
    response = _client(_token_for(institution_a)).post(
        f"/vc-api/institutions/{institution_a.slug}/credentials/issue",
        "credential=x",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415


def _status(token: str, institution, credential_id: str, purpose: str, status):
    return _client(token).post(
        f"/vc-api/institutions/{institution.slug}/credentials/status",
        {
            "credentialId": credential_id,
            "credentialStatus": [
                {"type": "BitstringStatusListEntry", "statusPurpose": purpose, "status": status}
            ],
        },
        format="json",
    )


def test_revoking_through_the_status_endpoint_makes_verification_fail(institution_a):
    token = _token_for(institution_a)
    ids = issuer_ids(institution_a)
    signed = _issue(token, institution_a, _credential(ids.did_key)).json()["verifiableCredential"]
    response = _status(token, institution_a, signed["id"], "revocation", True)
    assert response.status_code == 200, response.json()
    assert response.json() == {"credentialId": signed["id"], "revoked": True, "suspended": False}
    verified = _verify(signed)
    assert verified.status_code == 422
    assert verified.json()["verdict"] == "revoked"
    assert _status(token, institution_a, signed["id"], "revocation", False).status_code == 409


def _as_issued_with_two_status_entries(institution, signed: dict) -> dict:
    """`signed` as the VC-API issued credentials before each carried one status entry: with the
    suspension entry at the same position, re-signed."""
    revocation = signed["credentialStatus"]
    suspension_list = revocation["statusListCredential"].replace("/revocation", "/suspension")
    suspension = {
        **revocation,
        "id": revocation["id"].replace("/revocation", "/suspension"),
        "statusPurpose": "suspension",
        "statusListCredential": suspension_list,
    }
    document = {**unsecured_document(signed), "credentialStatus": [revocation, suspension]}
    VcApiCredential.objects.filter(credential_id=signed["id"]).update(carries_suspension_entry=True)
    return add_proof(document, signer_for_institution(institution))


def test_suspending_and_reinstating_a_credential_issued_with_a_suspension_entry(institution_a):
    token = _token_for(institution_a)
    ids = issuer_ids(institution_a)
    issued = _issue(token, institution_a, _credential(ids.did_web)).json()["verifiableCredential"]
    signed = _as_issued_with_two_status_entries(institution_a, issued)
    assert _verify(signed).status_code == 200
    assert _status(token, institution_a, signed["id"], "suspension", "true").status_code == 200
    assert _verify(signed).json()["verdict"] == "suspended"
    assert _status(token, institution_a, signed["id"], "suspension", False).status_code == 200
    assert _verify(signed).status_code == 200


def test_a_credential_with_one_status_entry_cannot_be_suspended(institution_a):
    token = _token_for(institution_a)
    ids = issuer_ids(institution_a)
    signed = _issue(token, institution_a, _credential(ids.did_web)).json()["verifiableCredential"]
    response = _status(token, institution_a, signed["id"], "suspension", True)
    assert response.status_code == 409
    assert "no suspension status entry" in response.json()["detail"]
    assert VcApiCredential.objects.get(credential_id=signed["id"]).suspended_at is None
    assert _verify(signed).status_code == 200


def test_a_client_cannot_change_the_status_of_another_institutions_credential(
    institution_a, institution_b
):
    token_b = _token_for(institution_b)
    ids_b = issuer_ids(institution_b)
    signed = _issue(token_b, institution_b, _credential(ids_b.did_key)).json()[
        "verifiableCredential"
    ]
    token_a = _token_for(institution_a)
    assert _status(token_a, institution_b, signed["id"], "revocation", True).status_code == 403
    assert _status(token_a, institution_a, signed["id"], "revocation", True).status_code == 404
    assert VcApiCredential.objects.get(credential_id=signed["id"]).revoked_at is None


def test_a_token_without_the_status_scope_cannot_revoke(institution_a):
    token = _token_for(institution_a)
    ids = issuer_ids(institution_a)
    signed = _issue(token, institution_a, _credential(ids.did_key)).json()["verifiableCredential"]
    _stored(token).update(scope="credentials:issue")
    assert _status(token, institution_a, signed["id"], "revocation", True).status_code == 403


def test_status_lists_of_did_key_credentials_are_issued_by_that_did_key(institution_a):
    ids = issuer_ids(institution_a)
    signed = _issue(_token_for(institution_a), institution_a, _credential(ids.did_key)).json()[
        "verifiableCredential"
    ]
    url = signed["credentialStatus"]["statusListCredential"]
    path = url.split("://", 1)[1].split("/", 1)[1]
    status_list = APIClient().get(f"/{path}", HTTP_ACCEPT="application/ld+json")
    assert status_list["Content-Type"] == "application/ld+json"
    assert status_list.json()["issuer"] == ids.did_key
    assert status_list.json()["proof"]["verificationMethod"].startswith(ids.did_key)
    assert APIClient().get(f"/{path}")["Content-Type"] == "application/vc"


def test_a_credential_nested_too_deep_is_refused_before_any_processing(institution_a):
    ids = issuer_ids(institution_a)
    nested: dict = {"name": "leaf"}
    for _ in range(200):
        nested = {"child": nested}
    response = _issue(
        _token_for(institution_a),
        institution_a,
        _credential(ids.did_key, credentialSubject={"id": "did:example:x", "deep": nested}),
    )
    assert response.status_code == 400
    assert not VcApiCredential.objects.exists()
