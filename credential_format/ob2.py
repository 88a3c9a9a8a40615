"""Open Badges 2.0 signed assertions (1EdTech Open Badges 2.0, "Signed Badges"): the
assertion is the payload of a compact JWS (RS256, or ES256) made with the issuer's key.

Verification, as the specification's verifier does it:

1. the JWS is well formed and its payload is an Assertion whose ``verification`` is of type
   ``SignedBadge`` and names its key (``verification.creator``, a URL);
2. the key (a ``CryptographicKey`` with ``publicKeyPem``) is fetched and the signature checked
   with it;
3. the BadgeClass (by URL or embedded) names the issuer; the issuer's Profile is fetched, the
   key's ``owner`` is that issuer and the Profile lists the key among its ``publicKey``;
4. the issuer's ``revocationList``, when it has one, does not list the assertion;
5. the assertion has not expired.

A **hosted** assertion (``verification.type`` ``HostedBadge``) is verified by fetching it from
its own ``id``, which must be on the issuer's origin (or one of ``verification.allowedOrigins``
the assertion names) and answer the same assertion; steps 3 to 5 follow.

Pure Python over a `Fetcher`; every failure is an `Ob2Error` with a reason a person can read
(and the code `REVOKED`, `EXPIRED`, `UNREACHABLE` or `MALFORMED` when it is one of those).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from credential_format.errors import CredentialFormatError
from credential_format.verification import Fetcher, FetchError

ALGORITHMS = ["RS256", "ES256"]
# Codes of the `Ob2Error`s a verifier reports differently from "does not verify".
REVOKED = "REVOKED"
EXPIRED = "EXPIRED"
UNREACHABLE = "UNREACHABLE"
MALFORMED = "MALFORMED"
MAX_JWS_LENGTH = 1_000_000
_REGISTRY = jws.JWSRegistry(algorithms=ALGORITHMS, strict_check_header=False)


class Ob2Error(CredentialFormatError):
    """An Open Badges 2.0 assertion that is malformed or does not verify (`expires`: the date
    an expired assertion states)."""

    def __init__(self, message: str, *, code: str | None = None, expires: str = "") -> None:
        super().__init__(message, code=code)
        self.expires = expires


@dataclass(frozen=True)
class VerifiedAssertion:
    assertion: dict[str, Any]
    badge: dict[str, Any]
    issuer: dict[str, Any]
    key_id: str
    algorithm: str

    @property
    def title(self) -> str:
        return str(self.badge.get("name") or "")

    @property
    def issuer_id(self) -> str:
        return str(self.issuer.get("id") or "")

    @property
    def issuer_name(self) -> str:
        return str(self.issuer.get("name") or "")


def looks_like_compact_jws(text: str) -> bool:
    parts = text.strip().split(".")
    return len(parts) == 3 and all(parts[:2]) and text.strip().startswith("ey")


def _ids(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, dict) and isinstance(item.get("id"), str):
            found.append(item["id"])
    return found


def _fetch(fetcher: Fetcher, url: Any, what: str) -> dict[str, Any]:
    if not isinstance(url, str) or not url.startswith("https://"):
        raise Ob2Error(f"The {what} is not given by an https address.")
    try:
        return fetcher.fetch_json(url)
    except FetchError as error:
        raise Ob2Error(f"The {what} could not be fetched: {error}", code=UNREACHABLE) from error


def _public_key(key_document: dict[str, Any], algorithm: str) -> RSAKey | ECKey:
    pem = key_document.get("publicKeyPem")
    if not isinstance(pem, str):
        raise Ob2Error("The issuer's key document has no publicKeyPem.")
    try:
        return RSAKey.import_key(pem) if algorithm == "RS256" else ECKey.import_key(pem)
    except (JoseError, ValueError, TypeError) as error:
        raise Ob2Error(f"The issuer's key cannot be read as a {algorithm} key.") from error


def verify_signed_assertion(
    signed: str, *, fetcher: Fetcher, now: datetime | None = None
) -> VerifiedAssertion:
    """Verify an Open Badges 2.0 signed assertion; raises `Ob2Error` saying what failed."""
    signed = signed.strip()
    if len(signed) > MAX_JWS_LENGTH or not looks_like_compact_jws(signed):
        raise Ob2Error(
            "This is not a signed Open Badges 2.0 assertion (a compact JWS).", code=MALFORMED
        )
    try:
        token = jws.extract_compact(signed.encode(), registry=_REGISTRY)
        header = token.headers()
        _REGISTRY.check_header(header)
        assertion = json.loads(token.payload)
    except (JoseError, ValueError, RecursionError) as error:
        raise Ob2Error("The signed assertion is malformed.", code=MALFORMED) from error
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        raise Ob2Error("Only RS256 and ES256 signed assertions are accepted.")
    if not isinstance(assertion, dict) or "Assertion" not in _types(assertion):
        raise Ob2Error("The signed payload is not an Open Badges 2.0 Assertion.", code=MALFORMED)
    verification = assertion.get("verification")
    if not isinstance(verification, dict) or not (
        {"SignedBadge", "signed"} & set(_types(verification))
    ):
        raise Ob2Error("The assertion does not say it is verified by its signature.")
    key_id = verification.get("creator")
    key_document = _fetch(fetcher, key_id, "issuer's key")
    if key_document.get("id") != key_id:
        raise Ob2Error("The key document does not have the id the assertion names.")
    try:
        # validate_compact answers False for a wrong signature (it raises only for misuse).
        signature_valid = jws.validate_compact(
            token, _public_key(key_document, str(algorithm)), registry=_REGISTRY
        )
    except JoseError as error:
        raise Ob2Error("The signature of the assertion does not verify.") from error
    if not signature_valid:
        raise Ob2Error("The signature of the assertion does not verify.")
    badge, issuer = _badge_and_issuer(assertion, fetcher, now)
    if key_document.get("owner") != issuer.get("id"):
        raise Ob2Error("The signing key does not belong to the badge's issuer.")
    if key_id not in _ids(issuer.get("publicKey")):
        raise Ob2Error("The issuer's profile does not list the signing key.")
    return VerifiedAssertion(assertion, badge, issuer, str(key_id), str(algorithm))


def _types(document: dict[str, Any]) -> list[str]:
    value = document.get("type")
    return [str(item) for item in (value if isinstance(value, list) else [value]) if item]


def _badge_and_issuer(
    assertion: dict[str, Any], fetcher: Fetcher, now: datetime | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The BadgeClass and the issuer's Profile; refuses a revoked or expired assertion."""
    if assertion.get("revoked") is True:
        raise Ob2Error("The issuer has revoked this assertion.", code=REVOKED)
    badge = assertion.get("badge")
    if isinstance(badge, str):
        badge = _fetch(fetcher, badge, "badge class")
    if not isinstance(badge, dict):
        raise Ob2Error("The assertion names no badge class.")
    issuer_ref = badge.get("issuer")
    issuer_url = issuer_ref if isinstance(issuer_ref, str) else (issuer_ref or {}).get("id")
    issuer = _fetch(fetcher, issuer_url, "issuer's profile")
    if issuer.get("id") != issuer_url:
        raise Ob2Error("The issuer's profile does not have the id the badge class names.")
    if issuer.get("revocationList"):
        revocations = _fetch(fetcher, issuer["revocationList"], "issuer's revocation list")
        revoked = revocations.get("revokedAssertions") or []
        if assertion.get("id") in _ids(revoked) or assertion.get("uid") in revoked:
            raise Ob2Error("The issuer has revoked this assertion.", code=REVOKED)
    expires = assertion.get("expires")
    if isinstance(expires, str):
        try:
            moment = datetime.fromisoformat(expires.replace("Z", "+00:00"))
        except ValueError as error:
            raise Ob2Error("The assertion's expiry date is not a date.") from error
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        if moment <= (now or datetime.now(UTC)):
            raise Ob2Error("The assertion has expired.", code=EXPIRED, expires=expires)
    return badge, issuer


