"""Delivering credentials to standards-based mobile wallets: OpenID for Verifiable Credential
Issuance 1.0, pre-authorized code flow, format ``ldp_vc``.

1. The learner asks for an offer for one of their valid credentials; the page shows it as a QR
   code and an ``openid-credential-offer://`` link (optionally protected by a transaction code
   shown next to it). Offers expire after ``WALLET_OFFER_SECONDS`` and work once.
2. The wallet exchanges the pre-authorized code (and transaction code) at the token endpoint
   for a short-lived access token, and asks the nonce endpoint (open to anyone, as the
   specification requires) for a ``c_nonce``.
3. The wallet proves possession of its did:key (a ``jwt`` key proof with ``aud`` = this issuer
   and ``nonce`` = the ``c_nonce``) at the credential endpoint and receives the credential
   bound to its DID (``credentialSubject.id``), freshly signed by the issuing institution
   (and by the partners that co-signed the original) with the same status list entries, so
   revoking the credential revokes the wallet's copy too.

Only hashes of the pre-authorized code, the transaction code and the access token are
stored. A ``c_nonce`` is stateless: a random value signed with the portal's secret key and
its time, so the open nonce endpoint writes nothing; a credential is delivered once per offer,
so a nonce cannot win a second credential. Protocol errors are OAuth-style ``{"error": ..., "error_description": ...}`` bodies,
as wallets expect. Every step is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from credential_format.builders import MICRO_CREDENTIAL_CONTEXT
from credential_format.errors import KeyProofError
from credential_format.key_proofs import verify_key_proof_jwt
from issuance import services as issuance_services
from issuance.models import Credential
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from wallet import permissions as wallet_permissions
from wallet.models import WalletOffer

PRE_AUTHORIZED_GRANT = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
CONFIGURATION_ID = "OpenBadgeCredential_ldp_vc"
_NONCE_SALT = "wallet.oid4vci.c_nonce"
MAX_TX_CODE_ATTEMPTS = 5
TX_CODE_LENGTH = 6


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issuer_identifier() -> str:
    return settings.PORTAL_BASE_URL


class OAuthError(Exception):
    """An OAuth / OpenID4VCI protocol error, answered as JSON with the given status."""

    def __init__(
        self,
        error: str,
        description: str,
        *,
        status: int = 400,
        extra: dict[str, Any] | None = None,
    ):
        super().__init__(description)
        self.error = error
        self.description = description
        self.status = status
        self.extra = extra or {}

    def body(self) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.description, **self.extra}


# -- metadata ---------------------------------------------------------------------------------


def issuer_metadata() -> dict[str, Any]:
    base = issuer_identifier()
    return {
        "credential_issuer": base,
        "credential_endpoint": f"{base}/oid4vci/credential",
        "nonce_endpoint": f"{base}/oid4vci/nonce",
        "display": [{"name": "Alliance Credentials", "locale": "en"}],
        "credential_configurations_supported": {
            CONFIGURATION_ID: {
                "format": "ldp_vc",
                "cryptographic_binding_methods_supported": ["did:key"],
                "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
                "proof_types_supported": {"jwt": {"proof_signing_alg_values_supported": ["EdDSA"]}},
                "credential_definition": {
                    "@context": list(MICRO_CREDENTIAL_CONTEXT),
                    "type": ["VerifiableCredential", "OpenBadgeCredential"],
                },
                # OpenID4VCI 1.0 section 12.2.4: how wallets show the credential.
                "credential_metadata": {
                    "display": [
                        {
                            "name": "Micro-credential (Open Badges 3.0)",
                            "locale": "en",
                            "background_color": "#1d3f8f",
                            "text_color": "#ffffff",
                        }
                    ]
                },
            }
        },
    }


def authorization_server_metadata() -> dict[str, Any]:
    base = issuer_identifier()
    return {
        "issuer": base,
        "token_endpoint": f"{base}/oid4vci/token",
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "pre-authorized_grant_anonymous_access_supported": True,
        "response_types_supported": [],
    }


# -- offers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CreatedOffer:
    """A new offer; the secrets exist only here (the database keeps their hashes)."""

    offer: WalletOffer
    pre_authorized_code: str
    tx_code: str | None

    def payload(self) -> dict[str, Any]:
        grant: dict[str, Any] = {"pre-authorized_code": self.pre_authorized_code}
        if self.tx_code:
            grant["tx_code"] = {
                "input_mode": "numeric",
                "length": len(self.tx_code),
                "description": "The code shown next to the QR code in Alliance Credentials",
            }
        return {
            "credential_issuer": issuer_identifier(),
            "credential_configuration_ids": [CONFIGURATION_ID],
            "grants": {PRE_AUTHORIZED_GRANT: grant},
        }

    @property
    def uri(self) -> str:
        text = json.dumps(self.payload(), separators=(",", ":"))
        return "openid-credential-offer://?credential_offer=" + quote(text, safe="")


@transaction.atomic
def create_wallet_offer(
    *, learner: User, credential: Credential, with_tx_code: bool = False
) -> CreatedOffer:
    permissions.require(wallet_permissions.can_share_credential(learner, credential))
    if credential.lifecycle_status() != "valid":
        raise ConflictError(_("Only a valid credential can be added to a wallet."))
    code = secrets.token_urlsafe(32)
    tx_code = (
        f"{secrets.randbelow(10**TX_CODE_LENGTH):0{TX_CODE_LENGTH}d}" if with_tx_code else None
    )
    offer = WalletOffer.objects.create(
        credential=credential,
        learner=learner,
        code_hash=_hash(code),
        tx_code_hash=_hash(tx_code) if tx_code else "",
        expires_at=timezone.now() + timedelta(seconds=settings.WALLET_OFFER_SECONDS),
    )
    record_event(
        actor=learner,
        action="wallet_offer.created",
        target=offer,
        institution_id=credential.issuer_id,
        data={"credential": str(credential.uuid), "tx_code": bool(tx_code)},
    )
    return CreatedOffer(offer, code, tx_code)


# -- token endpoint ---------------------------------------------------------------------------


def exchange_pre_authorized_code(
    *, grant_type: str, code: str, tx_code: str | None
) -> dict[str, Any]:
    """The token endpoint: a valid, unused pre-authorized code (and its transaction code)
    becomes a short-lived access token."""
    if grant_type != PRE_AUTHORIZED_GRANT:
        raise OAuthError("unsupported_grant_type", "Only the pre-authorized code grant is offered.")
    if not code:
        raise OAuthError("invalid_request", "The pre-authorized_code is missing.")
    now = timezone.now()
    refusal: OAuthError | None = None
    with transaction.atomic():
        offer = WalletOffer.objects.select_for_update().filter(code_hash=_hash(code)).first()
        if offer is None or offer.expires_at <= now or offer.code_redeemed_at is not None:
            raise OAuthError(
                "invalid_grant", "The offer is unknown, expired or already used; ask for a new one."
            )
        # OpenID4VCI 1.0 section 6.3: a missing or unexpected transaction code is a malformed
        # request; only a wrong one counts as an attempt.
        if offer.tx_code_hash and tx_code is None:
            raise OAuthError("invalid_request", "This offer needs its transaction code (tx_code).")
        if not offer.tx_code_hash and tx_code is not None:
            raise OAuthError("invalid_request", "This offer has no transaction code (tx_code).")
        if offer.tx_code_hash and not hmac.compare_digest(offer.tx_code_hash, _hash(tx_code or "")):
            # Count the failure in this transaction, then refuse after it commits.
            offer.failed_tx_code_attempts += 1
            if offer.failed_tx_code_attempts >= MAX_TX_CODE_ATTEMPTS:
                offer.expires_at = now
            offer.save(update_fields=["failed_tx_code_attempts", "expires_at"])
            record_event(
                actor=None,
                action="wallet_offer.tx_code_refused",
                target=offer,
                data={"attempts": offer.failed_tx_code_attempts},
            )
            refusal = OAuthError("invalid_grant", "The transaction code is wrong.")
        else:
            access_token = secrets.token_urlsafe(32)
            offer.code_redeemed_at = now
            offer.access_token_hash = _hash(access_token)
            offer.access_token_expires_at = now + timedelta(
                seconds=settings.WALLET_ACCESS_TOKEN_SECONDS
            )
            offer.save(
                update_fields=["code_redeemed_at", "access_token_hash", "access_token_expires_at"]
            )
            record_event(actor=None, action="wallet_offer.token_issued", target=offer)
    if refusal is not None:
        raise refusal
    return {
        "access_token": access_token,
        "token_type": "Bearer",
        "expires_in": settings.WALLET_ACCESS_TOKEN_SECONDS,
    }


def _offer_for_token(access_token: str) -> WalletOffer:
    offer = (
        WalletOffer.objects.select_for_update()
        .select_related("credential__issuer", "credential__learner")
        .filter(access_token_hash=_hash(access_token or ""))
        .first()
    )
    if offer is None or not access_token:
        raise OAuthError("invalid_token", "The access token is unknown.", status=401)
    if offer.access_token_expires_at is None or offer.access_token_expires_at <= timezone.now():
        raise OAuthError("invalid_token", "The access token has expired.", status=401)
    return offer


def issue_nonce() -> dict[str, Any]:
    """The nonce endpoint (OpenID4VCI 1.0 section 7): open to anyone, no access token; the
    nonce is a signed random value, so handing one out stores nothing."""
    nonce = signing.TimestampSigner(salt=_NONCE_SALT).sign(secrets.token_urlsafe(18))
    return {"c_nonce": nonce}


def is_current_nonce(nonce: object) -> bool:
    """Whether a key proof's nonce is one this portal handed out, recently enough."""
    if not isinstance(nonce, str) or not nonce or len(nonce) > 200:
        return False
    try:
        signing.TimestampSigner(salt=_NONCE_SALT).unsign(
            nonce, max_age=settings.WALLET_NONCE_SECONDS
        )
    except signing.BadSignature:
        return False
    return True


