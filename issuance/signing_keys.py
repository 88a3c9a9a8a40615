"""Institution signing keys: creation, rotation, re-wrapping, and the one interface through
which everything signs (`signer_for_institution`).

Private keys are stored only wrapped under the key encryption key (KEK). The backend that
turns a stored key into a signer is chosen by `settings.SIGNING_KEY_BACKEND`, so a hardware
security module or cloud KMS backend can replace the wrapped-key backend without touching
the issuing code.
"""

from __future__ import annotations

import base64
import binascii
import secrets
import threading
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from alliances import permissions
from alliances.models import Institution
from credential_format import keys as vc_keys
from credential_format import keywrap
from credential_format.signing import Ed25519Signer, Signer
from issuance import identity
from issuance import permissions as issuance_permissions
from issuance.models import KeyState, SigningKey
from portal.audit import record_event


def key_encryption_key() -> bytes:
    """The KEK from settings, decoded; a clear configuration error when absent or malformed."""
    return decode_kek(settings.KEY_ENCRYPTION_KEY, "KEY_ENCRYPTION_KEY")


def decode_kek(value: str, name: str) -> bytes:
    if not value:
        raise ImproperlyConfigured(f"{name} is not set; generate one with `make secrets`.")
    try:
        kek = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured(f"{name} is not URL-safe base64.") from error
    if len(kek) != 32:
        raise ImproperlyConfigured(f"{name} must decode to 32 bytes (AES-256).")
    return kek


def _owner(institution_id: int) -> str:
    return f"institution:{institution_id}"


class KeyBackend(Protocol):
    """Creates keys and turns a stored key into a signer."""

    def create(self, institution: Institution, key_id: str) -> tuple[str, str, str]:
        """Return (public key multibase, stored private key reference, KEK fingerprint)."""

    def signer(self, key: SigningKey, verification_method: str) -> Signer: ...


class WrappedKeyBackend:
    """Keys generated here and kept in the database wrapped under the KEK."""

    def create(self, institution: Institution, key_id: str) -> tuple[str, str, str]:
        kek = key_encryption_key()
        private_key = vc_keys.generate_private_key()
        wrapped = keywrap.wrap_private_key(
            private_key, kek=kek, owner=_owner(institution.pk), key_id=key_id
        )
        return vc_keys.public_key_multibase(private_key), wrapped, keywrap.kek_fingerprint(kek)

    def signer(self, key: SigningKey, verification_method: str) -> Signer:
        private_key = keywrap.unwrap_private_key(
            key.wrapped_private_key,
            kek=key_encryption_key(),
            owner=_owner(key.institution_id),
            key_id=key.key_id,
        )
        return Ed25519Signer(private_key, verification_method)


def key_backend() -> KeyBackend:
    backend: KeyBackend = import_string(settings.SIGNING_KEY_BACKEND)()
    return backend


# Unwrapping is cheap but not free; workers sign thousands of credentials with few keys.
_signers: dict[tuple[int, str, str], Signer] = {}
_did_key_signers: dict[tuple[int, str, str, str], Signer] = {}
_signers_lock = threading.Lock()


def _new_key_id() -> str:
    return f"key-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"


def _create_key(institution: Institution) -> SigningKey:
    key_id = _new_key_id()
    public_key, stored, fingerprint = key_backend().create(institution, key_id)
    return SigningKey.objects.create(
        institution=institution,
        key_id=key_id,
        public_key_multibase=public_key,
        wrapped_private_key=stored,
        kek_fingerprint=fingerprint,
    )


def active_signing_key(institution: Institution) -> SigningKey:
    """The institution's active key, created on first use."""
    key = SigningKey.objects.filter(institution=institution, state=KeyState.ACTIVE).first()
    if key is not None:
        return key
    try:
        with transaction.atomic():
            key = _create_key(institution)
    except IntegrityError:
        # Another process created it first; the constraint allows only one active key.
        key = SigningKey.objects.get(institution=institution, state=KeyState.ACTIVE)
    else:
        record_event(
            actor=None,
            action="key.created",
            target=key,
            institution_id=institution.pk,
            data={"key_id": key.key_id},
        )
    return key


