"""Writes about grades: grading tables computed from results or declared by an institution,
and the converted grade a recognising decision carries."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from catalogue.models import AssessmentResult, ResultOutcome
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import permissions as recognition_permissions
from recognition.grading import conversion
from recognition.grading.models import (
    ConversionMethod,
    DecisionGrade,
    GradingTable,
    GradingTableSource,
)
from recognition.grading.schemes import Scheme, default_scheme_for, scheme
from recognition.models import Decision
from recognition.services.common import _audit

# ECTS Users' Guide 2015, 4.2.1: the reference group covers at least two or three years.
TABLE_PERIOD = timedelta(days=3 * 365)


def minimum_cohort() -> int:
    """Passes a table needs before a conversion may rely on it (statistical soundness)."""
    return int(getattr(settings, "RECOGNITION_GRADING_TABLE_MINIMUM_COHORT", 20))


def _scheme_or_error(code: str, field: str) -> Scheme:
    found = scheme(code)
    if found is None:
        raise DomainError(_("Unknown grading scheme: %(code)s.") % {"code": code}, field=field)
    return found


def _isced_or_error(code: str) -> str:
    code = (code or "").strip()
    if not (code.isdigit() and 2 <= len(code) <= 4):
        raise DomainError(
            _("Give the ISCED-F field as two to four digits, e.g. 0613."), field="isced_f_code"
        )
    return code


def _store_table(
    institution: Institution,
    isced_f_code: str,
    grading: Scheme,
    counts: dict[str, int],
    source: str,
    period: tuple[date | None, date | None],
) -> GradingTable:
    distribution = {label: int(counts.get(label, 0)) for label in grading.classes}
    table, _created = GradingTable.objects.update_or_create(
        institution=institution,
        isced_f_code=isced_f_code,
        scheme=grading.code,
        defaults={
            "distribution": distribution,
            "cohort": sum(distribution.values()),
            "source": source,
            "period_start": period[0],
            "period_end": period[1],
            "updated_at": timezone.now(),
        },
    )
    return table


@transaction.atomic
def compute_grading_tables(
    *, institution: Institution, today: date | None = None
) -> list[GradingTable]:
    """The distribution of passing grades over the last three years of the programmes the
    institution coordinates, per field of education (ISCED-F) and grading scheme. A table
    the institution declared is replaced only where results are recorded here."""
    today = today or timezone.localdate()
    since = today - TABLE_PERIOD
    rows = AssessmentResult.objects.filter(
        outcome=ResultOutcome.PASSED,
        assessed_on__gte=since,
        offering__programme__coordinator=institution,
    ).values_list(
        "offering__programme__isced_f_code", "offering__programme__grading_scheme", "grade"
    )
    counts: dict[tuple[str, str], Counter[str]] = {}
    for isced_f_code, scheme_code, grade in rows:
        grading = scheme(scheme_code)
        if not isced_f_code or grading is None or grading.pass_fail_only:
            continue
        grade_class = grading.classify(grade)
        if grade_class is not None:
            counts.setdefault((isced_f_code, scheme_code), Counter())[grade_class] += 1
    return [
        _store_table(
            institution,
            isced_f_code,
            _scheme_or_error(scheme_code, "scheme"),
            dict(counted),
            GradingTableSource.COMPUTED,
            (since, today),
        )
        for (isced_f_code, scheme_code), counted in sorted(counts.items())
    ]


@transaction.atomic
def declare_grading_table(
    *,
    actor: User,
    institution: Institution,
    isced_f_code: str,
    scheme_code: str,
    distribution: dict[str, Any],
    period_start: date | None = None,
    period_end: date | None = None,
) -> GradingTable:
    """An institution states a table from its own student system (its courses are not all
    taught here), by its recognition officers or admins."""
    permissions.require(recognition_permissions.assesses_recognition_at(actor, institution.pk))
    grading = _scheme_or_error(scheme_code, "scheme")
    isced_f_code = _isced_or_error(isced_f_code)
    unknown = sorted(set(distribution) - set(grading.classes))
    if unknown:
        raise DomainError(
            _("Not a passing grade class of this scheme: %(classes)s. Use: %(known)s.")
            % {"classes": ", ".join(unknown), "known": ", ".join(grading.classes)},
            field="distribution",
        )
    counts: dict[str, int] = {}
    for label, value in distribution.items():
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise DomainError(
                _("Give the number of passes of each grade class as a whole number."),
                field="distribution",
            )
        counts[label] = value
    table = _store_table(
        institution,
        isced_f_code,
        grading,
        counts,
        GradingTableSource.DECLARED,
        (period_start, period_end),
    )
    record_event(
        actor=actor,
        action="recognition.grading_table_declared",
        target=table,
        institution_id=institution.pk,
        data={"isced_f_code": isced_f_code, "scheme": grading.code, "cohort": table.cohort},
    )
    return table


def _usable_table(institution_id: int | None, isced_f_code: str, code: str) -> GradingTable | None:
    if institution_id is None:
        return None
    table = GradingTable.objects.filter(
        institution_id=institution_id, isced_f_code=isced_f_code, scheme=code
    ).first()
    return table if table is not None and table.cohort >= minimum_cohort() else None


def _table_summary(
    table: GradingTable | None, institution_id: int | None, code: str
) -> dict[str, Any]:
    if table is None:
        return {"institution": institution_id, "scheme": code, "usable": False}
    return {
        "institution": table.institution_id,
        "scheme": table.scheme,
        "isced_f_code": table.isced_f_code,
        "distribution": table.distribution,
        "cohort": table.cohort,
        "source": table.source,
        "usable": True,
    }


@transaction.atomic
def convert_decision_grade(
    *,
    officer: User,
    decision: Decision,
    target_scheme: str = "",
    source_scheme: str = "",
    isced_f_code: str = "",
    converted_grade: str = "",
    now: datetime | None = None,
) -> DecisionGrade:
    """Give a recognising decision its converted grade, once.

    The grade is read from the first submitted credential stating one, in the scheme of its
    programme (credentials issued here) or the scheme the officer names. With a usable ECTS
    grading table on both sides (the issuer's coordinating institution and the receiving
    institution, same field of education) the grade is converted by percentile position; a
    pass/fail grade converts to a pass; otherwise the officer states the grade and the
    decision records that no table could be used."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("request__institution")
        .get(pk=decision.pk)
    )
    case = decision.request
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if not decision.recognises:
        raise DomainError(_("Only a recognition carries a converted grade."), code="not_recognised")
    if DecisionGrade.objects.filter(decision=decision).exists():
        raise ConflictError(_("This decision already carries a converted grade."))
    credential = (
        case.credentials.exclude(grade="").select_related("programme_version__programme").first()
    )
    if credential is None:
        raise DomainError(_("No submitted credential states a grade."), code="no_grade")
    programme = credential.programme_version.programme if credential.programme_version else None
    source_code = source_scheme or (
        str(credential.programme_version.snapshot.get("grading_scheme", ""))
        if credential.programme_version
        else ""
    )
    if not source_code:
        raise DomainError(
            _("Name the grading scheme of the credential's grade."), field="source_scheme"
        )
    source = _scheme_or_error(source_code, "source_scheme")
    target = _scheme_or_error(
        target_scheme or default_scheme_for(str(case.institution.country)), "target_scheme"
    )
    grade_class = source.classify(credential.grade)
    if grade_class is None:
        raise DomainError(
            _("The grade %(grade)s is not a passing grade of the scheme %(scheme)s.")
            % {"grade": credential.grade, "scheme": source.name},
            field="source_scheme",
        )
    field_code = _isced_or_error(isced_f_code or (programme.isced_f_code if programme else ""))
    source_institution_id = programme.coordinator_id if programme else None
    source_table = _usable_table(source_institution_id, field_code, source.code)
    target_table = _usable_table(case.institution_id, field_code, target.code)
    explanation: dict[str, Any] = {
        "grade_class": grade_class,
        "minimum_cohort": minimum_cohort(),
        "source_table": _table_summary(source_table, source_institution_id, source.code),
        "target_table": _table_summary(target_table, case.institution_id, target.code),
    }
    if source.pass_fail_only or target.pass_fail_only:
        method, result = ConversionMethod.PASS_FAIL, "pass"
    elif source_table is not None and target_table is not None:
        converted = conversion.convert(
            source=source,
            source_counts=source_table.distribution,
            grade_class=grade_class,
            target=target,
            target_counts=target_table.distribution,
        )
        method, result = ConversionMethod.GRADING_TABLES, converted.converted_grade
        explanation |= converted.explanation()
    elif converted_grade.strip():
        if target.classify(converted_grade) is None:
            raise DomainError(
                _("The grade %(grade)s is not a passing grade of the scheme %(scheme)s.")
                % {"grade": converted_grade, "scheme": target.name},
                field="converted_grade",
            )
        method, result = ConversionMethod.OFFICER, converted_grade.strip()[:40]
    else:
        raise DomainError(
            _(
                "No usable ECTS grading table (at least %(minimum)s passes in the field) on "
                "both sides: state the converted grade yourself."
            )
            % {"minimum": minimum_cohort()},
            code="no_grading_table",
            field="converted_grade",
        )
    grade = DecisionGrade.objects.create(
        decision=decision,
        source_grade=credential.grade,
        source_scheme=source.code,
        source_table=source_table,
        target_scheme=target.code,
        target_table=target_table,
        converted_grade=result,
        method=method,
        explanation=explanation,
        converted_by=officer,
        converted_at=now or timezone.now(),
    )
    _audit(
        officer,
        "recognition.grade_converted",
        case,
        decision=decision.pk,
        source_grade=credential.grade,
        converted_grade=result,
        method=method,
    )
    return grade
