"""Writes of the recognition workflow: policies, targets (and their CSV import), requests,
the automated pre-assessment, information requests, decisions, appeals and agreements.

Every service checks permissions through `alliances.permissions` (404 when refused), owns
its transaction and writes an audit event per step. Status changes happen only while the
request row is locked (`select_for_update`) and after checking the current status, so
concurrent attempts get a `ConflictError` with a message rather than a second decision.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Alliance, Institution
from catalogue.models import Programme, ProgrammeVersion
from issuance import identity as issuance_identity
from issuance.vc.builders import credential_digest_multibase
from issuance.vc.errors import CredentialFormatError
from issuance.vc.verification import (
    Outcome,
    check_document_limits,
    parse_json_document,
    verify_presentation,
)
from portal import identity, uploads
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email
from portal.tasking import enqueue_on_commit
from recognition import checks, clock, selectors
from recognition.credentials import recognition_credential_due
from recognition.issuers import programme_version_for_achievement, registry_entry
from recognition.models import (
    DECIDABLE_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealOutcome,
    AppealRoute,
    AppealStatus,
    CaseMessage,
    ChecksStatus,
    ClockPause,
    CredentialSource,
    Decision,
    DecisionOutcome,
    DifferenceElement,
    HolderChallenge,
    HolderStatus,
    IssuerTrust,
    MessageKind,
    RecognitionAgreement,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestAttachment,
    RequestKind,
    RequestStatus,
    SubmittedCredential,
    TargetUpload,
    TrustedIssuer,
)
from recognition.parsing import ESCO_SKILL_PREFIX, parse_credential

MAX_CREDENTIALS_PER_REQUEST = 5
MAX_ATTACHMENTS_PER_MESSAGE = 5
# File types by their first bytes, not by the name or the type the browser claims.
ATTACHMENT_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
TARGET_COLUMNS = [
    "code",
    "title",
    "programme",
    "ects",
    "eqf_level",
    "assessment_type",
    "learning_outcomes",
    "skills",
]
REQUIRED_TARGET_COLUMNS = {"code", "title", "ects", "eqf_level"}
# How steps taken by the portal itself (checks, automatic decisions) appear in the audit trail.
SYSTEM_ACTOR = "portal"


class ConflictOfInterestError(DomainError):
    """The person may see the case but must not take this step in it."""

    status_code = 403
    code = "conflict_of_interest"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(request: RecognitionRequest) -> RecognitionRequest:
    return RecognitionRequest.objects.select_for_update().get(pk=request.pk)


def _audit(actor: Any, action: str, request: RecognitionRequest, **data: Any) -> None:
    record_event(
        actor=actor, action=action, target=request, institution_id=request.institution_id, data=data
    )


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error


# --- policy ------------------------------------------------------------------------------


@transaction.atomic
def save_policy(
    *,
    actor: User,
    institution: Institution,
    time_limit_days: int,
    appeal_period_days: int,
    appeals_decided_by: str,
    procedure: str = "",
) -> RecognitionPolicy:
    """Publish (or change) the institution's recognition procedure. Requests already received
    keep the time limit and appeal route they were given."""
    permissions.require(permissions.can_manage_recognition_policy(actor, institution.pk))
    policy = RecognitionPolicy.objects.select_for_update().filter(
        institution=institution
    ).first() or RecognitionPolicy(institution=institution)
    policy.time_limit_days = time_limit_days
    policy.appeal_period_days = appeal_period_days
    policy.appeals_decided_by = appeals_decided_by
    policy.procedure = procedure.strip()
    policy.updated_at = timezone.now()
    _full_clean(policy, exclude=["institution"])
    policy.save()
    record_event(
        actor=actor,
        action="recognition.policy_saved",
        target=policy,
        institution_id=institution.pk,
        data={
            "time_limit_days": time_limit_days,
            "appeal_period_days": appeal_period_days,
            "appeals_decided_by": appeals_decided_by,
        },
    )
    return policy


# --- targets -----------------------------------------------------------------------------


def _clean_outcomes(outcomes: Sequence[str]) -> list[str]:
    return [text.strip()[:1000] for text in outcomes if text and text.strip()][:50]


def _clean_skills(uris: Sequence[str]) -> list[str]:
    cleaned: dict[str, None] = {}
    for uri in uris:
        uri = uri.strip()
        if not uri:
            continue
        if not uri.startswith(ESCO_SKILL_PREFIX) or len(uri) > 200:
            raise DomainError(
                _("%(uri)s is not an ESCO skill address (http://data.europa.eu/esco/skill/...).")
                % {"uri": uri[:80]},
                field="skills",
            )
        cleaned.setdefault(uri, None)
    return list(cleaned)[:100]


def _apply_target_data(target: RecognitionTarget, data: dict[str, Any]) -> None:
    for name in ("code", "title", "programme_title", "assessment_type"):
        if name in data:
            setattr(target, name, str(data[name]).strip())
    for name in ("ects", "eqf_level", "is_active"):
        if name in data:
            setattr(target, name, data[name])
    if "learning_outcomes" in data:
        target.learning_outcomes = _clean_outcomes(data["learning_outcomes"])
    if "skill_uris" in data:
        target.skill_uris = _clean_skills(data["skill_uris"])


@transaction.atomic
def create_target(
    *, actor: User, institution: Institution, data: dict[str, Any]
) -> RecognitionTarget:
    permissions.require(permissions.can_manage_recognition_targets(actor, institution.pk))
    target = RecognitionTarget(institution=institution)
    _apply_target_data(target, data)
    if RecognitionTarget.objects.filter(institution=institution, code=target.code).exists():
        raise DomainError(_("Your institution already has a target with this code."), field="code")
    _full_clean(target, exclude=["institution"])
    target.save()
    record_event(
        actor=actor,
        action="recognition.target_created",
        target=target,
        institution_id=institution.pk,
        data={"code": target.code},
    )
    return target


@transaction.atomic
def update_target(
    *, actor: User, target: RecognitionTarget, data: dict[str, Any]
) -> RecognitionTarget:
    target = RecognitionTarget.objects.select_for_update().get(pk=target.pk)
    permissions.require(permissions.can_manage_recognition_targets(actor, target.institution_id))
    _apply_target_data(target, data)
    if (
        RecognitionTarget.objects.filter(institution_id=target.institution_id, code=target.code)
        .exclude(pk=target.pk)
        .exists()
    ):
        raise DomainError(_("Your institution already has a target with this code."), field="code")
    target.updated_at = timezone.now()
    _full_clean(target, exclude=["institution"])
    target.save()
    record_event(
        actor=actor,
        action="recognition.target_updated",
        target=target,
        institution_id=target.institution_id,
        data={"fields": sorted(data)},
    )
    return target


TARGETS_UPLOAD = uploads.CsvUpload(
    columns=TARGET_COLUMNS,
    required=frozenset(REQUIRED_TARGET_COLUMNS),
    max_bytes_setting="RECOGNITION_TARGETS_UPLOAD_MAX_BYTES",
    max_rows_setting="RECOGNITION_TARGETS_UPLOAD_MAX_ROWS",
)


@dataclass
class TargetRow(uploads.CsvRow):
    data: dict[str, Any] | None = None
    existing: RecognitionTarget | None = None


TargetUploadPreview = uploads.CsvPreview[TargetUpload, TargetRow]


def _validate_target_rows(institution: Institution, content: str) -> list[TargetRow]:
    rows = TARGETS_UPLOAD.rows(content, TargetRow)
    existing = {
        target.code: target
        for target in RecognitionTarget.objects.filter(
            institution=institution, code__in=[row.values.get("code", "") for row in rows]
        )
    }
    seen: dict[str, int] = {}
    for row in rows:
        if not row.valid:  # refused as a whole (a formula-like cell)
            continue
        line, values = row.line, row.values
        code = values.get("code", "")
        if not code or len(code) > 40:
            row.errors.append(_("The code is required (at most 40 characters)."))
        elif code in seen:
            row.errors.append(
                _("Duplicate: line %(line)s has the same code.") % {"line": seen[code]}
            )
        else:
            seen[code] = line
        if not values.get("title"):
            row.errors.append(_("The title is required."))
        try:
            ects = Decimal(values.get("ects", "").replace(",", "."))
            if not Decimal("0.5") <= ects <= Decimal("60"):
                raise InvalidOperation
        except InvalidOperation:
            ects = None
            row.errors.append(_("ECTS must be a number from 0.5 to 60."))
        level = values.get("eqf_level", "")
        if not (level.isdigit() and 1 <= int(level) <= 8):
            row.errors.append(_("The EQF level must be a whole number from 1 to 8."))
        try:
            skills = _clean_skills(values.get("skills", "").split())
        except DomainError as error:
            skills = []
            row.errors.append(error.message)
        if not row.errors and ects is not None:
            row.existing = existing.get(code)
            row.data = {
                "code": code,
                "title": values["title"][:255],
                "programme_title": values.get("programme", "")[:255],
                "ects": ects,
                "eqf_level": int(level),
                "assessment_type": values.get("assessment_type", "")[:255],
                "learning_outcomes": values.get("learning_outcomes", "").split("|"),
                "skill_uris": skills,
            }
    return rows


@transaction.atomic
def preview_targets_upload(
    *, actor: User, institution: Institution, filename: str, size: int, data: bytes
) -> TargetUploadPreview:
    """Check a targets CSV row by row without saving any target; keep the file so that the
    officer can confirm the preview."""
    permissions.require(permissions.can_manage_recognition_targets(actor, institution.pk))
    content = TARGETS_UPLOAD.read(size=size, data=data)
    rows = _validate_target_rows(institution, content)
    upload = TargetUpload.objects.create(
        institution=institution, uploaded_by=actor, filename=filename[:200], content=content
    )
    preview = TargetUploadPreview(upload=upload, rows=rows)
    record_event(
        actor=actor,
        action="recognition.targets_upload_previewed",
        target=upload,
        institution_id=institution.pk,
        data=preview.summary(),
    )
    return preview


def preview_stored_targets_upload(*, actor: User, upload: TargetUpload) -> TargetUploadPreview:
    permissions.require(upload.uploaded_by_id == actor.pk)
    return TargetUploadPreview(
        upload=upload,
        rows=_validate_target_rows(upload.institution, upload.content),
    )


@transaction.atomic
def confirm_targets_upload(*, actor: User, upload: TargetUpload) -> TargetUploadPreview:
    """Save every valid row in one transaction: new codes create targets, known codes update
    them. Rows are checked again (targets may have changed since the preview)."""
    upload = (
        TargetUpload.objects.select_for_update(of=("self",))
        .select_related("institution")
        .get(pk=upload.pk)
    )
    permissions.require(
        upload.uploaded_by_id == actor.pk
        and permissions.can_manage_recognition_targets(actor, upload.institution_id)
    )
    if upload.confirmed_at is not None:
        raise ConflictError(_("This upload was already saved."))
    preview = preview_stored_targets_upload(actor=actor, upload=upload)
    saved = 0
    for row in preview.valid_rows:
        assert row.data is not None
        target = row.existing or RecognitionTarget(institution=upload.institution)
        _apply_target_data(target, row.data)
        target.updated_at = timezone.now()
        target.save()
        saved += 1
    upload.confirmed_at = timezone.now()
    upload.saved_rows = saved
    upload.save(update_fields=["confirmed_at", "saved_rows"])
    record_event(
        actor=actor,
        action="recognition.targets_upload_saved",
        target=upload,
        institution_id=upload.institution_id,
        data={"saved": saved},
    )
    return preview


# --- requests ----------------------------------------------------------------------------


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
    request: RecognitionRequest, actor: User, checked: list[tuple[AttachmentInput, str]]
) -> None:
    for attachment, content_type in checked:
        row = RequestAttachment(
            request=request,
            original_name=attachment.name[:200] or "attachment",
            content_type=content_type,
            size=len(attachment.data),
            uploaded_by=actor,
        )
        row.file.save("attachment", ContentFile(attachment.data), save=False)
        row.save()


def _check_attachment_quota(
    learner: User, request: RecognitionRequest | None, checked: list[tuple[AttachmentInput, str]]
) -> None:
    """Attachments count against a total per request and per learner (over all requests)."""
    adding = sum(len(attachment.data) for attachment, _type in checked)
    if not adding:
        return
    used_by_learner = (
        RequestAttachment.objects.filter(request__learner=learner).aggregate(total=Sum("size"))[
            "total"
        ]
        or 0
    )
    used_by_request = (
        (request.attachments.aggregate(total=Sum("size"))["total"] or 0) if request else 0
    )
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
    request: RecognitionRequest, position: int, item: CredentialInput
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
        request=request,
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
        submitted_at=request.received_at,
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
    request = RecognitionRequest.objects.create(
        learner=learner,
        institution=institution,
        kind=kind,
        target=target,
        motivation=motivation.strip()[:4000],
        received_at=now,
        time_limit_days=policy.time_limit_days,
        appeal_period_days=policy.appeal_period_days,
        appeals_decided_by=policy.appeals_decided_by,
        deadline_at=clock.initial_deadline(now, policy.time_limit_days),
        updated_at=now,
        learner_name=identity.name_at(learner, now),
    )
    SubmittedCredential.objects.bulk_create(
        [
            _submitted_credential(request, position, item)
            for position, item in enumerate(credentials, 1)
        ]
    )
    _store_attachments(request, learner, checked_attachments)
    _audit(
        learner,
        "recognition.submitted",
        request,
        credentials=len(credentials),
        attachments=len(checked_attachments),
        deadline=request.deadline_at.isoformat(),
    )
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, request.pk)
    return request


@transaction.atomic
def add_attachments(
    *, learner: User, request: RecognitionRequest, attachments: Sequence[AttachmentInput]
) -> list[RequestAttachment]:
    """The learner adds documents to an open request."""
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    if not attachments:
        raise DomainError(_("Choose at least one file."), field="attachments")
    checked = _check_attachments(attachments)
    _check_attachment_quota(learner, request, checked)
    before = set(request.attachments.values_list("pk", flat=True))
    _store_attachments(request, learner, checked)
    _audit(learner, "recognition.attachments_added", request, count=len(checked))
    return list(request.attachments.exclude(pk__in=before))


@transaction.atomic
def withdraw_request(
    *, learner: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("A decided request cannot be withdrawn."))
    ClockPause.objects.filter(request=request, ended_at__isnull=True).update(ended_at=now)
    request.status = RequestStatus.WITHDRAWN
    request.paused_since = None
    request.closed_at = now
    request.updated_at = now
    request.save()
    _audit(learner, "recognition.withdrawn", request)
    return request


# --- automated pre-assessment ------------------------------------------------------------

# A change of the account's name this shortly before a request is shown to the officer.
NAME_CHANGE_WINDOW = timedelta(days=90)


def _holder_status(credential: SubmittedCredential, learner: User) -> str:
    """Who the credential belongs to, as far as the portal can tell (docs/recognition.md)."""
    issued = selectors.issued_here_record(credential)
    if issued is not None:
        return str(
            HolderStatus.ISSUED_HERE
            if issued.learner_id == learner.pk
            else HolderStatus.ISSUED_TO_OTHER
        )
    # A proof recorded for this request stands even when a copy exists elsewhere: the true
    # holder may come second, after someone submitted a copy.
    if credential.holder_status in (HolderStatus.PRESENTATION, HolderStatus.OFFICER):
        return str(credential.holder_status)
    if selectors.same_credential_elsewhere(credential, learner):
        return str(HolderStatus.ISSUED_TO_OTHER)
    return str(HolderStatus.NOT_PROVEN)


@transaction.atomic
def run_preassessment(*, request_id: int, now: datetime | None = None) -> RecognitionRequest | None:
    """Verify the credentials, compare them with the target, look up precedents and
    agreements, and store the report. A request covered by an agreement is decided
    automatically. Does nothing if the checks already ran (duplicate task delivery) or another
    worker is running them."""
    now = _now(now)
    request = (
        RecognitionRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=request_id, checks_status=ChecksStatus.PENDING)
        .select_related("target", "institution", "learner")
        .first()
    )
    if request is None:
        return None
    credentials = list(
        request.credentials.select_related("issuer_institution", "programme_version")
    )
    for credential in credentials:
        entry = registry_entry(credential.issuer_id)
        credential.issuer_trust = entry.trust
        credential.issuer_institution = entry.institution
        credential.trusted_issuer = entry.trusted_issuer
        outcome = checks.verify_submitted_document(credential.document, now=now, registry=entry)
        credential.verification = outcome.report
        credential.verdict = outcome.verdict
        credential.holder_status = _holder_status(credential, request.learner)
    SubmittedCredential.objects.bulk_update(
        credentials,
        [
            "verification",
            "verdict",
            "issuer_trust",
            "issuer_institution",
            "trusted_issuer",
            "holder_status",
        ],
    )
    holder_name = request.learner_name or identity.name_at(request.learner, request.received_at)
    recent_changes = [
        {
            "old_name": change.old_name,
            "new_name": change.new_name,
            "applied_at": change.applied_at.date().isoformat() if change.applied_at else "",
        }
        for change in identity.name_changes_between(
            request.learner, request.received_at - NAME_CHANGE_WINDOW, request.received_at
        )
    ]
    agreements = (
        list(selectors.applicable_agreements(target=request.target, on=now.date()))
        if request.target is not None
        else []
    )
    report = checks.run_checks(
        credentials=credentials,
        target=request.target,
        agreements=agreements,
        precedents=list(selectors.precedents_for(request=request, credentials=credentials)),
        skill_labels=selectors.skill_labels(
            {uri for c in credentials for uri in c.skill_uris}
            | set(request.target.skill_uris if request.target else [])
        ),
        holder_name=holder_name,
        now=now,
        recent_name_changes=recent_changes,
    )
    request.checks = report
    request.checks_status = ChecksStatus.DONE
    request.checks_completed_at = now
    request.updated_at = now
    request.save(update_fields=["checks", "checks_status", "checks_completed_at", "updated_at"])
    recommendation = report["recommendation"]
    _audit(
        SYSTEM_ACTOR,
        "recognition.checks_completed",
        request,
        recommendation=recommendation["kind"],
        verdicts=[c.verdict for c in credentials],
    )
    agreement_id = recommendation.get("agreement")
    if (
        recommendation.get("automatic")
        and agreement_id is not None
        and request.status in DECIDABLE_STATUSES
    ):
        agreement = next(a for a in agreements if a.pk == agreement_id)
        _decide_under_agreement(request, agreement, now)
    return request


def _decide_under_agreement(
    request: RecognitionRequest, agreement: RecognitionAgreement, now: datetime
) -> Decision:
    target = agreement.target
    full = agreement.ects >= target.ects
    decision = _record_decision(
        request,
        decided_by=None,
        agreement=agreement,
        outcome=DecisionOutcome.FULL if full else DecisionOutcome.PARTIAL,
        credits_granted=agreement.ects,
        counts_towards=f"{target.code} {target.title}",
        component_replaced="" if full else f"{target.code} {target.title}",
        differences=[]
        if full
        else [
            DifferenceInput(
                DifferenceElement.WORKLOAD,
                _("The recognition agreement grants %(ects)s of the course's %(target)s ECTS.")
                % {"ects": agreement.ects, "target": target.ects},
            )
        ],
        compensatory_measures="",
        reasons=_("Decided automatically under the recognition agreement recorded on %(date)s.")
        % {"date": agreement.recorded_at.date().isoformat()},
        now=now,
    )
    _audit(
        SYSTEM_ACTOR,
        "recognition.decided_automatically",
        request,
        agreement=agreement.pk,
        decision=decision.pk,
    )
    return decision


@transaction.atomic
def rerun_checks(*, officer: User, request: RecognitionRequest) -> RecognitionRequest:
    """Run the pre-assessment again (e.g. after the issuer's key became reachable)."""
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("The checks of a decided request are kept as they were."))
    request.checks_status = ChecksStatus.PENDING
    request.save(update_fields=["checks_status"])
    _audit(officer, "recognition.checks_requested", request)
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, request.pk)
    return request


