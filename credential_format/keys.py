"""Ed25519 keys, Multikey encoding, did:key and did:web documents.

Multikey (W3C Controlled Identifiers / Data Integrity):
- public key: ``"z" + base58btc(0xed 0x01 || 32-byte key)`` -> always starts with ``z6Mk``;
- secret key: ``"z" + base58btc(0x80 0x26 || 32-byte seed)`` -> starts with ``z3u2``.

Retired keys in did:web documents: a key that is no longer used to sign stays in
``verificationMethod`` *and* ``assertionMethod``, because verifiers check that a proof's key is
listed under ``assertionMethod``; removing it would make every credential it signed fail. It is
left out of ``authentication`` and the capability relationships, so it cannot be used to act for
the institution. A key that is *compromised* (not merely rotated) must instead be removed and the
credentials it signed reissued: keeping it listed would let the thief issue credentials that
verify.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import base58
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credential_format.contexts import DID_V1_URL, MULTIKEY_V1_URL
from credential_format.errors import DidResolutionError, KeyFormatError

ED25519_PUBLIC_HEADER = b"\xed\x01"
ED25519_SECRET_HEADER = b"\x80\x26"


def generate_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def private_key_from_seed(seed: bytes) -> Ed25519PrivateKey:
    if len(seed) != 32:
        raise KeyFormatError("An Ed25519 private key seed is exactly 32 bytes.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def dangerously_export_private_seed(private_key: Ed25519PrivateKey) -> bytes:
    """The raw 32-byte private seed. Only for wrapping under a KEK; never store or log it."""
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


_BASE58_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# 58**10 < 2**63: convert ten base-58 digits per big-integer division.
_BASE58_CHUNK = 58**10


def encode_base58btc_multibase(data: bytes) -> str:
    """``"z"`` + base58btc(data) (Bitcoin alphabet, leading zero bytes as '1')."""
    number = int.from_bytes(data, "big")
    digits: list[str] = []
    alphabet = _BASE58_ALPHABET
    while number:
        number, chunk = divmod(number, _BASE58_CHUNK)
        for _ in range(10):
            chunk, digit = divmod(chunk, 58)
            digits.append(alphabet[digit])
    while digits and digits[-1] == "1":
        digits.pop()
    leading_zeros = len(data) - len(data.lstrip(b"\0"))
    return "z" + "1" * leading_zeros + "".join(reversed(digits))


def decode_base58btc_multibase(value: str) -> bytes:
    if not isinstance(value, str) or not value.startswith("z"):
        raise KeyFormatError("Expected a multibase base58btc value (starting with 'z').")
    try:
        return base58.b58decode(value[1:])
    except ValueError as error:
        raise KeyFormatError("The multibase value is not valid base58btc.") from error


def public_key_multibase(public_key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    if isinstance(public_key, Ed25519PrivateKey):
        public_key = public_key.public_key()
    return encode_base58btc_multibase(ED25519_PUBLIC_HEADER + raw_public_key(public_key))


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    decoded = decode_base58btc_multibase(value)
    if len(decoded) != 34 or not decoded.startswith(ED25519_PUBLIC_HEADER):
        raise KeyFormatError(
            "The public key is not an Ed25519 Multikey (0xed01 header followed by 32 bytes)."
        )
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def dangerously_encode_private_key_multibase(private_key: Ed25519PrivateKey) -> str:
    """The secret key as a Multikey ``secretKeyMultibase``; as sensitive as the key itself."""
    return encode_base58btc_multibase(
        ED25519_SECRET_HEADER + dangerously_export_private_seed(private_key)
    )


def private_key_from_multibase(value: str) -> Ed25519PrivateKey:
    decoded = decode_base58btc_multibase(value)
    if len(decoded) != 34 or not decoded.startswith(ED25519_SECRET_HEADER):
        raise KeyFormatError(
            "The secret key is not an Ed25519 Multikey (0x8026 header followed by 32 bytes)."
        )
    return private_key_from_seed(decoded[2:])


# -- did:key -----------------------------------------------------------------------------------


def did_key_for(public_key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    return "did:key:" + public_key_multibase(public_key)


def did_key_verification_method(public_key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def resolve_did_key(did: str) -> dict[str, Any]:
    """The DID document of an Ed25519 did:key, generated without any network access."""
    did = did.split("#", 1)[0]
    if not did.startswith("did:key:z6Mk"):
        raise DidResolutionError(f"{did} is not an Ed25519 did:key.")
    multibase = did[len("did:key:") :]
    public_key_from_multibase(multibase)
    method_id = f"{did}#{multibase}"
    return {
        "@context": [DID_V1_URL, MULTIKEY_V1_URL],
        "id": did,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": multibase,
            }
        ],
        "authentication": [method_id],
        "assertionMethod": [method_id],
        "capabilityInvocation": [method_id],
        "capabilityDelegation": [method_id],
    }


# -- did:web -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishedKey:
    """A public key listed in a did:web document; ``key_id`` is the fragment, e.g. ``key-2025``."""

    key_id: str
    public_key_multibase: str


def build_did_web_document(
    did: str, active: list[PublishedKey], retired: list[PublishedKey]
) -> dict[str, Any]:
    """The did.json to publish for an institution: active keys sign, retired keys still verify."""
    did_web_document_url(did)
    methods = []
    seen: set[str] = set()
    for key in [*active, *retired]:
        if key.key_id in seen:
            raise KeyFormatError(f"The key id {key.key_id} is listed twice.")
        seen.add(key.key_id)
        public_key_from_multibase(key.public_key_multibase)
        methods.append(
            {
                "id": f"{did}#{key.key_id}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": key.public_key_multibase,
            }
        )
    active_ids = [f"{did}#{key.key_id}" for key in active]
    return {
        "@context": [DID_V1_URL, MULTIKEY_V1_URL],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [*active_ids, *(f"{did}#{key.key_id}" for key in retired)],
        "authentication": active_ids,
    }


def did_web_document_url(did: str) -> str:
    """did:web:example.edu -> https://example.edu/.well-known/did.json;
    did:web:example.edu%3A8443:alliances:una -> https://example.edu:8443/alliances/una/did.json."""
    if not did.startswith("did:web:") or "#" in did or "?" in did:
        raise DidResolutionError(f"{did!r} is not a did:web identifier.")
    parts = did[len("did:web:") :].split(":")
    if not all(parts):
        raise DidResolutionError(f"{did!r} has an empty path segment.")
    host = unquote(parts[0])
    if "/" in host or "@" in host or not host:
        raise DidResolutionError(f"{did!r} has an invalid host.")
    path = "/".join(unquote(segment) for segment in parts[1:])
    if any(segment in ("", ".", "..") for segment in path.split("/")) and path:
        raise DidResolutionError(f"{did!r} has an invalid path.")
    if path:
        return f"https://{host}/{path}/did.json"
    return f"https://{host}/.well-known/did.json"


