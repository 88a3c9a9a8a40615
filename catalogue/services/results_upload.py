"""Assessment results from a CSV upload: parsing, validating each row for a preview, then
confirming.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    ACTIVE_ENROLMENT,
    Enrolment,
    EnrolmentStatus,
    Offering,
    ResultUpload,
)
from catalogue.services.results import (
    BOOLEAN_WORDS,
    ResultEntry,
    _save_results,
    before_start_message,
    normalise_grade,
    own_result_error,
)
from portal import uploads
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User

UPLOAD_COLUMNS = [
    "offering",
    "learner_email",
    "outcome",
    "grade",
    "assessed_on",
    "identity_verified",
]


REQUIRED_COLUMNS = {"offering", "learner_email", "outcome", "assessed_on"}


RESULTS_UPLOAD = uploads.CsvUpload(
    columns=UPLOAD_COLUMNS,
    required=frozenset(REQUIRED_COLUMNS),
    max_bytes_setting="RESULTS_UPLOAD_MAX_BYTES",
    max_rows_setting="RESULTS_UPLOAD_MAX_ROWS",
)


@dataclass
class UploadRow(uploads.CsvRow):
    entry: ResultEntry | None = None


UploadPreview = uploads.CsvPreview[ResultUpload, UploadRow]


def check_upload_size(size: int) -> None:
    RESULTS_UPLOAD.check_size(size)


def _validate_rows(actor: User, content: str) -> list[UploadRow]:
    rows = RESULTS_UPLOAD.rows(content, UploadRow)
    codes = {row.values.get("offering", "") for row in rows}
    emails = {row.values.get("learner_email", "").lower() for row in rows}
    offerings = {
        offering.code: offering
        for offering in Offering.objects.filter(code__in=codes)
        .select_related("programme")
        .prefetch_related("delivery_institutions")
    }
    # Another institution's offering reads exactly like an unknown one: no existence leak.
    offerings = {
        code: offering
        for code, offering in offerings.items()
        if catalogue_permissions.can_record_results(actor, offering)
    }
    learners = {user.email.lower(): user for user in User.objects.filter(email__in=emails)}
    enrolments = {
        (enrolment.offering_id, enrolment.learner_id): enrolment
        for enrolment in Enrolment.objects.filter(
            offering__in=offerings.values(), learner__in=learners.values()
        )
        .filter(ACTIVE_ENROLMENT)
        .select_related("offering__programme", "version")
    }
    today = timezone.localdate()
    date_order = uploads.spreadsheet_date_order(row.values.get("assessed_on", "") for row in rows)
    seen: dict[tuple[int, int], int] = {}
    for row in rows:
        if not row.valid:  # refused as a whole (a formula-like cell)
            continue
        line, values = row.line, row.values
        offering = offerings.get(values.get("offering", ""))
        learner = learners.get(values.get("learner_email", "").lower())
        if offering is None:
            row.errors.append(
                uploads.cell_error(
                    "offering",
                    values.get("offering", ""),
                    _("Unknown offering, or not one your institution delivers."),
                )
            )
        if learner is None:
            row.errors.append(
                uploads.cell_error(
                    "learner_email",
                    values.get("learner_email", ""),
                    _("Unknown learner: no account has this e-mail address."),
                )
            )
        enrolment = None
        if learner is not None and learner.pk == actor.pk:
            row.errors.append(own_result_error().message)
        elif offering is not None and learner is not None:
            enrolment = enrolments.get((offering.pk, learner.pk))
            if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
                row.errors.append(_("Wrong offering: this learner is not enrolled in it."))
                enrolment = None
            else:
                key = (offering.pk, learner.pk)
                if key in seen:
                    row.errors.append(
                        _("Duplicate: line %(line)s has the same learner and offering.")
                        % {"line": seen[key]}
                    )
                    enrolment = None
                else:
                    seen[key] = line
        outcome = values.get("outcome", "").lower()
        grade = values.get("grade", "")
        if offering is not None:
            try:
                grade = normalise_grade(offering.programme.grading_scheme, outcome, grade)
            except DomainError as error:
                column = error.field or "grade"
                row.errors.append(uploads.cell_error(column, values.get(column, ""), error.message))
        assessed_on = uploads.parse_spreadsheet_date(values.get("assessed_on", ""), date_order)
        if assessed_on is None:
            row.errors.append(
                uploads.cell_error(
                    "assessed_on",
                    values.get("assessed_on", ""),
                    _("not a date: write it as YYYY-MM-DD or DD/MM/YYYY."),
                )
            )
        elif assessed_on > today:
            row.errors.append(_("The assessment date cannot be in the future."))
        elif offering is not None and assessed_on < offering.starts_on:
            row.errors.append(before_start_message(offering))
        verified = values.get("identity_verified", "").lower()
        if verified not in BOOLEAN_WORDS:
            row.errors.append(
                uploads.cell_error(
                    "identity_verified",
                    values.get("identity_verified", ""),
                    _("identity_verified must be yes or no."),
                )
            )
        if not row.errors and enrolment is not None and assessed_on is not None:
            row.entry = ResultEntry(enrolment, outcome, grade, assessed_on, BOOLEAN_WORDS[verified])
    return rows


@transaction.atomic
def preview_results_upload(*, actor: User, filename: str, size: int, data: bytes) -> UploadPreview:
    """Check a results CSV row by row without saving any result; keep the file so that
    the staff member can confirm the preview."""
    if not catalogue_permissions.programme_institution_ids_managed_by(
        actor
    ) and not permissions.is_operator(actor):
        permissions.require(False)
    content = RESULTS_UPLOAD.read(size=size, data=data)
    rows = _validate_rows(actor, content)
    upload = ResultUpload.objects.create(
        uploaded_by=actor, filename=filename[:200], content=content
    )
    preview = UploadPreview(upload=upload, rows=rows)
    record_event(
        actor=actor, action="results.upload_previewed", target=upload, data=preview.summary()
    )
    return preview


def preview_stored_upload(*, actor: User, upload: ResultUpload) -> UploadPreview:
    if upload.uploaded_by_id != actor.pk:
        permissions.require(False)
    return UploadPreview(upload=upload, rows=_validate_rows(actor, upload.content))


@transaction.atomic
def confirm_results_upload(*, actor: User, upload: ResultUpload) -> UploadPreview:
    """Save every valid row of a previewed upload in one transaction (rows are checked
    again: enrolments may have changed since the preview)."""
    upload = ResultUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.uploaded_by_id != actor.pk:
        permissions.require(False)
    if upload.confirmed_at is not None:
        raise ConflictError(_("This upload was already saved."))
    preview = UploadPreview(upload=upload, rows=_validate_rows(actor, upload.content))
    entries = [row.entry for row in preview.rows if row.entry is not None]
    if entries:
        _save_results(actor, entries)
    upload.confirmed_at = timezone.now()
    upload.saved_rows = len(entries)
    upload.save(update_fields=["confirmed_at", "saved_rows"])
    return preview