# --- holder binding ----------------------------------------------------------------------

HOLDER_CHALLENGE_LIFETIME = timedelta(minutes=30)
# Each attempt uses up a challenge; past this many the officer checks the identity instead.
MAX_HOLDER_CHALLENGES = 20


def _requeue_checks(request: RecognitionRequest) -> None:
    request.checks_status = ChecksStatus.PENDING
    request.save(update_fields=["checks_status"])
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, request.pk)


@transaction.atomic
def issue_holder_challenge(
    *, learner: User, request: RecognitionRequest, now: datetime | None = None
) -> HolderChallenge:
    """A one-time challenge (with the portal's domain) for the learner's wallet to sign in a
    presentation proving control of a credential's subject; valid for 30 minutes and only for
    this request. An unused one still valid is given again."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    active = request.holder_challenges.filter(used_at__isnull=True, expires_at__gt=now).first()
    if active is not None:
        return active
    if request.holder_challenges.count() >= MAX_HOLDER_CHALLENGES:
        raise ConflictError(
            _("Too many attempts for this request: ask the officer to check your identity."),
            code="too_many_attempts",
        )
    challenge = HolderChallenge.objects.create(
        request=request,
        challenge=secrets.token_urlsafe(24),
        domain=issuance_identity.portal_host(),
        created_at=now,
        expires_at=now + HOLDER_CHALLENGE_LIFETIME,
    )
    _audit(learner, "recognition.holder_challenge_issued", request)
    return challenge


def _presentation_challenge(presentation: dict[str, Any]) -> str:
    proofs = presentation.get("proof")
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        if isinstance(proof, dict) and isinstance(proof.get("challenge"), str):
            return str(proof["challenge"])[:64]
    return ""


def prove_holder(
    *,
    learner: User,
    request: RecognitionRequest,
    presentation: Any,
    now: datetime | None = None,
) -> list[SubmittedCredential]:
    """The learner proves control of the subject DID of the request's credentials with a
    Verifiable Presentation signed by that DID (proof purpose authentication) over a challenge
    and domain the portal issued for this request. The challenge is used up either way (the
    refusal is committed before it is raised)."""
    proven = _prove_holder(learner=learner, request=request, presentation=presentation, now=now)
    if not proven:
        raise DomainError(
            _(
                "The presentation does not prove that you hold these credentials: it must be "
                "signed by the credential's subject, for the challenge and domain shown on this "
                "request, within 30 minutes."
            ),
            code="holder_not_proven",
            field="presentation",
        )
    return proven


@transaction.atomic
def _prove_holder(
    *,
    learner: User,
    request: RecognitionRequest,
    presentation: Any,
    now: datetime | None = None,
) -> list[SubmittedCredential]:
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("Documents can only be added while the request is open."))
    if not isinstance(presentation, dict):
        return []
    check_document_size(presentation)
    challenge = (
        HolderChallenge.objects.select_for_update()
        .filter(
            request=request,
            challenge=_presentation_challenge(presentation),
            used_at__isnull=True,
            expires_at__gt=now,
        )
        .first()
    )
    if challenge is None:
        _audit(learner, "recognition.holder_proof_refused", request, reason=["challenge"])
        return []
    challenge.used_at = now
    challenge.save(update_fields=["used_at"])
    report = verify_presentation(
        presentation,
        fetcher=checks.verification_fetcher(),
        now=now,
        challenge=challenge.challenge,
        domain=challenge.domain,
    )
    holder = report.issuer if isinstance(report.issuer, str) else ""
    own_checks_pass = bool(report.checks) and not report.errors
    signed_by_holder = any(
        check.id == "issuer-key" and check.outcome == Outcome.PASSED for check in report.checks
    )
    proven = [
        credential
        for credential in request.credentials.all()
        if holder
        and credential.subject_id == holder
        and selectors.issued_here_record(credential) is None
    ]
    if not (own_checks_pass and signed_by_holder and proven):
        _audit(
            learner,
            "recognition.holder_proof_refused",
            request,
            reason=[check.code for check in report.errors] or ["subject"],
        )
        return []
    for credential in proven:
        credential.holder_status = HolderStatus.PRESENTATION
        credential.holder_note = f"{holder} ({now.isoformat()})"
    SubmittedCredential.objects.bulk_update(proven, ["holder_status", "holder_note"])
    _audit(
        learner,
        "recognition.holder_proven",
        request,
        subject=holder,
        credentials=[c.position for c in proven],
    )
    _requeue_checks(request)
    return proven


@transaction.atomic
def record_identity_check(
    *, officer: User, request: RecognitionRequest, position: int, note: str
) -> SubmittedCredential:
    """An officer records that they checked the learner is the credential's holder (an
    identity document, a call with the issuer), with a note; the checks run again."""
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in OPEN_STATUSES:
        raise ConflictError(_("The checks of a decided request are kept as they were."))
    if not note.strip():
        raise DomainError(_("Give a reason."), code="reasons_required", field="note")
    credential = request.credentials.filter(position=position).first()
    if credential is None:
        raise DomainError(_("Add at least one credential."), field="position")
    credential.holder_status = HolderStatus.OFFICER
    credential.holder_note = note.strip()[:2000]
    credential.save(update_fields=["holder_status", "holder_note"])
    _audit(
        officer,
        "recognition.identity_checked",
        request,
        credential=position,
        note=credential.holder_note,
    )
    _requeue_checks(request)
    return credential


# --- officer steps -----------------------------------------------------------------------


def _refuse_if_leased_by_other(request: RecognitionRequest, officer: User, now: datetime) -> None:
    if request.lease_held_by_other(officer, now):
        holder = request.assigned_to.display_name if request.assigned_to else ""
        raise ConflictError(
            _(
                "%(name)s is assessing this case until %(time)s; it cannot be taken or decided by someone else meanwhile."
            )
            % {
                "name": holder,
                "time": timezone.localtime(request.lease_expires_at).strftime("%H:%M"),
            },
            code="case_taken",
        )


@transaction.atomic
def take_case(
    *, officer: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    """Assign the case to the officer for a while (a lease), so that two officers do not
    assess it at once. Taking it again renews the lease."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _("This case cannot be taken now: %(status)s.")
            % {"status": request.get_status_display()}
        )
    _refuse_if_leased_by_other(request, officer, now)
    request.assigned_to = officer
    request.lease_expires_at = now + clock.CASE_LEASE
    request.status = RequestStatus.IN_REVIEW
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.taken", request, until=request.lease_expires_at.isoformat())
    return request


