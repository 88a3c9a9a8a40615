"""OpenID4VCI key proofs of type ``jwt``: a wallet shows that it holds the key its credential
will be bound to.

The proof is a compact JWS (``typ: openid4vci-proof+jwt``, ``alg: EdDSA``) whose ``kid`` is a
did:key verification method; its payload names the credential issuer (``aud``), the time
(``iat``) and the ``nonce`` the issuer handed out. Only Ed25519 did:key holders are accepted:
their keys resolve without any network access.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from joserfc import jws
from joserfc.errors import JoseError, SecurityWarning
from joserfc.jwk import OKPKey

from credential_format.errors import CredentialFormatError, KeyProofError
from credential_format.keys import (
    did_key_verification_method,
    find_verification_method,
    public_key_from_verification_method,
    resolve_did_key,
)

PROOF_TYPE = "openid4vci-proof+jwt"
MAX_PROOF_LENGTH = 8_192
# Wallet clocks drift; a proof from slightly in the future is still accepted.
CLOCK_SKEW = timedelta(seconds=60)
# EdDSA is the only algorithm, and the one OpenID4VCI wallets use; the JOSE library warns
# that RFC 9864 deprecates the name in favour of "Ed25519". Extra header fields are allowed
# (wallets add their own); a critical extension we do not know is refused.
ALGORITHMS = ["EdDSA"]
_REGISTRY = jws.JWSRegistry(algorithms=ALGORITHMS, strict_check_header=False)
warnings.filterwarnings("ignore", message="EdDSA is deprecated", category=SecurityWarning)

_MALFORMED = "The key proof is not a well-formed JWT."


def _claims(payload: bytes) -> dict[str, Any]:
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError) as error:
        raise KeyProofError(_MALFORMED) from error
    if not isinstance(value, dict):
        raise KeyProofError(_MALFORMED)
    return value


@dataclass(frozen=True)
class KeyProof:
    holder_did: str
    verification_method: str
    issued_at: datetime


def sign_key_proof_jwt(
    private_key: Ed25519PrivateKey,
    *,
    audience: str,
    nonce: str,
    issued_at: datetime | None = None,
) -> str:
    """A key proof as a wallet makes it (for wallets written in Python and for tests)."""
    header = {"typ": PROOF_TYPE, "alg": "EdDSA", "kid": did_key_verification_method(private_key)}
    moment = issued_at or datetime.now(UTC)
    payload = {"aud": audience, "iat": int(moment.timestamp()), "nonce": nonce}
    return jws.serialize_compact(
        header,
        json.dumps(payload, separators=(",", ":")),
        OKPKey.import_key(private_key),
        registry=_REGISTRY,
    )


def verify_key_proof_jwt(
    jwt: str,
    *,
    audience: str,
    nonce: str = "",
    nonce_is_current: Callable[[object], bool] | None = None,
    now: datetime | None = None,
    max_age: timedelta = timedelta(minutes=5),
) -> KeyProof:
    """Check a ``jwt`` key proof; returns the holder's DID or raises :class:`KeyProofError`.

    The proof's ``nonce`` must equal ``nonce`` or, for an issuer whose nonces carry their own
    proof of origin, satisfy ``nonce_is_current``."""
    if not isinstance(jwt, str) or len(jwt) > MAX_PROOF_LENGTH or jwt.count(".") != 2:
        raise KeyProofError("The key proof is not a compact JWT.")
    try:
        token = jws.extract_compact(jwt.encode(), registry=_REGISTRY)
        header = token.headers()
        _REGISTRY.check_header(header)
    except (JoseError, ValueError, RecursionError) as error:
        raise KeyProofError(_MALFORMED) from error
    payload = _claims(token.payload)
    if header.get("typ") != PROOF_TYPE:
        raise KeyProofError(f"The key proof's typ must be {PROOF_TYPE}.")
    if header.get("alg") not in ALGORITHMS:
        raise KeyProofError("Only EdDSA (Ed25519) key proofs are accepted.")
    if "jwk" in header or "x5c" in header:
        raise KeyProofError("The key proof must identify its key by kid only.")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid.startswith("did:key:") or "#" not in kid:
        raise KeyProofError("The key proof's kid must be a did:key verification method.")
    holder = kid.split("#", 1)[0]
    try:
        method = find_verification_method(resolve_did_key(holder), kid, "authentication")
        public_key = OKPKey.import_key(public_key_from_verification_method(method))
    except (CredentialFormatError, ValueError) as error:
        raise KeyProofError(f"The key proof's key cannot be used: {error}") from error
    try:
        verified = jws.validate_compact(token, public_key, registry=_REGISTRY)
    except JoseError as error:
        raise KeyProofError(f"The key proof's key cannot be used: {error}") from error
    if not verified:
        raise KeyProofError("The key proof's signature does not verify.")
    audiences = payload.get("aud")
    if audience not in (audiences if isinstance(audiences, list) else [audiences]):
        raise KeyProofError("The key proof was made for another credential issuer (aud).")
    claimed_nonce = payload.get("nonce")
    if nonce_is_current is not None:
        nonce_accepted = nonce_is_current(claimed_nonce)
    else:
        nonce_accepted = isinstance(nonce, str) and bool(nonce) and claimed_nonce == nonce
    if not nonce_accepted:
        raise KeyProofError(
            "The key proof does not carry the current c_nonce; ask for a fresh nonce.",
            code="invalid_nonce",
        )
    issued = payload.get("iat")
    if not isinstance(issued, int | float) or isinstance(issued, bool):
        raise KeyProofError("The key proof has no issue time (iat).")
    try:
        issued_at = datetime.fromtimestamp(issued, UTC)
    except (OverflowError, OSError, ValueError):
        # A time beyond what a date can hold (a huge or non-finite iat).
        raise KeyProofError("The key proof's issue time (iat) is not a possible time.") from None
    moment = now or datetime.now(UTC)
    if issued_at > moment + CLOCK_SKEW or issued_at < moment - max_age:
        raise KeyProofError("The key proof is too old or from the future (iat).")
    return KeyProof(holder_did=holder, verification_method=kid, issued_at=issued_at)