def find_assertion_method(
    did_document: dict[str, Any], verification_method_id: str
) -> dict[str, Any]:
    """The verification method, provided the controller lists it under ``assertionMethod``."""
    return find_verification_method(did_document, verification_method_id, "assertionMethod")


def find_verification_method(
    did_document: dict[str, Any], verification_method_id: str, relationship: str
) -> dict[str, Any]:
    """The verification method, provided the controller lists it under ``relationship``."""
    controller = did_document.get("id")
    if not isinstance(controller, str):
        raise DidResolutionError("The controller document has no id.")

    def absolute(reference: str) -> str:
        return controller + reference if reference.startswith("#") else reference

    methods: dict[str, dict[str, Any]] = {}
    for method in _as_list(did_document.get("verificationMethod")):
        if isinstance(method, dict) and isinstance(method.get("id"), str):
            methods[absolute(method["id"])] = method
    for entry in _as_list(did_document.get(relationship)):
        if isinstance(entry, str) and absolute(entry) == verification_method_id:
            method = methods.get(verification_method_id)
            if method is None:
                raise DidResolutionError(
                    f"{verification_method_id} is listed under {relationship} but not defined."
                )
            return _checked_method(method, controller)
        if isinstance(entry, dict) and absolute(str(entry.get("id"))) == verification_method_id:
            return _checked_method(entry, controller)
    raise DidResolutionError(
        f"The key {verification_method_id} is not listed under {relationship} by {controller}, "
        "so its controller has not authorised it for this purpose."
    )


def _checked_method(method: dict[str, Any], controller: str) -> dict[str, Any]:
    if method.get("controller", controller) != controller:
        raise DidResolutionError(
            f"The key {method.get('id')} is controlled by {method.get('controller')}, "
            f"not by {controller}."
        )
    return method


def public_key_from_verification_method(method: dict[str, Any]) -> Ed25519PublicKey:
    """The Ed25519 key of a Multikey, Ed25519VerificationKey2020 or OKP JsonWebKey method."""
    if "publicKeyMultibase" in method:
        return public_key_from_multibase(method["publicKeyMultibase"])
    jwk = method.get("publicKeyJwk")
    if isinstance(jwk, dict) and jwk.get("kty") == "OKP" and jwk.get("crv") == "Ed25519":
        encoded = str(jwk.get("x", ""))
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
        if len(raw) != 32:
            raise KeyFormatError("The Ed25519 JWK does not hold a 32-byte key.")
        return Ed25519PublicKey.from_public_bytes(raw)
    raise KeyFormatError(f"The verification method {method.get('id')} has no Ed25519 public key.")


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
