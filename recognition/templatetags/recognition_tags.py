from __future__ import annotations

from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from recognition import permissions as recognition_permissions
from recognition import selectors
from recognition.models import DecisionOutcome, DifferenceElement, VerificationVerdict
from recognition.texts import render
from verification.check_messages import LocalizedCheck, localize_check

register = template.Library()

CHECK_OUTCOMES = {
    "match": ("badge-ok", _("matches")),
    "difference": ("badge-bad", _("differs")),
    "not_stated": ("badge-warn", _("not stated")),
    "warning": ("badge-warn", _("check")),
    "failed": ("badge-bad", _("failed")),
    "info": ("", _("for information")),
}
VERDICTS = {
    VerificationVerdict.VERIFIED: "badge-ok",
    VerificationVerdict.NOT_CHECKED: "badge-warn",
    VerificationVerdict.FAILED: "badge-bad",
}
# What each audited step of a case means, for the case's audit trail.
CASE_EVENTS = {
    "recognition.submitted": _("Request submitted"),
    "recognition.checks_requested": _("Automatic checks requested"),
    "recognition.checks_completed": _("Automatic checks completed"),
    "recognition.viewed": _("Case opened"),
    "recognition.taken": _("Case taken for assessment"),
    "recognition.released": _("Case released"),
    "recognition.information_requested": _("Information requested from the learner"),
    "recognition.information_provided": _("Learner answered"),
    "recognition.attachments_added": _("Documents added"),
    "recognition.decided": _("Decision recorded"),
    "recognition.decided_automatically": _("Decided automatically under an agreement"),
    "recognition.automatic_decision_reviewed": _("Automatic decision reviewed"),
    "recognition.accepted": _("Learner accepted the decision"),
    "recognition.appealed": _("Appeal lodged"),
    "recognition.appeal_taken": _("Appeal taken for review"),
    "recognition.appeal_decided": _("Appeal decided"),
    "recognition.final": _("Decision final"),
    "recognition.withdrawn": _("Request withdrawn"),
    "recognition.precedents_refreshed": _("Earlier decisions updated after a similar decision"),
}
RECOMMENDATIONS = {
    "full": _("Recognise in full"),
    "partial": _("Recognise in part"),
    "examine": _("Look for a substantial difference"),
}
NOT_STATED_LABELS = {
    "workload": _("Workload (ECTS)"),
    "level": _("Level (EQF)"),
    "learning_outcomes": _("Learning outcomes"),
    "skills": _("ESCO skills"),
    "assessment_type": _("Type of assessment"),
    "supervision": _("Supervision and identity verification"),
    "quality_assurance": _("Quality assurance"),
}


@register.simple_tag
def check_badge_class(outcome: str) -> str:
    return CHECK_OUTCOMES.get(outcome, ("", ""))[0]


@register.simple_tag
def check_badge_label(outcome: str) -> str:
    return str(CHECK_OUTCOMES.get(outcome, ("", outcome))[1])


@register.simple_tag
def verdict_class(verdict: str) -> str:
    return VERDICTS.get(verdict, "")  # type: ignore[call-overload]


@register.simple_tag
def recommendation_label(kind: str) -> str:
    return str(RECOMMENDATIONS.get(kind, kind))


@register.simple_tag
def decision_outcome_label(outcome: str) -> str:
    return str(dict(DecisionOutcome.choices).get(outcome, outcome))


@register.filter
def iso_datetime(value: Any) -> Any:
    """An ISO date or date-time stored in a report, as a value the `date` filter formats."""
    if not isinstance(value, str):
        return value
    return parse_datetime(value) or parse_date(value) or value


@register.filter
def element_label(element: str) -> str:
    labels = dict(DifferenceElement.choices)
    return str(labels.get(element) or NOT_STATED_LABELS.get(element) or element)


@register.inclusion_tag("recognition/_learner_panel.html", takes_context=True)
def recognition_learner_panel(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    requests = list(selectors.list_learner_requests(learner=user)[:10])
    return {"rows": selectors.queue_rows(requests, timezone.now())}


@register.inclusion_tag("recognition/_staff_panel.html", takes_context=True)
def recognition_staff_panel(context: dict[str, Any]) -> dict[str, Any]:
    user = context["request"].user
    books = bool(recognition_permissions.booking_institution_ids(user))
    if not recognition_permissions.recognition_institution_ids(user):
        return {"assesses": False, "books": books}
    now = timezone.now()
    return {
        "assesses": True,
        "books": books,
        "open": selectors.officer_queue(user=user, now=now).count(),
        "overdue": selectors.officer_queue(user=user, now=now, status="overdue").count(),
        "appeals": selectors.list_open_appeals(user=user).count(),
        "institutions": selectors.recognition_institutions_of(user),
    }


@register.filter
def stored_text(value: Any) -> str:
    """A message the checks stored (English template and parameters) in the reader's language."""
    return render(value)


@register.filter
def localized_checks(checks: Any) -> list[LocalizedCheck]:
    """Checks of a verification report (stored form) in the reader's language; older rows
    stored plain reasons, which are shown as they are."""
    return [
        localize_check(check)
        if isinstance(check, dict)
        else LocalizedCheck(
            id="",
            outcome="",
            code="",
            label="",
            outcome_label="",
            reason=str(check),
            reason_language="en",
        )
        for check in checks or []
    ]


@register.filter
def case_event(action: str) -> str:
    """A case's audited step in words; an action without a label shows as it is recorded."""
    return str(CASE_EVENTS.get(action, action))


@register.filter
def local_date(moment: Any, institution: Any) -> Any:
    """The calendar date a moment falls on in the institution's time zone."""
    return None if moment is None else moment.astimezone(institution.zone).date()


@register.filter
def institution_date(moment: Any, institution: Any) -> str:
    """A deadline as the date it falls on in the institution's time zone, naming the zone:
    deadlines are the end of that day there, so the date shown is the date enforced."""
    if moment is None:
        return ""
    local = moment.astimezone(institution.zone)
    return gettext("%(date)s (end of the day, %(zone)s)") % {
        "date": formats.date_format(local.date(), "DATE_FORMAT"),
        "zone": institution.time_zone,
    }


@register.inclusion_tag("recognition/_programme_recognition.html")
def programme_recognition(programme: Any) -> dict[str, Any]:
    """The programme page's section on what the programme counts for at each institution."""
    from recognition import commitments

    return {
        "programme": programme,
        "prospects": commitments.prospects_for(programme, on=timezone.localdate()),
    }
