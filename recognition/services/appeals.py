"""Appeals against a decision: lodging one, taking it for review and deciding it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import clock
from recognition import permissions as recognition_permissions
from recognition.models import (
    DECIDABLE_STATUSES,
    Appeal,
    AppealOutcome,
    AppealRoute,
    AppealStatus,
    RecognitionRequest,
    RequestStatus,
)
from recognition.services.cases import _notify_learner, notify_institution_staff
from recognition.services.common import _audit, _lock, _now
from recognition.services.decisions import DifferenceInput, _finalise, _record_decision


class ConflictOfInterestError(DomainError):
    """The person may see the case but must not take this step in it."""

    status_code = 403
    code = "conflict_of_interest"


@transaction.atomic
def lodge_appeal(
    *, learner: User, case: RecognitionRequest, grounds: str, now: datetime | None = None
) -> Appeal:
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status != RequestStatus.DECIDED:
        raise ConflictError(_("Only a decision that is not final yet can be appealed."))
    assert case.appeal_deadline_at is not None
    if now > case.appeal_deadline_at:
        raise DomainError(
            _("The appeal period ended on %(date)s.")
            % {
                "date": case.appeal_deadline_at.astimezone(case.institution.zone).date().isoformat()
            },
            code="appeal_period_over",
        )
    grounds = grounds.strip()
    if not grounds:
        raise DomainError(_("Say why the decision should change."), field="grounds")
    decision = case.decisions.order_by("-decided_at", "-pk").first()
    assert decision is not None
    appeal = Appeal.objects.create(
        request=case, decision=decision, grounds=grounds[:4000], lodged_at=now
    )
    case.status = RequestStatus.APPEALED
    case.updated_at = now
    case.save()
    _audit(learner, "recognition.appealed", case, appeal=appeal.pk, decision=decision.pk)
    return appeal


@transaction.atomic
def lodge_inaction_appeal(
    *, learner: User, case: RecognitionRequest, grounds: str, now: datetime | None = None
) -> Appeal:
    """Appeal against the institution's silence (Lisbon Recognition Convention, Art. III.5):
    once the time limit passed with the clock running and no decision, the learner may take the
    case to the appeal body, which then decides it."""
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status not in DECIDABLE_STATUSES or not clock.may_appeal_inaction(case, now):
        raise ConflictError(
            _(
                "An appeal against a missing decision is possible only once the time limit has passed without a decision."
            ),
            code="not_overdue",
        )
    grounds = grounds.strip()
    if not grounds:
        raise DomainError(_("Say why the decision should change."), field="grounds")
    appeal = Appeal.objects.create(
        request=case, decision=None, against_inaction=True, grounds=grounds[:4000], lodged_at=now
    )
    case.status = RequestStatus.APPEALED
    case.assigned_to = None
    case.lease_expires_at = None
    case.updated_at = now
    case.save()
    _audit(learner, "recognition.inaction_appealed", case, appeal=appeal.pk)
    notify_institution_staff(
        case, "inaction_appealed", roles=_appeal_reviewer_roles(case), appeal=appeal
    )
    return appeal


def _appeal_reviewer_roles(case: RecognitionRequest) -> tuple[str, ...]:
    if case.appeals_decided_by == AppealRoute.INSTITUTION_ADMIN:
        return (permissions.ADMIN,)
    return (permissions.ADMIN, permissions.OFFICER)


def _lock_appeal(appeal: Appeal) -> Appeal:
    RecognitionRequest.objects.select_for_update().get(pk=appeal.request_id)
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("request", "decision", "decision__decided_by")
        .get(pk=appeal.pk)
    )


def _require_appeal_reviewer(user: User, appeal: Appeal) -> None:
    if recognition_permissions.can_decide_appeal(user, appeal):
        return
    if user.pk == appeal.decided_by_id:
        raise ConflictOfInterestError(
            _(
                "You made the decision under appeal: another officer or the institution's administration must decide the appeal."
            )
        )
    if (
        recognition_permissions.assesses_recognition_at(user, appeal.institution_id)
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
    case = appeal.request
    if appeal.against_inaction and outcome != AppealOutcome.OVERTURNED:
        raise DomainError(
            _("There is no decision to uphold: decide the case on appeal."), field="outcome"
        )
    appeal.reviewer = reviewer
    appeal.outcome = outcome
    appeal.outcome_reasons = reasons[:4000]
    appeal.status = AppealStatus.DECIDED
    appeal.decided_at = now
    appeal.save()
    if outcome == AppealOutcome.UPHELD:
        assert appeal.decision is not None
        _finalise(case, appeal.decision, now)
    else:
        new_decision = _record_decision(
            case,
            decided_by=reviewer,
            outcome=new_outcome,
            credits_granted=credits_granted,
            counts_towards=counts_towards
            or (f"{case.target.code} {case.target.title}" if case.target else ""),
            component_replaced=component_replaced,
            differences=differences,
            compensatory_measures=compensatory_measures,
            reasons=reasons,
            now=now,
            supersedes=appeal.decision,
            on_appeal=True,
        )
        appeal.new_decision = new_decision
        appeal.save(update_fields=["new_decision"])
    _audit(reviewer, "recognition.appeal_decided", case, appeal=appeal.pk, outcome=outcome)
    if outcome == AppealOutcome.UPHELD:
        _notify_learner(case, "appeal_decided", appeal=appeal)
    return appeal