def signer_for_key(key: SigningKey) -> Signer:
    # The public key is part of the cache key: a row id alone could name another key after a
    # database is restored or rebuilt.
    cache_key = (key.pk, key.public_key_multibase, key.kek_fingerprint)
    with _signers_lock:
        signer = _signers.get(cache_key)
        if signer is None:
            method = identity.verification_method_id(key.institution, key.key_id)
            signer = key_backend().signer(key, method)
            _signers[cache_key] = signer
        return signer


def did_key_signer(key: SigningKey) -> Signer:
    """A signer for `key` under its did:key identity (`did:key:<key>#<key>`), which verifiers
    resolve from the identifier alone, with no DID document to fetch. The VC-API issues under
    it for verifiers that cannot resolve did:web (see docs/decisions/vc-api.md)."""
    method = did_key_method_id(key)
    cache_key = (key.pk, key.public_key_multibase, key.kek_fingerprint, method)
    with _signers_lock:
        signer = _did_key_signers.get(cache_key)
        if signer is None:
            signer = key_backend().signer(key, method)
            _did_key_signers[cache_key] = signer
        return signer


def did_key_method_id(key: SigningKey) -> str:
    return f"did:key:{key.public_key_multibase}#{key.public_key_multibase}"


def signer_for_institution(institution: Institution) -> Signer:
    key = active_signing_key(institution)
    key.institution = institution
    return signer_for_key(key)


def forget_cached_signers() -> None:
    with _signers_lock:
        _signers.clear()
        _did_key_signers.clear()


@transaction.atomic
def rotate_signing_key(*, actor: Any, institution: Institution) -> SigningKey:
    """Retire the active key and create a new one. The retired key stays in the DID document,
    so every credential it signed keeps verifying."""
    permissions.require(actor is None or issuance_permissions.can_manage_keys(actor, institution))
    Institution.objects.select_for_update().filter(pk=institution.pk).first()
    retired = list(
        SigningKey.objects.select_for_update().filter(
            institution=institution, state=KeyState.ACTIVE
        )
    )
    for key in retired:
        key.state = KeyState.RETIRED
        key.retired_at = timezone.now()
        key.save(update_fields=["state", "retired_at"])
    key = _create_key(institution)
    record_event(
        actor=actor,
        action="key.rotated",
        target=key,
        institution_id=institution.pk,
        data={"new_key_id": key.key_id, "retired": [old.key_id for old in retired]},
    )
    forget_cached_signers()
    return key


@transaction.atomic
def rewrap_signing_keys(*, old_kek: bytes, new_kek: bytes) -> int:
    """Re-wrap every key stored under `old_kek` with `new_kek`; returns how many moved.

    Keys already under the new KEK are left alone, so an interrupted run can be repeated.
    """
    old_fingerprint = keywrap.kek_fingerprint(old_kek)
    new_fingerprint = keywrap.kek_fingerprint(new_kek)
    moved = 0
    for key in SigningKey.objects.select_for_update().filter(kek_fingerprint=old_fingerprint):
        key.wrapped_private_key = keywrap.rewrap_private_key(
            key.wrapped_private_key,
            old_kek=old_kek,
            new_kek=new_kek,
            owner=_owner(key.institution_id),
            key_id=key.key_id,
        )
        key.kek_fingerprint = new_fingerprint
        key.save(update_fields=["wrapped_private_key", "kek_fingerprint"])
        moved += 1
    record_event(
        actor=None,
        action="key.rewrapped",
        data={"count": moved, "from": old_fingerprint, "to": new_fingerprint},
    )
    forget_cached_signers()
    return moved


def did_document(institution: Institution) -> dict[str, Any]:
    """The institution's did:web document: the active key signs, every retired key still
    verifies the credentials it signed."""
    keys = list(SigningKey.objects.filter(institution=institution).order_by("created_at"))
    active = [
        vc_keys.PublishedKey(key.key_id, key.public_key_multibase)
        for key in keys
        if key.state == KeyState.ACTIVE
    ]
    retired = [
        vc_keys.PublishedKey(key.key_id, key.public_key_multibase)
        for key in keys
        if key.state == KeyState.RETIRED
    ]
    return vc_keys.build_did_web_document(identity.institution_did(institution), active, retired)
