"""Protecting institution signing keys at rest: AES-256-GCM wrapping under a key encryption key.

The wrapped blob is bound to its owner and key id through the GCM associated data, so a blob
copied onto another institution's row (or another key's row) fails to unwrap. The blob names the
KEK that wrapped it by fingerprint, so rotation can tell which blobs still need re-wrapping.

Blob layout (all binary, then base64url without padding, prefixed by the version):
``"akw1." + b64url(kek_fingerprint[16] || nonce[12] || ciphertext+tag)``.

Ed25519 signing keys are wrapped as their 32-byte seed (``akw1``); other private keys, such as
the RSA or EC key of an X.509 seal certificate, are wrapped as unencrypted PKCS#8 DER
(``akp1``). The version is part of the associated data too, so a blob of one kind never
unwraps as the other.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from credential_format.errors import KeyUnwrapError
from credential_format.keys import dangerously_export_private_seed, private_key_from_seed

_VERSION = "akw1"
_PKCS8_VERSION = "akp1"
_FINGERPRINT_BYTES = 16
_NONCE_BYTES = 12


def kek_fingerprint(kek: bytes) -> str:
    """A public identifier of a KEK (hex): safe to store and log, reveals nothing about the KEK."""
    _check_kek(kek)
    return hashlib.sha256(b"alliance-credentials kek fingerprint\x00" + kek).hexdigest()[
        : _FINGERPRINT_BYTES * 2
    ]


def _check_kek(kek: bytes) -> None:
    if not isinstance(kek, bytes) or len(kek) != 32:
        raise ValueError("A key encryption key is exactly 32 random bytes (AES-256).")


def _associated_data(owner: str, key_id: str, version: str = _VERSION) -> bytes:
    # Length-prefixing keeps ("a:b", "c") and ("a", "b:c") distinct.
    owner_bytes, key_bytes = owner.encode("utf-8"), key_id.encode("utf-8")
    return (
        version.encode()
        + len(owner_bytes).to_bytes(4, "big")
        + owner_bytes
        + len(key_bytes).to_bytes(4, "big")
        + key_bytes
    )


@dataclass(frozen=True)
class WrappedKeyInfo:
    kek_fingerprint: str


def _wrap_bytes(secret: bytes, *, version: str, kek: bytes, owner: str, key_id: str) -> str:
    _check_kek(kek)
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(kek).encrypt(nonce, secret, _associated_data(owner, key_id, version))
    fingerprint = bytes.fromhex(kek_fingerprint(kek))
    payload = base64.urlsafe_b64encode(fingerprint + nonce + ciphertext).rstrip(b"=")
    return f"{version}.{payload.decode('ascii')}"


def _unwrap_bytes(wrapped: str, *, version: str, kek: bytes, owner: str, key_id: str) -> bytes:
    _check_kek(kek)
    fingerprint, nonce, ciphertext = _split(wrapped, version)
    if fingerprint.hex() != kek_fingerprint(kek):
        raise KeyUnwrapError(
            f"This key was wrapped under KEK {fingerprint.hex()}, not under the KEK given "
            f"({kek_fingerprint(kek)})."
        )
    try:
        return AESGCM(kek).decrypt(nonce, ciphertext, _associated_data(owner, key_id, version))
    except InvalidTag:
        raise KeyUnwrapError(
            "The wrapped key does not belong to this owner and key id, or it was altered."
        ) from None


def wrap_private_key(private_key: Ed25519PrivateKey, *, kek: bytes, owner: str, key_id: str) -> str:
    """Encrypt a signing key for storage; ``owner`` (e.g. the institution id) and ``key_id`` are
    authenticated, not encrypted, and must be given again to unwrap."""
    return _wrap_bytes(
        dangerously_export_private_seed(private_key),
        version=_VERSION,
        kek=kek,
        owner=owner,
        key_id=key_id,
    )


def wrap_pkcs8_private_key(
    private_key: PrivateKeyTypes, *, kek: bytes, owner: str, key_id: str
) -> str:
    """Encrypt any private key (RSA, EC...) for storage as PKCS#8, bound to owner and key id
    exactly like :func:`wrap_private_key`."""
    der = private_key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return _wrap_bytes(der, version=_PKCS8_VERSION, kek=kek, owner=owner, key_id=key_id)


def unwrap_pkcs8_private_key(
    wrapped: str, *, kek: bytes, owner: str, key_id: str
) -> PrivateKeyTypes:
    der = _unwrap_bytes(wrapped, version=_PKCS8_VERSION, kek=kek, owner=owner, key_id=key_id)
    try:
        return serialization.load_der_private_key(der, password=None)
    except ValueError as error:
        raise KeyUnwrapError("The unwrapped data is not a PKCS#8 private key.") from error


def _split(wrapped: str, expected_version: str = _VERSION) -> tuple[bytes, bytes, bytes]:
    version, _, payload = wrapped.partition(".")
    if version != expected_version or not payload:
        raise KeyUnwrapError("This is not a wrapped key blob of a supported version.")
    try:
        raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    except ValueError as error:
        raise KeyUnwrapError("The wrapped key blob is not valid base64url.") from error
    if len(raw) < _FINGERPRINT_BYTES + _NONCE_BYTES + 16:
        raise KeyUnwrapError("The wrapped key blob is truncated.")
    return (
        raw[:_FINGERPRINT_BYTES],
        raw[_FINGERPRINT_BYTES : _FINGERPRINT_BYTES + _NONCE_BYTES],
        raw[_FINGERPRINT_BYTES + _NONCE_BYTES :],
    )


def wrapped_key_info(wrapped: str) -> WrappedKeyInfo:
    """Which KEK wrapped this blob (of either kind), without needing any key."""
    version = wrapped.partition(".")[0]
    if version not in (_VERSION, _PKCS8_VERSION):
        raise KeyUnwrapError("This is not a wrapped key blob of a supported version.")
    fingerprint, _nonce, _ciphertext = _split(wrapped, version)
    return WrappedKeyInfo(kek_fingerprint=fingerprint.hex())


def unwrap_private_key(wrapped: str, *, kek: bytes, owner: str, key_id: str) -> Ed25519PrivateKey:
    seed = _unwrap_bytes(wrapped, version=_VERSION, kek=kek, owner=owner, key_id=key_id)
    return private_key_from_seed(seed)


def rewrap_private_key(
    wrapped: str, *, old_kek: bytes, new_kek: bytes, owner: str, key_id: str
) -> str:
    """Move a wrapped key from one KEK to another (KEK rotation) without exposing it to callers."""
    return wrap_private_key(
        unwrap_private_key(wrapped, kek=old_kek, owner=owner, key_id=key_id),
        kek=new_kek,
        owner=owner,
        key_id=key_id,
    )
