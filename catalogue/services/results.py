"""Recording assessment results: grades per scheme, the rule that nobody grades their own
result, and the handlers told of every pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    GradingScheme,
    Offering,
    ResultOutcome,
)
from catalogue.signals import result_grade_corrected, result_passed, result_withdrawn
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User

ECTS_GRADES = ["A", "B", "C", "D", "E", "FX", "F"]


ECTS_PASSING = {"A", "B", "C", "D", "E"}


BOOLEAN_WORDS = {
    "yes": True,
    "y": True,
    "true": True,
    "1": True,
    "no": False,
    "n": False,
    "false": False,
    "0": False,
    "": False,
    # What Excel writes for TRUE/FALSE, and yes/no, in the interface languages.
    "verdadero": True,
    "falso": False,
    "sí": True,
    "si": True,
    "cert": True,
    "fals": False,
    "wahr": True,
    "falsch": False,
    "ja": True,
    "nein": False,
    "vrai": True,
    "faux": False,
    "oui": True,
    "non": False,
}


def normalise_grade(scheme: str, outcome: str, grade: str) -> str:
    """Check a grade against the programme's grading scheme and the outcome; return it in
    canonical form. A grade that contradicts the outcome (an F for a pass) is refused."""
    grade = (grade or "").strip()
    if outcome not in ResultOutcome.values:
        raise DomainError(_("The outcome must be passed or failed."), field="outcome")
    passed = outcome == ResultOutcome.PASSED
    if scheme == GradingScheme.PASS_FAIL:
        if grade and grade.lower() not in {"pass", "fail"}:
            raise DomainError(_("Use pass or fail as the grade, or leave it empty."), field="grade")
        if grade and (grade.lower() == "pass") != passed:
            raise DomainError(_("The grade contradicts the outcome."), field="grade")
        return grade.lower()
    if not grade:
        raise DomainError(_("Give the grade."), field="grade")
    if scheme == GradingScheme.ECTS:
        value = grade.upper()
        if value not in ECTS_GRADES:
            raise DomainError(_("ECTS grades are A, B, C, D, E, FX or F."), field="grade")
        if (value in ECTS_PASSING) != passed:
            raise DomainError(_("The grade contradicts the outcome."), field="grade")
        return value
    limit, threshold = (
        (Decimal(10), Decimal(5))
        if scheme == GradingScheme.NUMERIC_10
        else (Decimal(100), Decimal(50))
    )
    try:
        number = Decimal(grade.replace(",", "."))
    except InvalidOperation as error:
        raise DomainError(_("The grade must be a number."), field="grade") from error
    if not (0 <= number <= limit) or number.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(
            _("The grade must be between 0 and %(limit)s.") % {"limit": limit}, field="grade"
        )
    if (number >= threshold) != passed:
        raise DomainError(_("The grade contradicts the outcome."), field="grade")
    return str(number.normalize()) if number == number.to_integral() else str(number)


@dataclass(frozen=True)
class ResultEntry:
    enrolment: Enrolment
    outcome: str
    grade: str
    assessed_on: date
    identity_verified: bool


@dataclass
class SavedResults:
    created: list[AssessmentResult] = field(default_factory=list)
    updated: list[AssessmentResult] = field(default_factory=list)
    newly_passed: list[AssessmentResult] = field(default_factory=list)
    passes_withdrawn: list[AssessmentResult] = field(default_factory=list)
    grades_corrected: list[AssessmentResult] = field(default_factory=list)


def _send_results(signal: Signal, results: list[AssessmentResult]) -> None:
    """Tell the signal's receivers of the whole batch, inside the caller's transaction: a
    receiver that fails rolls the results back with it."""
    if not results:
        return
    signal.send(sender=AssessmentResult, results=results)


def _save_results(actor: User, entries: Sequence[ResultEntry]) -> SavedResults:
    enrolment_ids = [entry.enrolment.pk for entry in entries]
    existing = {
        result.enrolment_id: result
        for result in AssessmentResult.objects.select_for_update().filter(
            enrolment_id__in=enrolment_ids
        )
    }
    now = timezone.now()
    saved = SavedResults()
    for entry in entries:
        enrolment = entry.enrolment
        result = existing.get(enrolment.pk)
        if result is None:
            result = AssessmentResult(
                enrolment=enrolment,
                offering_id=enrolment.offering_id,
                learner_id=enrolment.learner_id,
                version_id=enrolment.version_id,
                recorded_by=actor,
                recorded_at=now,
            )
            was_passed = False
            saved.created.append(result)
        else:
            was_passed = result.passed
            previous_grade = result.grade
            saved.updated.append(result)
        result.outcome = entry.outcome
        result.grade = entry.grade
        result.assessed_on = entry.assessed_on
        result.identity_verified = entry.identity_verified
        result.updated_at = now
        if result.passed and not was_passed:
            saved.newly_passed.append(result)
        elif was_passed and not result.passed:
            saved.passes_withdrawn.append(result)
        elif was_passed and result.grade != previous_grade:
            result.previous_grade = previous_grade  # type: ignore[attr-defined]
            saved.grades_corrected.append(result)
    AssessmentResult.objects.bulk_create(saved.created)
    if saved.updated:
        AssessmentResult.objects.bulk_update(
            saved.updated,
            ["outcome", "grade", "assessed_on", "identity_verified", "updated_at"],
        )
    # The learner sees the enrolment as completed from the pass on.
    Enrolment.objects.filter(pk__in=[r.enrolment_id for r in saved.newly_passed]).update(
        completed_at=now
    )
    Enrolment.objects.filter(pk__in=[r.enrolment_id for r in saved.passes_withdrawn]).update(
        completed_at=None
    )
    offering_ids = sorted({entry.enrolment.offering_id for entry in entries})
    record_event(
        actor=actor,
        action="results.recorded",
        data={
            "offerings": offering_ids,
            "created": len(saved.created),
            "corrected": len(saved.updated),
            "passed": len(saved.newly_passed),
            "passes_withdrawn": [result.pk for result in saved.passes_withdrawn],
            "grades_corrected": [result.pk for result in saved.grades_corrected],
        },
    )
    _send_results(result_passed, saved.newly_passed)
    _send_results(result_withdrawn, saved.passes_withdrawn)
    _send_results(result_grade_corrected, saved.grades_corrected)
    return saved


class ConflictOfInterestError(DomainError):
    """Staff acting on their own record: a second person has to do it."""

    status_code = 403
    code = "conflict_of_interest"


def own_result_error() -> ConflictOfInterestError:
    return ConflictOfInterestError(
        _("You cannot record your own result: a colleague has to record it."), field="enrolment"
    )


def before_start_message(offering: Offering) -> str:
    return _("The assessment date is before the offering started (%(date)s).") % {
        "date": offering.starts_on.isoformat()
    }


def _check_entry(actor: User, enrolment: Enrolment) -> None:
    if not catalogue_permissions.can_record_results(actor, enrolment.offering):
        permissions.require(False)
    # A manager who enrolled in his own offering must not pass himself (and so be issued a
    # credential): results are always recorded by someone other than the learner.
    if enrolment.learner_id == actor.pk:
        raise own_result_error()
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ConflictError(_("Only enrolled learners get a result."))


@transaction.atomic
def record_result(
    *,
    actor: User,
    enrolment: Enrolment,
    outcome: str,
    grade: str,
    assessed_on: date,
    identity_verified: bool,
) -> AssessmentResult:
    """Record (or correct) one learner's result. A new pass sends `result_passed`, a pass
    corrected to a fail `result_withdrawn` (catalogue.signals)."""
    enrolment = Enrolment.objects.select_related("offering__programme", "version").get(
        pk=enrolment.pk
    )
    _check_entry(actor, enrolment)
    if assessed_on > timezone.localdate():
        raise DomainError(_("The assessment date cannot be in the future."), field="assessed_on")
    if assessed_on < enrolment.offering.starts_on:
        raise DomainError(before_start_message(enrolment.offering), field="assessed_on")
    grade = normalise_grade(enrolment.offering.programme.grading_scheme, outcome, grade)
    saved = _save_results(
        actor, [ResultEntry(enrolment, outcome, grade, assessed_on, identity_verified)]
    )
    return (saved.created or saved.updated)[0]