@transaction.atomic
def release_case(
    *, officer: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.assigned_to_id != officer.pk:
        raise ConflictError(_("You have not taken this case."))
    request.assigned_to = None
    request.lease_expires_at = None
    if request.status == RequestStatus.IN_REVIEW:
        request.status = RequestStatus.SUBMITTED
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.released", request)
    return request


def _notify_learner(request: RecognitionRequest, template: str, **context: Any) -> None:
    learner = request.learner
    notify_by_email(
        recipient=learner.email,
        template=f"recognition/email/{template}",
        context={
            "request": request,
            "learner": learner,
            "institution": request.institution,
            "case_url": f"{settings.PORTAL_BASE_URL}/recognition/requests/{request.pk}/",
            **context,
        },
        language=learner.preferred_language or None,
    )


@transaction.atomic
def request_information(
    *, officer: User, request: RecognitionRequest, question: str, now: datetime | None = None
) -> CaseMessage:
    """Ask the learner for more information; the clock stops until the learner answers."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _(
                "Information can only be requested while the case is open and not already waiting for the learner."
            )
        )
    _refuse_if_leased_by_other(request, officer, now)
    question = question.strip()
    if not question:
        raise DomainError(_("Write what you need from the learner."), field="question")
    message = CaseMessage.objects.create(
        request=request,
        author=officer,
        kind=MessageKind.INFORMATION_REQUEST,
        body=question[:4000],
        created_at=now,
    )
    ClockPause.objects.create(request=request, started_at=now, question=message)
    request.status = RequestStatus.AWAITING_LEARNER
    request.paused_since = now
    request.assigned_to = officer
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.information_requested", request, message=message.pk)
    _notify_learner(request, "information_requested", question=message.body)
    return message


@transaction.atomic
def answer_information(
    *,
    learner: User,
    request: RecognitionRequest,
    answer: str,
    attachments: Sequence[AttachmentInput] = (),
    now: datetime | None = None,
) -> CaseMessage:
    """The learner answers; the clock resumes and the deadline moves by the time it stood."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status != RequestStatus.AWAITING_LEARNER or request.paused_since is None:
        raise ConflictError(_("No question is waiting for your answer."))
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer."), field="answer")
    checked = _check_attachments(attachments)
    message = CaseMessage.objects.create(
        request=request, author=learner, kind=MessageKind.ANSWER, body=answer[:4000], created_at=now
    )
    _store_attachments(request, learner, checked)
    ClockPause.objects.filter(request=request, ended_at__isnull=True).update(ended_at=now)
    paused_for = now - request.paused_since
    request.deadline_at = clock.deadline_after_pause(request.deadline_at, request.paused_since, now)
    request.paused_since = None
    request.status = RequestStatus.IN_REVIEW if request.assigned_to_id else RequestStatus.SUBMITTED
    request.updated_at = now
    request.save()
    _audit(
        learner,
        "recognition.information_provided",
        request,
        message=message.pk,
        paused_seconds=int(paused_for.total_seconds()),
        deadline=request.deadline_at.isoformat(),
    )
    if request.assigned_to is not None:
        notify_by_email(
            recipient=request.assigned_to.email,
            template="recognition/email/information_provided",
            context={
                "request": request,
                "case_url": f"{settings.PORTAL_BASE_URL}/recognition/manage/cases/{request.pk}/",
            },
            language=request.assigned_to.preferred_language or settings.LANGUAGE_CODE,
        )
    return message


@dataclass(frozen=True)
class DifferenceInput:
    element: str
    reason: str


def _clean_differences(differences: Sequence[DifferenceInput]) -> list[dict[str, str]]:
    cleaned = []
    for difference in differences:
        if difference.element not in DifferenceElement.values:
            raise DomainError(
                _("Unknown element: %(element)s.") % {"element": difference.element},
                field="differences",
            )
        reason = difference.reason.strip()
        if not reason:
            raise DomainError(
                _("Give the reason for the substantial difference in %(element)s.")
                % {"element": DifferenceElement(difference.element).label},
                field="differences",
            )
        cleaned.append({"element": difference.element, "reason": reason[:2000]})
    return cleaned


def _check_decision(
    request: RecognitionRequest,
    outcome: str,
    credits_granted: Decimal | None,
    differences: list[dict[str, str]],
) -> Decimal:
    """The rules every decision follows; returns the credits granted."""
    if outcome not in DecisionOutcome.values:
        raise DomainError(_("Choose the decision."), field="outcome")
    target = request.target
    if outcome == DecisionOutcome.REFUSED:
        if not differences:
            raise DomainError(
                _(
                    "A refusal must name the substantial differences found, element by element, "
                    "with reasons (Lisbon Recognition Convention: the burden of proof is on the institution)."
                ),
                code="reasons_required",
                field="differences",
            )
        return Decimal("0")
    if outcome == DecisionOutcome.PARTIAL:
        if not differences:
            raise DomainError(
                _(
                    "A partial recognition must name the substantial differences that prevent recognition in full."
                ),
                code="reasons_required",
                field="differences",
            )
        if credits_granted is None or credits_granted <= 0:
            raise DomainError(_("Give the credits recognised."), field="credits_granted")
        if target is not None and credits_granted >= target.ects:
            raise DomainError(
                _("A partial recognition grants fewer than the course's %(ects)s ECTS.")
                % {"ects": target.ects},
                field="credits_granted",
            )
        return credits_granted
    if target is not None:
        return target.ects
    if credits_granted is None or credits_granted <= 0:
        raise DomainError(_("Give the free-elective credits recognised."), field="credits_granted")
    return credits_granted


def _record_decision(
    request: RecognitionRequest,
    *,
    decided_by: User | None,
    outcome: str,
    credits_granted: Decimal | None,
    counts_towards: str,
    component_replaced: str,
    differences: Sequence[DifferenceInput],
    compensatory_measures: str,
    reasons: str,
    now: datetime,
    agreement: RecognitionAgreement | None = None,
    supersedes: Decision | None = None,
) -> Decision:
    """Write a decision on a locked request and move the request on. A full recognition is
    final at once (there is nothing to appeal); other decisions wait for the appeal period."""
    cleaned = _clean_differences(differences)
    credits = _check_decision(request, outcome, credits_granted, cleaned)
    if credits > Decimal("999"):
        raise DomainError(_("Too many credits."), field="credits_granted")
    decision = Decision.objects.create(
        request=request,
        outcome=outcome,
        credits_granted=credits,
        counts_towards=counts_towards.strip()[:300],
        component_replaced=component_replaced.strip()[:300],
        substantial_differences=cleaned,
        compensatory_measures=compensatory_measures.strip()[:4000],
        reasons=reasons.strip()[:4000],
        decided_by=decided_by,
        automatic=decided_by is None,
        agreement=agreement,
        supersedes=supersedes,
        decided_at=now,
        within_time_limit=now <= request.deadline_at,
    )
    request.assigned_to = None
    request.lease_expires_at = None
    request.updated_at = now
    if outcome == DecisionOutcome.FULL or supersedes is not None:
        request.save()
        _finalise(request, decision, now)
    else:
        request.status = RequestStatus.DECIDED
        request.appeal_deadline_at = clock.appeal_deadline(now, request.appeal_period_days)
        request.save()
    _notify_learner(request, "decided", decision=decision)
    return decision


def _finalise(request: RecognitionRequest, decision: Decision, now: datetime) -> None:
    decision.final_at = now
    decision.save(update_fields=["final_at"])
    request.final_decision = decision
    request.status = RequestStatus.CLOSED
    request.closed_at = now
    request.updated_at = now
    request.save()
    _audit(
        SYSTEM_ACTOR, "recognition.final", request, decision=decision.pk, outcome=decision.outcome
    )
    if decision.recognises:
        recognition_credential_due(decision)


@transaction.atomic
def decide_request(
    *,
    officer: User,
    request: RecognitionRequest,
    outcome: str,
    credits_granted: Decimal | None = None,
    counts_towards: str = "",
    component_replaced: str = "",
    differences: Sequence[DifferenceInput] = (),
    compensatory_measures: str = "",
    reasons: str = "",
    now: datetime | None = None,
) -> Decision:
    """Decide a case: recognise in full, in part, or refuse with substantial differences."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in DECIDABLE_STATUSES:
        decided = request.decisions.select_related("decided_by").order_by("-decided_at").first()
        if decided is not None:
            by = (
                decided.decided_by.display_name
                if decided.decided_by
                else _("an agreement (automatically)")
            )
            raise ConflictError(
                _(
                    "This case was already decided by %(by)s on %(date)s; reload it to see the decision."
                )
                % {
                    "by": by,
                    "date": timezone.localtime(decided.decided_at).strftime("%Y-%m-%d %H:%M"),
                },
                code="already_decided",
            )
        raise ConflictError(
            _("This case cannot be decided now: %(status)s.")
            % {"status": request.get_status_display()},
            code="not_decidable",
        )
    _refuse_if_leased_by_other(request, officer, now)
    decision = _record_decision(
        request,
        decided_by=officer,
        outcome=outcome,
        credits_granted=credits_granted,
        counts_towards=counts_towards
        or (f"{request.target.code} {request.target.title}" if request.target else ""),
        component_replaced=component_replaced,
        differences=differences,
        compensatory_measures=compensatory_measures,
        reasons=reasons,
        now=now,
    )
    _audit(
        officer,
        "recognition.decided",
        request,
        decision=decision.pk,
        outcome=outcome,
        credits=str(decision.credits_granted),
        within_time_limit=decision.within_time_limit,
    )
    return decision


@transaction.atomic
def review_automatic_decision(*, officer: User, decision: Decision, note: str = "") -> Decision:
    """An officer looks over a decision made under an agreement and records it."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("request")
        .get(pk=decision.pk)
    )
    permissions.require(permissions.can_assess_recognition_request(officer, decision.request))
    if not decision.automatic:
        raise DomainError(_("Only automatic decisions are reviewed this way."))
    if decision.reviewed_at is not None:
        raise ConflictError(_("This decision was already reviewed."))
    decision.reviewed_by = officer
    decision.reviewed_at = timezone.now()
    decision.save(update_fields=["reviewed_by", "reviewed_at"])
    _audit(
        officer,
        "recognition.automatic_decision_reviewed",
        decision.request,
        decision=decision.pk,
        note=note[:500],
    )
    return decision


