"""OpenID4VCI pre-authorized code flow through the views: the issuer's refusals, single use,
expiry and what the delivered credential carries. The wallet here only drives the endpoints
step by step; that an independent wallet library receives a credential is shown by
tests/interop/test_openid4vci_wallet.py."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from credential_format.key_proofs import sign_key_proof_jwt
from credential_format.keys import did_key_for, generate_private_key
from credential_format.signing import proofs_of
from issuance import services
from portal.models import AuditEvent
from verification.verify import verify_credential_document
from wallet import oid4vci
from wallet.models import WalletOffer

pytestmark = pytest.mark.django_db

ISSUER = "https://portal.test"


class WalletClient:
    """A minimal OpenID4VCI wallet: holds an Ed25519 did:key, follows an offer."""

    def __init__(self):
        self.key = generate_private_key()
        self.did = did_key_for(self.key)
        self.http = Client()

    @staticmethod
    def parse_offer(uri: str) -> dict:
        assert uri.startswith("openid-credential-offer://?")
        return json.loads(parse_qs(urlsplit(uri).query)["credential_offer"][0])

    def metadata(self, issuer: str) -> dict:
        path = urlsplit(issuer).path + "/.well-known/openid-credential-issuer"
        return self.http.get(path).json()

    def token(self, offer: dict, tx_code: str | None = None):
        grant = offer["grants"][oid4vci.PRE_AUTHORIZED_GRANT]
        data = {
            "grant_type": oid4vci.PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": grant["pre-authorized_code"],
        }
        if tx_code is not None:
            data["tx_code"] = tx_code
        return self.http.post("/oid4vci/token", data)

    def nonce(self) -> str:
        return self.http.post("/oid4vci/nonce").json()["c_nonce"]

    def credential(
        self,
        access_token: str,
        nonce: str,
        *,
        audience: str = ISSUER,
        key=None,
        configuration: str = oid4vci.CONFIGURATION_ID,
    ):
        proof = sign_key_proof_jwt(key or self.key, audience=audience, nonce=nonce)
        return self.http.post(
            "/oid4vci/credential",
            json.dumps({"credential_configuration_id": configuration, "proofs": {"jwt": [proof]}}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {access_token}",
        )

    def receive(self, uri: str, tx_code: str | None = None) -> dict:
        offer = self.parse_offer(uri)
        metadata = self.metadata(offer["credential_issuer"])
        assert oid4vci.CONFIGURATION_ID in metadata["credential_configurations_supported"]
        token = self.token(offer, tx_code).json()
        response = self.credential(token["access_token"], self.nonce())
        assert response.status_code == 200, response.json()
        return response.json()["credentials"][0]["credential"]


def _offer_from_page(client, credential, **data) -> tuple[str, str | None]:
    response = client.post(
        reverse("wallet:wallet_offer_create", kwargs={"uuid": credential.uuid}), data
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    content = unescape(response.content.decode())
    uri = re.search(r'href="(openid-credential-offer://[^"]+)"', content).group(1)
    tx = re.search(r'class="tx-code">(\d+)<', content)
    return uri, tx.group(1) if tx else None


def test_metadata_describes_the_issuer_and_the_ldp_vc_configuration(client):
    metadata = client.get("/.well-known/openid-credential-issuer").json()
    assert metadata["credential_issuer"] == ISSUER
    assert metadata["credential_endpoint"] == f"{ISSUER}/oid4vci/credential"
    configuration = metadata["credential_configurations_supported"][oid4vci.CONFIGURATION_ID]
    assert configuration["format"] == "ldp_vc"
    assert configuration["cryptographic_binding_methods_supported"] == ["did:key"]
    assert "jwt" in configuration["proof_types_supported"]
    # OpenID4VCI 1.0: how to show the credential sits under credential_metadata.
    assert configuration["credential_metadata"]["display"][0]["name"]
    assert "display" not in configuration
    assert metadata["nonce_endpoint"] == f"{ISSUER}/oid4vci/nonce"
    server = client.get("/.well-known/oauth-authorization-server").json()
    assert server["token_endpoint"] == f"{ISSUER}/oid4vci/token"


def test_a_wallet_receives_the_credential_bound_to_its_did(as_user, dana, dana_credential):
    uri, tx_code = _offer_from_page(as_user(dana), dana_credential)
    assert tx_code is None
    wallet = WalletClient()
    delivered = wallet.receive(uri)
    assert delivered["credentialSubject"]["id"] == wallet.did
    assert delivered["id"] == dana_credential.credential_id
    assert delivered["credentialStatus"] == dana_credential.document["credentialStatus"]
    assert (
        proofs_of(delivered)[0]["proofValue"]
        != proofs_of(dana_credential.document)[0]["proofValue"]
    )
    result = verify_credential_document(delivered)
    assert result.verdict == "valid"
    assert result.signers[0].institution.legal_name == "Universitat A"
    offer = WalletOffer.objects.get()
    assert offer.holder_did == wallet.did
    assert offer.delivered_at is not None
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "wallet_offer.created",
        "wallet_offer.token_issued",
        "wallet_offer.delivered",
    } <= actions


def test_revoking_the_original_revokes_the_wallets_copy(as_user, alice, dana, dana_credential):
    uri, _ = _offer_from_page(as_user(dana), dana_credential)
    delivered = WalletClient().receive(uri)
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    assert verify_credential_document(delivered).verdict == "revoked"


def test_the_transaction_code_is_required_and_attempts_are_limited(as_user, dana, dana_credential):
    uri, tx_code = _offer_from_page(as_user(dana), dana_credential, with_tx_code="on")
    assert tx_code is not None
    assert len(tx_code) == 6
    wallet = WalletClient()
    offer = wallet.parse_offer(uri)
    assert offer["grants"][oid4vci.PRE_AUTHORIZED_GRANT]["tx_code"]["length"] == 6
    wrong = wallet.token(offer, "000000" if tx_code != "000000" else "111111")
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    assert WalletOffer.objects.get().failed_tx_code_attempts == 1
    assert wallet.receive(uri, tx_code)["credentialSubject"]["id"] == wallet.did


def test_too_many_wrong_transaction_codes_void_the_offer(dana, dana_credential):
    created = oid4vci.create_wallet_offer(
        learner=dana, credential=dana_credential, with_tx_code=True
    )
    wallet = WalletClient()
    offer = created.payload()
    wrong = "999999" if created.tx_code != "999999" else "888888"
    for _ in range(oid4vci.MAX_TX_CODE_ATTEMPTS):
        wallet.token(offer, wrong)
    response = wallet.token(offer, created.tx_code)
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_an_offer_works_once(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    assert wallet.token(created.payload()).json()["error"] == "invalid_grant"
    assert wallet.credential(token["access_token"], wallet.nonce()).status_code == 200
    again = wallet.credential(token["access_token"], wallet.nonce())
    assert again.status_code == 400
    assert again.json()["error"] == "credential_request_denied"


def test_an_expired_offer_is_refused(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    WalletOffer.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = WalletClient().token(created.payload())
    assert response.json()["error"] == "invalid_grant"


def test_an_expired_access_token_is_refused(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    WalletOffer.objects.update(access_token_expires_at=timezone.now() - timedelta(seconds=1))
    response = wallet.credential(token["access_token"], wallet.nonce())
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"


def test_a_made_up_nonce_is_refused_and_one_from_the_nonce_endpoint_works(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    assert "c_nonce" not in token
    response = wallet.credential(token["access_token"], "made-up")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_nonce"
    assert AuditEvent.objects.filter(action="wallet_offer.proof_refused").exists()
    assert wallet.credential(token["access_token"], wallet.nonce()).status_code == 200


def test_the_nonce_endpoint_needs_no_access_token(client):
    first = client.post("/oid4vci/nonce")
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    assert first.json()["c_nonce"] != client.post("/oid4vci/nonce").json()["c_nonce"]


def test_an_expired_nonce_is_refused(settings, dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    nonce = wallet.nonce()
    settings.WALLET_NONCE_SECONDS = -1
    assert wallet.credential(token["access_token"], nonce).json()["error"] == "invalid_nonce"


def test_an_unknown_configuration_gets_the_error_the_specification_names(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    response = wallet.credential(token["access_token"], wallet.nonce(), configuration="Diploma")
    assert response.status_code == 400
    assert response.json()["error"] == "unknown_credential_configuration"


def test_a_missing_or_unexpected_transaction_code_is_a_malformed_request(dana, dana_credential):
    protected = oid4vci.create_wallet_offer(
        learner=dana, credential=dana_credential, with_tx_code=True
    )
    wallet = WalletClient()
    missing = wallet.token(protected.payload())
    assert missing.json()["error"] == "invalid_request"
    assert WalletOffer.objects.get(pk=protected.offer.pk).failed_tx_code_attempts == 0
    open_offer = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    unexpected = wallet.token(open_offer.payload(), "123456")
    assert unexpected.json()["error"] == "invalid_request"


def test_a_proof_for_another_issuer_is_refused(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    response = wallet.credential(token["access_token"], wallet.nonce(), audience="https://evil")
    assert response.json()["error"] == "invalid_proof"
    assert AuditEvent.objects.filter(action="wallet_offer.proof_refused").exists()


def test_a_request_without_a_proof_is_refused(dana, dana_credential):
    created = oid4vci.create_wallet_offer(learner=dana, credential=dana_credential)
    wallet = WalletClient()
    token = wallet.token(created.payload()).json()
    response = wallet.http.post(
        "/oid4vci/credential",
        json.dumps({"credential_configuration_id": oid4vci.CONFIGURATION_ID}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token['access_token']}",
    )
    assert response.json()["error"] == "invalid_proof"


def test_other_grants_and_garbage_are_refused(client):
    response = client.post("/oid4vci/token", {"grant_type": "client_credentials"})
    assert response.json()["error"] == "unsupported_grant_type"
    response = client.post(
        "/oid4vci/token", {"grant_type": oid4vci.PRE_AUTHORIZED_GRANT, "pre-authorized_code": "x"}
    )
    assert response.json()["error"] == "invalid_grant"
    response = client.post("/oid4vci/credential", "[1,2", content_type="application/json")
    assert response.status_code == 400


def test_a_revoked_credential_gets_no_offer(as_user, alice, dana, dana_credential):
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    response = as_user(dana).post(
        reverse("wallet:wallet_offer_create", kwargs={"uuid": dana_credential.uuid}), follow=True
    )
    assert "Only a valid credential" in response.content.decode()
    assert not WalletOffer.objects.exists()


def test_only_hashes_of_the_secrets_are_stored(dana, dana_credential):
    created = oid4vci.create_wallet_offer(
        learner=dana, credential=dana_credential, with_tx_code=True
    )
    stored = WalletOffer.objects.get()
    values = json.dumps(list(WalletOffer.objects.values().get().values()), default=str)
    assert created.pre_authorized_code not in values
    assert stored.code_hash != created.pre_authorized_code
    assert stored.tx_code_hash
    assert stored.tx_code_hash != created.tx_code
