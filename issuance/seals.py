"""Institutions' electronic seal certificates, used to seal ELM / European Digital Credential
exports with JAdES.

An institution admin uploads the seal as a PKCS#12 file with its password. The certificate is
stored as PEM; the private key only wrapped under the key encryption key (PKCS#8, AES-256-GCM),
bound to the institution and the seal id, so a blob moved to another row does not unwrap.
The demo generates a seal per institution, issued by a certification authority made for it:
such a seal shows the document was not changed, but it is not a qualified electronic seal and
the pages say so.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
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
from credential_format.reading import as_list, text
from issuance import permissions as issuance_permissions
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
    institution: Institution,
    credentials: jades.SealCredentials,
    actor: Any,
    *,
    is_demo: bool = False,
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
        is_demo=is_demo,
        uploaded_by=actor,
    )


@transaction.atomic
def upload_seal_certificate(
    *, actor: Any, institution: Institution, pkcs12: bytes, password: str
) -> SealCertificate:
    """Replace the institution's seal with the one in a PKCS#12 file."""
    permissions.require(issuance_permissions.can_manage_seal(actor, institution))
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
def create_demo_seal(*, actor: Any, institution: Institution) -> SealCertificate:
    """A demo seal: a certificate issued by a certification authority generated for the
    institution (its key is discarded), carrying the institution's legal identifier. It is
    not a qualified seal, and the seal page says so."""
    permissions.require(actor is None or issuance_permissions.can_manage_seal(actor, institution))
    authority = jades.generate_certificate_authority(
        organisation=f"{institution.legal_name} (demo)", country_code=str(institution.country)
    )
    credentials = jades.issue_seal_certificate(
        authority,
        organisation=institution.legal_name,
        country_code=str(institution.country),
        organisation_identifier=institution.legal_identifier or None,
        common_name=f"{institution.legal_name} (demo seal)",
    )
    seal = _store(institution, credentials, actor, is_demo=True)
    record_event(
        actor=actor,
        action="seal.demo_created",
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


# -- checking sealed European Digital Credentials ------------------------------------------------


def looks_sealed(document: Any) -> bool:
    """A JWS JSON serialization (a sealed EDC) rather than a credential."""
    return (
        isinstance(document, dict)
        and isinstance(document.get("payload"), str)
        and ("signatures" in document or "protected" in document)
    )


@dataclass(frozen=True)
class SealCheck:
    """The verdict on a sealed document: whether to trust it, and why (`message`)."""

    valid: bool
    message: str
    institution: Institution | None = None
    not_qualified: bool = False
    signing_time: Any = None
    title: str = ""
    learner_name: str = ""


def _registered_seal(verified: jades.SealVerification) -> SealCertificate | None:
    """The seal certificate an institution registered here: the signing certificate itself,
    retired ones included (they were valid when they sealed)."""
    fingerprint = hashlib.sha256(
        verified.certificate.public_bytes(serialization.Encoding.DER)
    ).hexdigest()
    return (
        SealCertificate.objects.select_related("institution")
        .filter(fingerprint_sha256=fingerprint)
        .first()
    )


def _portal_credential_status(payload: Any, institution: Institution) -> str | None:
    """The lifecycle of the portal credential the EDC describes (None for another one)."""
    from issuance.models import Credential

    credential_id = str(payload.get("id", "")) if isinstance(payload, dict) else ""
    if not credential_id.startswith("urn:uuid:"):
        return None
    try:
        credential_uuid = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return None
    credential = Credential.objects.filter(uuid=credential_uuid, issuer=institution).first()
    return credential.lifecycle_status() if credential else None


def check_seal(sealed: dict[str, Any]) -> SealCheck:
    """Verify a sealed EDC: JAdES B-B signature and header, the certificate valid when it
    sealed, the certificate one an institution of this portal registered, and the credential
    it describes neither revoked nor suspended."""
    try:
        verified = jades.verify_seal(sealed)
        payload = verified.payload_json()
    except (SealError, ValueError) as error:
        return SealCheck(False, _("The seal does not verify: %(reason)s") % {"reason": error})
    record = _registered_seal(verified)
    if record is None:
        return SealCheck(
            False,
            _(
                "The seal is intact, but its certificate (%(subject)s) is not the seal of an "
                "institution registered in this portal."
            )
            % {"subject": verified.certificate.subject.rfc4514_string()},
        )
    status = _portal_credential_status(payload, record.institution)
    subject = (
        next(
            (s for s in as_list((payload or {}).get("credentialSubject")) if isinstance(s, dict)),
            {},
        )
        if isinstance(payload, dict)
        else {}
    )
    claim = next((c for c in as_list(subject.get("hasClaim")) if isinstance(c, dict)), {})
    summary: dict[str, Any] = {
        "institution": record.institution,
        "not_qualified": record.is_self_signed or record.is_demo,
        "signing_time": verified.signing_time,
        "title": text(claim.get("title")),
        "learner_name": text(subject.get("fullName")),
    }
    if status == "revoked":
        return SealCheck(
            False,
            _("The seal is genuine, but %(institution)s has revoked this credential.")
            % {"institution": record.institution.legal_name},
            **summary,
        )
    if status == "suspended":
        return SealCheck(
            False,
            _("The seal is genuine, but %(institution)s has suspended this credential.")
            % {"institution": record.institution.legal_name},
            **summary,
        )
    return SealCheck(
        True,
        _("Sealed by %(institution)s on %(date)s; the document has not been changed since.")
        % {
            "institution": record.institution.legal_name,
            "date": verified.signing_time.date().isoformat(),
        },
        **summary,
    )
