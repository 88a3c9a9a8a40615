"""The learner's side of a recognition request: submitting credentials and attachments,
adding attachments later, withdrawing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from catalogue.models import ProgrammeVersion
from credential_format.builders import credential_digest_multibase
from credential_format.errors import CredentialFormatError
from credential_format.verification import (
    check_document_limits,
    parse_json_document,
)
from portal import identity
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.tasking import enqueue_on_commit
from recognition import clock
from recognition import permissions as recognition_permissions
from recognition.issuers import programme_version_for_achievement, registry_entry
from recognition.models import (
    OPEN_STATUSES,
    ClockPause,
    CredentialSource,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestAttachment,
    RequestKind,
    RequestStatus,
    SubmittedCredential,
)
from recognition.parsing import parse_credential
from recognition.services.common import _audit, _lock, _now

MAX_CREDENTIALS_PER_REQUEST = 5


MAX_ATTACHMENTS_PER_MESSAGE = 5


# File types by their first bytes, not by the name or the type the browser claims.
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


@dataclass(frozen=True)
class CredentialInput:
    """A credential for a request: uploaded/pasted JSON, or a wallet row (`source_id`; for
    credentials issued here the wallet also passes the programme version it was issued for)."""

    document: dict[str, Any]
    source: str = CredentialSource.UPLOADED
    source_id: int | None = None
    programme_version_id: int | None = None


@dataclass(frozen=True)
class AttachmentInput:
    """An uploaded file; `size` is the uploaded size when only its beginning was read."""

    name: str
    data: bytes
    size: int | None = None


def check_credential_size(size: int) -> None:
    limit = settings.RECOGNITION_CREDENTIAL_MAX_BYTES
    if size > limit:
        raise DomainError(
            _("The credential file is %(size)s KB; at most %(limit)s KB are accepted.")
            % {"size": (size + 1023) // 1024, "limit": limit // 1024},
            code="too_large",
            field="credential",
        )


def parse_credential_json(data: str | bytes) -> dict[str, Any]:
    """The credential JSON a learner uploaded or pasted, or a clear message why not."""
    limit = settings.RECOGNITION_CREDENTIAL_MAX_BYTES
    raw = data.encode("utf-8") if isinstance(data, str) else data
    check_credential_size(len(raw))
    if not raw.strip():
        raise DomainError(_("The credential is empty."), code="invalid_json", field="credential")
    try:
        document = parse_json_document(raw, max_bytes=limit)
    except CredentialFormatError as error:
        raise DomainError(
            _(
                "This is not valid JSON, so it cannot be a credential. Upload the credential "
                "file (.json) your wallet or issuer gave you, unchanged."
            ),
            code="invalid_json",
            field="credential",
        ) from error
    if not isinstance(document, dict):
        raise DomainError(
            _("The JSON is not a credential: it must be one JSON object."),
            code="invalid_json",
            field="credential",
        )
    return document


def check_document_size(document: Any) -> None:
    """Size and nesting limits for a credential given as a parsed JSON object (API)."""
    limit = settings.RECOGNITION_CREDENTIAL_MAX_BYTES
    try:
        check_document_limits(document, max_bytes=limit)
    except CredentialFormatError as error:
        raise DomainError(
            _("A credential is too large or too deeply nested; at most %(limit)s KB are accepted.")
            % {"limit": limit // 1024},
            code="too_large",
            field="credentials",
        ) from error


def credential_digest(document: dict[str, Any]) -> str:
    """The digest of the credential's canonical form; a document that cannot be
    canonicalised (it will fail verification) is digested as sorted-key JSON instead."""
    try:
        return credential_digest_multibase(document)
    except CredentialFormatError:
        text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        multihash = b"\x12\x20" + hashlib.sha256(text.encode("utf-8")).digest()
        return "u" + base64.urlsafe_b64encode(multihash).rstrip(b"=").decode("ascii")


def _attachment_type(data: bytes) -> str:
    for signature, content_type in ATTACHMENT_SIGNATURES.items():
        if data.startswith(signature):
            return content_type
    raise DomainError(
        _("Attachments must be PDF, PNG or JPEG files."), code="bad_attachment", field="attachments"
    )


def _check_attachments(attachments: Sequence[AttachmentInput]) -> list[tuple[AttachmentInput, str]]:
    if len(attachments) > MAX_ATTACHMENTS_PER_MESSAGE:
        raise DomainError(
            _("At most %(count)s attachments at a time.") % {"count": MAX_ATTACHMENTS_PER_MESSAGE},
            code="bad_attachment",
            field="attachments",
        )
    limit = settings.RECOGNITION_ATTACHMENT_MAX_BYTES
    checked = []
    for attachment in attachments:
        size = attachment.size if attachment.size is not None else len(attachment.data)
        if size > limit or len(attachment.data) > limit:
            raise DomainError(
                _("%(name)s is %(size)s KB; each attachment may be at most %(limit)s KB.")
                % {
                    "name": attachment.name[:80],
                    "size": (size + 1023) // 1024,
                    "limit": limit // 1024,
                },
                code="too_large",
                field="attachments",
            )
        checked.append((attachment, _attachment_type(attachment.data)))
    return checked


def _store_attachments(
    case: RecognitionRequest, actor: User, checked: list[tuple[AttachmentInput, str]]
) -> None:
    for attachment, content_type in checked:
        row = RequestAttachment(
            request=case,
            original_name=attachment.name[:200] or "attachment",
            content_type=content_type,
            size=len(attachment.data),
            uploaded_by=actor,
        )
        row.file.save("attachment", ContentFile(attachment.data), save=False)
        row.save()


def _check_attachment_quota(
    learner: User, case: RecognitionRequest | None, checked: list[tuple[AttachmentInput, str]]
) -> None:
    """Attachments count against a total per request and per learner (over all requests)."""
    adding = sum(len(attachment.data) for attachment, _type in checked)
    if not adding:
        return
    # Serialise a learner's uploads, so two at once cannot both fit under the quota.
    User.objects.select_for_update().filter(pk=learner.pk).first()
    used_by_learner = (
        RequestAttachment.objects.filter(request__learner=learner).aggregate(total=Sum("size"))[
            "total"
        ]
        or 0
    )
    used_by_request = (case.attachments.aggregate(total=Sum("size"))["total"] or 0) if case else 0
    for used, limit in (
        (used_by_request, settings.RECOGNITION_ATTACHMENTS_PER_REQUEST_MAX_BYTES),
        (used_by_learner, settings.RECOGNITION_ATTACHMENTS_PER_LEARNER_MAX_BYTES),
    ):
        if used + adding > limit:
            raise DomainError(
                _(
                    "These files would bring your attachments to %(size)s KB; at most %(limit)s KB "
                    "are accepted in total."
                )
                % {"size": (used + adding + 1023) // 1024, "limit": limit // 1024},
                code="quota_exceeded",
                field="attachments",
            )


def _submitted_credential(
    case: RecognitionRequest, position: int, item: CredentialInput
) -> SubmittedCredential:
    parsed = parse_credential(item.document)
    entry = registry_entry(parsed.issuer_id)
    issuer = entry.institution
    version: ProgrammeVersion | None = None
    if item.source == CredentialSource.ISSUED_HERE and item.programme_version_id is not None:
        version = ProgrammeVersion.objects.filter(pk=item.programme_version_id).first()
    else:
        version = programme_version_for_achievement(parsed.achievement_id, issuer)
    return SubmittedCredential(
        request=case,
        position=position,
        document=item.document,
        digest_multibase=credential_digest(item.document),
        source=item.source,
        source_id=item.source_id,
        credential_id=parsed.credential_id,
        title=parsed.title,
        issuer_id=parsed.issuer_id,
        issuer_name=parsed.issuer_name,
        issuer_institution=issuer,
        programme_version=version,
        achievement_id=parsed.achievement_id,
        ects=parsed.ects,
        eqf_level=parsed.eqf_level,
        learning_outcomes=parsed.learning_outcomes,
        skill_uris=parsed.skill_uris,
        assessment_type=parsed.assessment_type,
        supervision=parsed.supervision,
        quality_assurance=parsed.quality_assurance,
        grade=parsed.grade,
        not_stated=parsed.not_stated,
        submitted_at=case.received_at,
        subject_id=parsed.subject_id,
        proof_value=parsed.proof_value,
        issuer_trust=entry.trust,
        trusted_issuer=entry.trusted_issuer,
    )


@transaction.atomic
def submit_request(
    *,
    learner: User,
    institution: Institution,
    kind: str,
    target: RecognitionTarget | None,
    motivation: str,
    credentials: Sequence[CredentialInput],
    attachments: Sequence[AttachmentInput] = (),
    now: datetime | None = None,
) -> RecognitionRequest:
    """A learner asks the institution to recognise credentials; the pre-assessment is queued."""
    now = _now(now)
    policy = RecognitionPolicy.objects.filter(institution=institution).first()
    if policy is None:
        raise DomainError(
            _("%(institution)s does not take recognition requests through the portal yet.")
            % {"institution": institution},
            code="no_policy",
        )
    if kind not in RequestKind.values:
        raise DomainError(_("Choose a course or free-elective credits."), field="kind")
    if kind == RequestKind.COURSE:
        if target is None:
            raise DomainError(
                _("Choose the course you want the credits to count towards."), field="target"
            )
        if target.institution_id != institution.pk or not target.is_active:
            raise DomainError(_("This course does not take recognition requests."), field="target")
    else:
        target = None
    if not credentials:
        raise DomainError(_("Add at least one credential."), field="credential")
    if len(credentials) > MAX_CREDENTIALS_PER_REQUEST:
        raise DomainError(
            _("At most %(count)s credentials per request.")
            % {"count": MAX_CREDENTIALS_PER_REQUEST},
            field="credential",
        )
    checked_attachments = _check_attachments(attachments)
    _check_attachment_quota(learner, None, checked_attachments)
    digests = [credential_digest(item.document) for item in credentials]
    if len(set(digests)) != len(digests):
        raise DomainError(_("The same credential was added twice."), field="credential")
    duplicate = RecognitionRequest.objects.filter(
        learner=learner,
        institution=institution,
        target=target,
        kind=kind,
        status__in=[*OPEN_STATUSES, RequestStatus.DECIDED, RequestStatus.APPEALED],
        credentials__digest_multibase__in=digests,
    ).first()
    if duplicate is not None:
        raise ConflictError(
            _(
                "You already asked for this recognition (%(reference)s); follow that request instead."
            )
            % {"reference": duplicate.reference},
            code="duplicate_request",
        )
    case = RecognitionRequest.objects.create(
        learner=learner,
        institution=institution,
        kind=kind,
        target=target,
        motivation=motivation.strip()[:4000],
        received_at=now,
        time_limit_days=policy.time_limit_days,
        appeal_period_days=policy.appeal_period_days,
        appeals_decided_by=policy.appeals_decided_by,
        deadline_at=clock.initial_deadline(now, policy.time_limit_days, institution.zone),
        updated_at=now,
        learner_name=identity.name_at(learner, now),
    )
    SubmittedCredential.objects.bulk_create(
        [
            _submitted_credential(case, position, item)
            for position, item in enumerate(credentials, 1)
        ]
    )
    _store_attachments(case, learner, checked_attachments)
    _audit(
        learner,
        "recognition.submitted",
        case,
        credentials=len(credentials),
        attachments=len(checked_attachments),
        deadline=case.deadline_at.isoformat(),
    )
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, case.pk)
    return case


@transaction.atomic
def add_attachments(
    *, learner: User, case: RecognitionRequest, attachments: Sequence[AttachmentInput]
) -> list[RequestAttachment]:
    """The learner adds documents to an open request."""
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    if not attachments:
        raise DomainError(_("Choose at least one file."), field="attachments")
    checked = _check_attachments(attachments)
    _check_attachment_quota(learner, case, checked)
    before = set(case.attachments.values_list("pk", flat=True))
    _store_attachments(case, learner, checked)
    _audit(learner, "recognition.attachments_added", case, count=len(checked))
    return list(case.attachments.exclude(pk__in=before))


@transaction.atomic
def withdraw_request(
    *, learner: User, case: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("A decided request cannot be withdrawn."))
    ClockPause.objects.filter(request=case, ended_at__isnull=True).update(ended_at=now)
    case.status = RequestStatus.WITHDRAWN
    case.paused_since = None
    case.closed_at = now
    case.updated_at = now
    case.save()
    _audit(learner, "recognition.withdrawn", case)
    return case
