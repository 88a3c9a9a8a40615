"""Bringing a credential from another provider into the wallet.

Accepted: Open Badges 3.0 or any VC 2.0 / VC 1.1 credential whose issuer is a did:key or
did:web, secured with an eddsa-rdfc-2022 or Ed25519Signature2020 proof (VC 1.1 is the
Learner Credential Wallet's older format), and Open Badges 2.0 signed assertions (a JWS,
RS256 or ES256) and hosted assertions, verified as that specification says
(`credential_format.ob2`). The format is
recorded, legacy formats marked. The credential is verified on intake (the same verification
as the public page) and refused with the reasons when it does not verify; an issuer unknown to
the alliance registry is accepted and marked. Verification fetches other issuers' documents,
so it runs before the transaction that stores the result.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alliances import permissions
from credential_format import ob2
from credential_format.contexts import CREDENTIALS_V1_URL
from credential_format.reading import as_list
from credential_format.verification import Fetcher
from issuance import selectors
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from verification import fetching
from verification.documents import check_upload_size, parse_credential_text
from verification.verify import is_presentation, verify_credential_document
from wallet import permissions as wallet_permissions
from wallet.models import CredentialFormat, ImportedCredential

ACCEPTED_ISSUER_PREFIXES = ("did:key:", "did:web:")


def content_digest(document: dict[str, Any]) -> str:
    """The same JSON always hashes the same, whatever its whitespace or key order."""
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def import_credential(
    *, learner: User, data: str | bytes, fetcher: Fetcher | None = None
) -> ImportedCredential:
    """Verify another provider's credential and keep it in the learner's wallet."""
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    if ob2.looks_like_compact_jws(text):
        check_upload_size(len(text))
        return _import_open_badges_2(
            learner=learner, document=None, signed=text.strip(), fetcher=fetcher
        )
    document = parse_credential_text(data)
    if ob2.is_hosted_assertion(document):
        return _import_open_badges_2(learner=learner, document=document, signed="", fetcher=fetcher)
    if is_presentation(document):
        raise DomainError(
            _("This is a presentation (a bundle). Import the credentials in it one by one."),
            field="document",
        )
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    if not isinstance(issuer_id, str) or not issuer_id.startswith(ACCEPTED_ISSUER_PREFIXES):
        raise DomainError(
            _(
                "Only credentials whose issuer is identified by a did:key or did:web can be "
                "imported; this one names %(issuer)s."
            )
            % {"issuer": issuer_id if isinstance(issuer_id, str) else "?"},
            field="document",
        )
    credential_id = document.get("id") if isinstance(document.get("id"), str) else ""
    if _issued_here_to(learner, str(credential_id)):
        raise ConflictError(_("This credential was issued here and is already in your wallet."))
    verification = verify_credential_document(document, fetcher=fetcher)
    if not verification.verified:
        reasons = [check.reason for check in verification.report.errors]
        raise DomainError(
            ngettext(
                "The credential did not verify, so it was not imported: %(reasons)s",
                "The credential did not verify, so it was not imported: %(reasons)s",
                len(reasons),
            )
            % {"reasons": " ".join(reasons)},
            code="not_verified",
            field="document",
        )
    summary = verification.summary
    try:
        with transaction.atomic():
            imported = ImportedCredential.objects.create(
                learner=learner,
                document=document,
                content_sha256=content_digest(document),
                credential_id=str(credential_id)[:500],
                title=(summary.title or _("Untitled credential"))[:300],
                issuer_id=issuer_id[:500],
                issuer_name=summary.issuer.name[:300],
                registered_institution=verification.issuer.institution,
                issuer_known=verification.issuer.known,
                verification=verification.to_dict(),
                credential_format=_format_of(document),
            )
            record_event(
                actor=learner,
                action="credential.imported",
                target=imported,
                data={"issuer": issuer_id, "issuer_known": verification.issuer.known},
            )
    except IntegrityError as error:
        raise ConflictError(_("This credential is already in your wallet.")) from error
    return imported


def _format_of(document: dict[str, Any]) -> CredentialFormat:
    if CREDENTIALS_V1_URL in as_list(document.get("@context")):
        return CredentialFormat.VC_1_1
    if "OpenBadgeCredential" in as_list(document.get("type")):
        return CredentialFormat.OPEN_BADGES_3
    return CredentialFormat.VC_2


def _import_open_badges_2(
    *, learner: User, document: dict[str, Any] | None, signed: str, fetcher: Fetcher | None
) -> ImportedCredential:
    """An Open Badges 2.0 assertion: signed (the JWS in `signed`) or hosted (`document`)."""
    source = fetcher or fetching.verification_fetcher()
    file_format = (
        CredentialFormat.OPEN_BADGES_2_SIGNED if signed else CredentialFormat.OPEN_BADGES_2_HOSTED
    )
    try:
        if signed:
            verified = ob2.verify_signed_assertion(signed, fetcher=source)
        else:
            verified = ob2.verify_hosted_assertion(document or {}, fetcher=source)
    except ob2.Ob2Error as error:
        raise DomainError(
            _("The Open Badges 2.0 assertion did not verify, so it was not imported: %(reason)s")
            % {"reason": error},
            code="not_verified",
            field="document",
        ) from error
    assertion = verified.assertion
    try:
        with transaction.atomic():
            imported = ImportedCredential.objects.create(
                learner=learner,
                document=assertion,
                content_sha256=content_digest(assertion),
                credential_id=str(assertion.get("id") or "")[:500],
                title=(verified.title or _("Untitled credential"))[:300],
                issuer_id=verified.issuer_id[:500],
                issuer_name=verified.issuer_name[:300],
                issuer_known=False,
                verification={
                    "verified": True,
                    "format": file_format.value,
                    "key": verified.key_id,
                    "algorithm": verified.algorithm,
                    "checks": [],
                },
                credential_format=file_format,
                signed_form=signed,
            )
            record_event(
                actor=learner,
                action="credential.imported",
                target=imported,
                data={"issuer": verified.issuer_id, "format": file_format.value},
            )
    except IntegrityError as error:
        raise ConflictError(_("This credential is already in your wallet.")) from error
    return imported


def _issued_here_to(learner: User, credential_id: str) -> bool:
    try:
        uuid = UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return False
    return selectors.learner_credentials(learner=learner).filter(uuid=uuid).exists()


@transaction.atomic
def remove_imported_credential(*, learner: User, imported: ImportedCredential) -> None:
    permissions.require(wallet_permissions.can_view_imported_credential(learner, imported))
    record_event(actor=learner, action="credential.import_removed", target=imported)
    imported.delete()
