"""Institutions' electronic seal certificates, used to seal ELM / European Digital Credential
exports with JAdES.

An institution admin uploads the seal as a PKCS#12 file with its password. The certificate is
stored as PEM; the private key only wrapped under the key encryption key (PKCS#8, AES-256-GCM),
bound to the institution and the seal id, so a blob moved to another row does not unwrap.
The demo generates a self-signed seal per institution: such a seal shows the document was not
changed, but it is not a qualified electronic seal and the pages say so.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from credential_format import jades, keywrap
from credential_format.errors import KeyUnwrapError, SealError
from issuance.models import SealCertificate, SealState
from issuance.signing_keys import key_encryption_key
from portal.audit import record_event
from portal.errors import DomainError

MAX_PKCS12_BYTES = 100_000


def _owner(institution_id: int) -> str:
    return f"institution-seal:{institution_id}"


def _pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")


def _store(
    institution: Institution, credentials: jades.SealCredentials, actor: Any
) -> SealCertificate:
    SealCertificate.objects.select_for_update().filter(
        institution=institution, state=SealState.ACTIVE
    ).update(state=SealState.RETIRED)
    seal_id = f"seal-{timezone.now():%Y%m%d}-{secrets.token_hex(3)}"
    certificate = credentials.certificate
    kek = key_encryption_key()
    der = certificate.public_bytes(serialization.Encoding.DER)
    return SealCertificate.objects.create(
        institution=institution,
        seal_id=seal_id,
        certificate_pem=_pem(certificate),
        chain_pem="".join(_pem(cert) for cert in credentials.chain),
        wrapped_private_key=keywrap.wrap_pkcs8_private_key(
            credentials.private_key, kek=kek, owner=_owner(institution.pk), key_id=seal_id
        ),
        kek_fingerprint=keywrap.kek_fingerprint(kek),
        subject=certificate.subject.rfc4514_string()[:500],
        issuer=certificate.issuer.rfc4514_string()[:500],
        fingerprint_sha256=hashlib.sha256(der).hexdigest(),
        not_valid_before=certificate.not_valid_before_utc,
        not_valid_after=certificate.not_valid_after_utc,
        is_self_signed=certificate.issuer == certificate.subject,
        uploaded_by=actor,
    )


@transaction.atomic
def upload_seal_certificate(
    *, actor: Any, institution: Institution, pkcs12: bytes, password: str
) -> SealCertificate:
    """Replace the institution's seal with the one in a PKCS#12 file."""
    permissions.require(permissions.can_manage_seal(actor, institution))
    if len(pkcs12) > MAX_PKCS12_BYTES:
        raise DomainError(_("A PKCS#12 seal file is at most 100 KB."), field="pkcs12")
    try:
        credentials = jades.load_pkcs12(pkcs12, password.encode("utf-8") if password else None)
    except SealError as error:
        raise DomainError(
            _(
                "The file could not be opened: check the password and that it is a PKCS#12 (.p12) file."
            ),
            field="pkcs12",
        ) from error
    if credentials.certificate.not_valid_after_utc <= timezone.now():
        raise DomainError(_("This seal certificate has expired."), field="pkcs12")
    seal = _store(institution, credentials, actor)
    record_event(
        actor=actor,
        action="seal.uploaded",
        target=seal,
        institution_id=institution.pk,
        data={"fingerprint": seal.fingerprint_sha256, "self_signed": seal.is_self_signed},
    )
    return seal


@transaction.atomic
def create_self_signed_seal(*, actor: Any, institution: Institution) -> SealCertificate:
    """A self-signed seal for demos and tests (not a qualified seal)."""
    permissions.require(actor is None or permissions.can_manage_seal(actor, institution))
    credentials = jades.generate_self_signed_seal(
        organisation=institution.legal_name,
        country_code=str(institution.country),
        common_name=f"{institution.legal_name} (self-signed demo seal)",
    )
    seal = _store(institution, credentials, actor)
    record_event(
        actor=actor,
        action="seal.self_signed_created",
        target=seal,
        institution_id=institution.pk,
        data={"fingerprint": seal.fingerprint_sha256},
    )
    return seal


def active_seal(institution: Institution | int) -> SealCertificate | None:
    return SealCertificate.objects.filter(institution=institution, state=SealState.ACTIVE).first()


@dataclass(frozen=True)
class LoadedSeal:
    record: SealCertificate
    credentials: jades.SealCredentials


def load_seal(seal: SealCertificate) -> LoadedSeal:
    try:
        private_key = keywrap.unwrap_pkcs8_private_key(
            seal.wrapped_private_key,
            kek=key_encryption_key(),
            owner=_owner(seal.institution_id),
            key_id=seal.seal_id,
        )
    except KeyUnwrapError as error:
        raise DomainError(
            _("The institution's seal cannot be used right now; its staff have been told.")
        ) from error
    assert isinstance(private_key, jades.SealKey)
    certificate = x509.load_pem_x509_certificate(seal.certificate_pem.encode("ascii"))
    chain = (
        tuple(x509.load_pem_x509_certificates(seal.chain_pem.encode("ascii")))
        if seal.chain_pem
        else ()
    )
    return LoadedSeal(seal, jades.SealCredentials(private_key, certificate, chain))
