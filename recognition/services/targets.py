"""Writes of recognition targets: one at a time, or many from a CSV upload (preview, then
confirm).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from portal import uploads
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition.models import (
    RecognitionTarget,
    TargetUpload,
)
from recognition.parsing import ESCO_SKILL_PREFIX
from recognition.services.common import _full_clean

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