def is_hosted_assertion(document: dict[str, Any]) -> bool:
    verification = document.get("verification")
    return (
        "Assertion" in _types(document)
        and isinstance(verification, dict)
        and bool({"HostedBadge", "hosted"} & set(_types(verification)))
    )


def verify_hosted_assertion(
    assertion: dict[str, Any], *, fetcher: Fetcher, now: datetime | None = None
) -> VerifiedAssertion:
    """Verify an Open Badges 2.0 hosted assertion; raises `Ob2Error` saying what failed."""
    if not is_hosted_assertion(assertion):
        raise Ob2Error("This is not a hosted Open Badges 2.0 assertion.")
    hosted = _fetch(fetcher, assertion.get("id"), "assertion at its own address")
    if hosted != assertion:
        raise Ob2Error("The assertion differs from the one its issuer hosts at its address.")
    badge, issuer = _badge_and_issuer(assertion, fetcher, now)
    verification = assertion["verification"]
    allowed = verification.get("allowedOrigins") or [urlsplit(str(issuer.get("id"))).netloc]
    allowed = allowed if isinstance(allowed, list) else [allowed]
    if urlsplit(str(assertion["id"])).netloc not in allowed:
        raise Ob2Error("The assertion is not hosted on its issuer's site.")
    return VerifiedAssertion(assertion, badge, issuer, "", "hosted")
