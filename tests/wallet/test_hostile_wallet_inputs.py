"""Inputs that used to end in a server error on the OpenID4VCI endpoints: JSON nested deeper
than Python recurses, a key proof whose issue time (iat) is too large for a date, a body
larger than the portal reads into memory. Each is a 4xx with a clear message."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client, override_settings

from credential_format.key_proofs import (
    PROOF_TYPE,
    KeyProofError,
    did_key_verification_method,
    verify_key_proof_jwt,
)
from credential_format.keys import generate_private_key
from tests.wallet.test_oid4vci import ISSUER, WalletClient
from wallet import oid4vci

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def proof_with_iat(key, iat, nonce: str) -> str:
    header = {"typ": PROOF_TYPE, "alg": "EdDSA", "kid": did_key_verification_method(key)}
    payload = {"aud": ISSUER, "iat": iat, "nonce": nonce}
    signing_input = (
        f"{_b64url(json.dumps(header).encode())}.{_b64url(json.dumps(payload).encode())}"
    )
    return f"{signing_input}.{_b64url(key.sign(signing_input.encode()))}"


def test_deep_json_on_the_credential_endpoint_is_a_400():
    response = Client(raise_request_exception=False).post(
        "/oid4vci/credential", DEEP, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_credential_request"


@pytest.mark.parametrize("iat", [10**20, -(10**20), 1e308, 10**400])
def test_a_key_proof_with_an_impossible_iat_is_refused(iat):
    key = generate_private_key()
    with pytest.raises(KeyProofError, match="iat"):
        verify_key_proof_jwt(proof_with_iat(key, iat, "n"), audience=ISSUER, nonce="n")


def test_a_huge_iat_on_the_credential_endpoint_is_invalid_proof(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    wallet.http = Client(raise_request_exception=False)
    token = wallet.token(created.payload()).json()
    proof = proof_with_iat(wallet.key, 10**20, wallet.nonce())
    response = wallet.http.post(
        "/oid4vci/credential",
        json.dumps(
            {"credential_configuration_id": oid4vci.CONFIGURATION_ID, "proofs": {"jwt": [proof]}}
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token['access_token']}",
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_proof"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_credential_request_larger_than_the_portal_reads_is_a_413():
    body = json.dumps({"padding": "x" * 2000})
    response = Client(raise_request_exception=False).post(
        "/oid4vci/credential", body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.json()["error"] == "invalid_credential_request"
