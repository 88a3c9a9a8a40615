"""Deciding a recognition request: the officer's decision and its checks, review of an
automatic decision, the learner's acceptance, and finalising once no appeal came.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import clock
from recognition import permissions as recognition_permissions
from recognition.credentials import recognition_credential_due
from recognition.models import (
    DECIDABLE_STATUSES,
    BlanketRule,
    Decision,
    DecisionOutcome,
    DifferenceElement,
    PreApproval,
    RecognitionAgreement,
    RecognitionRequest,
    RequestStatus,
)
from recognition.services.cases import _notify_learner, _refuse_if_leased_by_other
from recognition.services.common import SYSTEM_ACTOR, _audit, _lock, _now
from recognition.services.precedents import refresh_precedents_after_decision


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
    case: RecognitionRequest,
    outcome: str,
    credits_granted: Decimal | None,
    differences: list[dict[str, str]],
) -> Decimal:
    """The rules every decision follows; returns the credits granted."""
    if outcome not in DecisionOutcome.values:
        raise DomainError(_("Choose the decision."), field="outcome")
    target = case.target
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
    case: RecognitionRequest,
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
    on_appeal: bool = False,
    blanket_rule: BlanketRule | None = None,
    preapproval: PreApproval | None = None,
) -> Decision:
    """Write a decision on a locked request and move the request on. A full recognition is
    final at once (there is nothing to appeal), and so is a decision taken on appeal; other
    decisions wait for the appeal period."""
    cleaned = _clean_differences(differences)
    credits = _check_decision(case, outcome, credits_granted, cleaned)
    if credits > Decimal("999"):
        raise DomainError(_("Too many credits."), field="credits_granted")
    decision = Decision.objects.create(
        request=case,
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
        blanket_rule=blanket_rule,
        preapproval=preapproval,
        supersedes=supersedes,
        decided_at=now,
        within_time_limit=now <= case.deadline_at,
    )
    case.assigned_to = None
    case.lease_expires_at = None
    case.updated_at = now
    if outcome == DecisionOutcome.FULL or supersedes is not None or on_appeal:
        case.save()
        _finalise(case, decision, now)
    else:
        case.status = RequestStatus.DECIDED
        case.appeal_deadline_at = clock.appeal_deadline(
            now, case.appeal_period_days, case.institution.zone
        )
        case.save()
    refresh_precedents_after_decision(decided=case, now=now)
    _notify_learner(case, "decided", decision=decision)
    return decision


def _finalise(case: RecognitionRequest, decision: Decision, now: datetime) -> None:
    decision.final_at = now
    decision.save(update_fields=["final_at"])
    case.final_decision = decision
    case.status = RequestStatus.CLOSED
    case.closed_at = now
    case.updated_at = now
    case.save()
    _audit(SYSTEM_ACTOR, "recognition.final", case, decision=decision.pk, outcome=decision.outcome)
    if decision.recognises:
        recognition_credential_due(decision)


@transaction.atomic
def decide_request(
    *,
    officer: User,
    case: RecognitionRequest,
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
    case = _lock(case)
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if case.status not in DECIDABLE_STATUSES:
        decided = case.decisions.select_related("decided_by").order_by("-decided_at").first()
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
            % {"status": case.get_status_display()},
            code="not_decidable",
        )
    _refuse_if_leased_by_other(case, officer, now)
    decision = _record_decision(
        case,
        decided_by=officer,
        outcome=outcome,
        credits_granted=credits_granted,
        counts_towards=counts_towards
        or (f"{case.target.code} {case.target.title}" if case.target else ""),
        component_replaced=component_replaced,
        differences=differences,
        compensatory_measures=compensatory_measures,
        reasons=reasons,
        now=now,
    )
    _audit(
        officer,
        "recognition.decided",
        case,
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
    permissions.require(
        recognition_permissions.can_assess_recognition_request(officer, decision.request)
    )
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


@transaction.atomic
def accept_decision(
    *, learner: User, case: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    """The learner accepts the decision and gives up the appeal: it becomes final now."""
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status != RequestStatus.DECIDED:
        raise ConflictError(_("There is no decision waiting for your answer."))
    decision = case.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    _audit(learner, "recognition.accepted", case, decision=decision.pk)
    _finalise(case, decision, now)
    return case


@transaction.atomic
def finalise_unappealed(*, request_id: int, now: datetime | None = None) -> bool:
    """Make the decision final once its appeal period ended without an appeal."""
    now = _now(now)
    case = (
        RecognitionRequest.objects.select_for_update(skip_locked=True)
        .filter(pk=request_id, status=RequestStatus.DECIDED, appeal_deadline_at__lt=now)
        .first()
    )
    if case is None:
        return False
    decision = case.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    _finalise(case, decision, now)
    return True
