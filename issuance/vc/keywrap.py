"""Protecting institution signing keys at rest: AES-256-GCM wrapping under a key encryption key.

The wrapped blob is bound to its owner and key id through the GCM associated data, so a blob
copied onto another institution's row (or another key's row) fails to unwrap. The blob names the
KEK that wrapped it by fingerprint, so rotation can tell which blobs still need re-wrapping.

Blob layout (all binary, then base64url without padding, prefixed by the version):
``"akw1." + b64url(kek_fingerprint[16] || nonce[12] || ciphertext+tag)``.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from issuance.vc.errors import KeyUnwrapError
from issuance.vc.keys import dangerously_export_private_seed, private_key_from_seed

_VERSION = "akw1"
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


def _associated_data(owner: str, key_id: str) -> bytes:
    # Length-prefixing keeps ("a:b", "c") and ("a", "b:c") distinct.
    owner_bytes, key_bytes = owner.encode("utf-8"), key_id.encode("utf-8")
    return (
        _VERSION.encode()
        + len(owner_bytes).to_bytes(4, "big")
        + owner_bytes
        + len(key_bytes).to_bytes(4, "big")
        + key_bytes
    )


@dataclass(frozen=True)
class WrappedKeyInfo:
    kek_fingerprint: str


def wrap_private_key(private_key: Ed25519PrivateKey, *, kek: bytes, owner: str, key_id: str) -> str:
    """Encrypt a signing key for storage; ``owner`` (e.g. the institution id) and ``key_id`` are
    authenticated, not encrypted, and must be given again to unwrap."""
    _check_kek(kek)
    nonce = os.urandom(_NONCE_BYTES)
    ciphertext = AESGCM(kek).encrypt(
        nonce, dangerously_export_private_seed(private_key), _associated_data(owner, key_id)
    )
    fingerprint = bytes.fromhex(kek_fingerprint(kek))
    payload = base64.urlsafe_b64encode(fingerprint + nonce + ciphertext).rstrip(b"=")
    return f"{_VERSION}.{payload.decode('ascii')}"


def _split(wrapped: str) -> tuple[bytes, bytes, bytes]:
    version, _, payload = wrapped.partition(".")
    if version != _VERSION or not payload:
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
    """Which KEK wrapped this blob, without needing any key."""
    fingerprint, _nonce, _ciphertext = _split(wrapped)
    return WrappedKeyInfo(kek_fingerprint=fingerprint.hex())


def unwrap_private_key(wrapped: str, *, kek: bytes, owner: str, key_id: str) -> Ed25519PrivateKey:
    _check_kek(kek)
    fingerprint, nonce, ciphertext = _split(wrapped)
    if fingerprint.hex() != kek_fingerprint(kek):
        raise KeyUnwrapError(
            f"This key was wrapped under KEK {fingerprint.hex()}, not under the KEK given "
            f"({kek_fingerprint(kek)})."
        )
    try:
        seed = AESGCM(kek).decrypt(nonce, ciphertext, _associated_data(owner, key_id))
    except InvalidTag:
        raise KeyUnwrapError(
            "The wrapped key does not belong to this owner and key id, or it was altered."
        ) from None
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