# --- learner after a decision, appeals ---------------------------------------------------


@transaction.atomic
def accept_decision(
    *, learner: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    """The learner accepts the decision and gives up the appeal: it becomes final now."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status != RequestStatus.DECIDED:
        raise ConflictError(_("There is no decision waiting for your answer."))
    decision = request.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    _audit(learner, "recognition.accepted", request, decision=decision.pk)
    _finalise(request, decision, now)
    return request


@transaction.atomic
def finalise_unappealed(*, request_id: int, now: datetime | None = None) -> bool:
    """Make the decision final once its appeal period ended without an appeal."""
    now = _now(now)
    request = (
        RecognitionRequest.objects.select_for_update(skip_locked=True)
        .filter(pk=request_id, status=RequestStatus.DECIDED, appeal_deadline_at__lt=now)
        .first()
    )
    if request is None:
        return False
    decision = request.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    _finalise(request, decision, now)
    return True


@transaction.atomic
def lodge_appeal(
    *, learner: User, request: RecognitionRequest, grounds: str, now: datetime | None = None
) -> Appeal:
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status != RequestStatus.DECIDED:
        raise ConflictError(_("Only a decision that is not final yet can be appealed."))
    assert request.appeal_deadline_at is not None
    if now > request.appeal_deadline_at:
        raise DomainError(
            _("The appeal period ended on %(date)s.")
            % {"date": request.appeal_deadline_at.date().isoformat()},
            code="appeal_period_over",
        )
    grounds = grounds.strip()
    if not grounds:
        raise DomainError(_("Say why the decision should change."), field="grounds")
    decision = request.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    appeal = Appeal.objects.create(
        request=request, decision=decision, grounds=grounds[:4000], lodged_at=now
    )
    request.status = RequestStatus.APPEALED
    request.updated_at = now
    request.save()
    _audit(learner, "recognition.appealed", request, appeal=appeal.pk, decision=decision.pk)
    return appeal


def _lock_appeal(appeal: Appeal) -> Appeal:
    RecognitionRequest.objects.select_for_update().get(pk=appeal.request_id)
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("request", "decision", "decision__decided_by")
        .get(pk=appeal.pk)
    )


def _require_appeal_reviewer(user: User, appeal: Appeal) -> None:
    if permissions.can_decide_appeal(user, appeal):
        return
    if user.pk == appeal.decided_by_id:
        raise ConflictOfInterestError(
            _(
                "You made the decision under appeal: another officer or the institution's administration must decide the appeal."
            )
        )
    if (
        permissions.assesses_recognition_at(user, appeal.institution_id)
        and appeal.route == AppealRoute.INSTITUTION_ADMIN
    ):
        raise ConflictOfInterestError(
            _("At this institution appeals are decided by its administration.")
        )
    permissions.require(False)


@transaction.atomic
def take_appeal(*, reviewer: User, appeal: Appeal) -> Appeal:
    appeal = _lock_appeal(appeal)
    _require_appeal_reviewer(reviewer, appeal)
    if appeal.status != AppealStatus.OPEN:
        raise ConflictError(_("This appeal was already decided."))
    if appeal.reviewer_id not in (None, reviewer.pk):
        raise ConflictError(_("Another reviewer has taken this appeal."), code="appeal_taken")
    appeal.reviewer = reviewer
    appeal.save(update_fields=["reviewer"])
    _audit(reviewer, "recognition.appeal_taken", appeal.request, appeal=appeal.pk)
    return appeal


@transaction.atomic
def decide_appeal(
    *,
    reviewer: User,
    appeal: Appeal,
    outcome: str,
    reasons: str,
    new_outcome: str = "",
    credits_granted: Decimal | None = None,
    counts_towards: str = "",
    component_replaced: str = "",
    differences: Sequence[DifferenceInput] = (),
    compensatory_measures: str = "",
    now: datetime | None = None,
) -> Appeal:
    """Uphold the decision, or overturn it with a new decision; either way it is final."""
    now = _now(now)
    appeal = _lock_appeal(appeal)
    _require_appeal_reviewer(reviewer, appeal)
    if appeal.status != AppealStatus.OPEN:
        raise ConflictError(_("This appeal was already decided."), code="already_decided")
    if appeal.reviewer_id not in (None, reviewer.pk):
        raise ConflictError(_("Another reviewer has taken this appeal."), code="appeal_taken")
    if outcome not in AppealOutcome.values:
        raise DomainError(_("Choose whether the decision stands or changes."), field="outcome")
    reasons = reasons.strip()
    if not reasons:
        raise DomainError(_("Give the reasons for the appeal decision."), field="reasons")
    request = appeal.request
    appeal.reviewer = reviewer
    appeal.outcome = outcome
    appeal.outcome_reasons = reasons[:4000]
    appeal.status = AppealStatus.DECIDED
    appeal.decided_at = now
    appeal.save()
    if outcome == AppealOutcome.UPHELD:
        _finalise(request, appeal.decision, now)
    else:
        new_decision = _record_decision(
            request,
            decided_by=reviewer,
            outcome=new_outcome,
            credits_granted=credits_granted,
            counts_towards=counts_towards
            or (f"{request.target.code} {request.target.title}" if request.target else ""),
            component_replaced=component_replaced,
            differences=differences,
            compensatory_measures=compensatory_measures,
            reasons=reasons,
            now=now,
            supersedes=appeal.decision,
        )
        appeal.new_decision = new_decision
        appeal.save(update_fields=["new_decision"])
    _audit(reviewer, "recognition.appeal_decided", request, appeal=appeal.pk, outcome=outcome)
    if outcome == AppealOutcome.UPHELD:
        _notify_learner(request, "appeal_decided", appeal=appeal)
    return appeal


# --- agreements --------------------------------------------------------------------------


@transaction.atomic
def create_agreement(
    *,
    actor: User,
    target: RecognitionTarget,
    programme: Programme,
    ects: Decimal,
    from_version: int | None = None,
    minimum_grade: str = "",
    alliance: Alliance | None = None,
    valid_from: date | None = None,
    valid_until: date | None = None,
    notes: str = "",
) -> RecognitionAgreement:
    """Record that credentials of a programme are recognised for a target automatically.
    An alliance admin records it on behalf of a member institution (`alliance`)."""
    permissions.require(permissions.can_manage_recognition_agreements(actor, target.institution_id))
    if programme.published_version_id is None:
        raise DomainError(
            _("Only published programmes can be covered by an agreement."), field="programme"
        )
    if (
        alliance is not None
        and not target.institution.memberships.filter(
            alliance=alliance, left_on__isnull=True
        ).exists()
    ):
        raise DomainError(_("The institution is not a member of this alliance."), field="alliance")
    if RecognitionAgreement.objects.filter(
        target=target, programme=programme, is_active=True
    ).exists():
        raise ConflictError(
            _("An agreement for this programme and course already exists; end it first.")
        )
    agreement = RecognitionAgreement(
        target=target,
        programme=programme,
        ects=ects,
        from_version=from_version,
        minimum_grade=minimum_grade.strip(),
        alliance=alliance,
        valid_from=valid_from or timezone.localdate(),
        valid_until=valid_until,
        notes=notes.strip(),
        recorded_by=actor,
    )
    _full_clean(agreement, exclude=["target", "programme", "alliance", "recorded_by"])
    if ects > target.ects:
        raise DomainError(
            _("An agreement cannot grant more than the course's %(ects)s ECTS.")
            % {"ects": target.ects},
            field="ects",
        )
    agreement.save()
    record_event(
        actor=actor,
        action="recognition.agreement_created",
        target=agreement,
        institution_id=target.institution_id,
        data={"programme": programme.slug, "target": target.code, "ects": str(ects)},
    )
    return agreement


@transaction.atomic
def end_agreement(*, actor: User, agreement: RecognitionAgreement) -> RecognitionAgreement:
    agreement = (
        RecognitionAgreement.objects.select_for_update()
        .select_related("target")
        .get(pk=agreement.pk)
    )
    permissions.require(
        permissions.can_manage_recognition_agreements(actor, agreement.target.institution_id)
    )
    if not agreement.is_active:
        raise ConflictError(_("This agreement has already ended."))
    agreement.is_active = False
    agreement.valid_until = max(timezone.localdate(), agreement.valid_from)
    agreement.save(update_fields=["is_active", "valid_until"])
    record_event(
        actor=actor,
        action="recognition.agreement_ended",
        target=agreement,
        institution_id=agreement.target.institution_id,
    )
    return agreement


# --- trust registry ------------------------------------------------------------------------


@transaction.atomic
def import_trusted_issuers(*, entries: Sequence[dict[str, Any]], source: str) -> tuple[int, int]:
    """Register (or update) external issuers from a registry list (operators, through
    `manage.py import_issuer_registry`). An entry whose DID names one of the portal's own
    institutions is skipped: those are registered by being institutions."""
    created = updated = 0
    for entry in entries:
        if registry_entry(entry["did"]).trust == IssuerTrust.MEMBER:
            continue
        _issuer, was_created = TrustedIssuer.objects.update_or_create(
            did=entry["did"],
            defaults={
                "name": entry["name"],
                "country": entry.get("country", ""),
                "legal_identifiers": entry.get("legal_identifiers", []),
                "public_keys": entry.get("public_keys", []),
                "source": source[:200],
                "is_active": True,
            },
        )
        created += was_created
        updated += not was_created
    record_event(
        actor=SYSTEM_ACTOR,
        action="recognition.trusted_issuers_imported",
        data={"source": source[:200], "created": created, "updated": updated},
    )
    return created, updated