# -- credential endpoint ----------------------------------------------------------------------


def _key_proof_jwt(request: dict[str, Any]) -> str:
    proofs = request.get("proofs")
    if isinstance(proofs, dict) and isinstance(proofs.get("jwt"), list) and proofs["jwt"]:
        if len(proofs["jwt"]) != 1:
            raise OAuthError("invalid_proof", "Send exactly one key proof.")
        return str(proofs["jwt"][0])
    proof = request.get("proof")
    if isinstance(proof, dict) and proof.get("proof_type") == "jwt" and proof.get("jwt"):
        return str(proof["jwt"])
    raise OAuthError("invalid_proof", "A key proof of type jwt is required.")


def bind_to_holder(credential: Credential, holder_did: str) -> dict[str, Any]:
    """The credential bound to the wallet's DID, newly signed (and a joint credential newly
    endorsed by its partners); same id and status entries."""
    try:
        return issuance_services.holder_bound_document(credential, holder_did)
    except DomainError as error:
        raise OAuthError("credential_request_denied", error.message) from error


def deliver_credential(*, access_token: str, request: dict[str, Any]) -> dict[str, Any]:
    """The credential endpoint: check the request and key proof, bind and sign, once."""
    refusal: OAuthError | None = None
    with transaction.atomic():
        offer = _offer_for_token(access_token)
        configuration = request.get("credential_configuration_id")
        if configuration is None and "credential_identifier" in request:
            raise OAuthError(
                "unknown_credential_identifier",
                "This issuer hands out no credential identifiers; ask by "
                "credential_configuration_id.",
            )
        if configuration is None and request.get("format") == "ldp_vc":
            configuration = CONFIGURATION_ID
        if configuration is None:
            raise OAuthError(
                "invalid_credential_request", "The credential_configuration_id is missing."
            )
        if configuration != CONFIGURATION_ID:
            raise OAuthError(
                "unknown_credential_configuration",
                f"Unknown credential configuration; this issuer offers {CONFIGURATION_ID}.",
            )
        if offer.delivered_at is not None:
            raise OAuthError(
                "credential_request_denied", "This offer's credential was already delivered."
            )
        credential = offer.credential
        if credential.lifecycle_status() != "valid":
            raise OAuthError(
                "credential_request_denied",
                "The credential is no longer valid (revoked, suspended or expired).",
            )
        jwt = _key_proof_jwt(request)
        try:
            proof = verify_key_proof_jwt(
                jwt, audience=issuer_identifier(), nonce_is_current=is_current_nonce
            )
        except KeyProofError as error:
            record_event(
                actor=None,
                action="wallet_offer.proof_refused",
                target=offer,
                data={"code": error.code, "reason": str(error)},
            )
            refusal = OAuthError(error.code, str(error))
        else:
            document = bind_to_holder(credential, proof.holder_did)
            offer.delivered_at = timezone.now()
            offer.holder_did = proof.holder_did[:300]
            offer.save(update_fields=["delivered_at", "holder_did"])
            record_event(
                actor=None,
                action="wallet_offer.delivered",
                target=offer,
                institution_id=credential.issuer_id,
                data={"credential": str(credential.uuid), "holder": proof.holder_did},
            )
    if refusal is not None:
        raise refusal
    return {"credentials": [{"credential": document}]}
