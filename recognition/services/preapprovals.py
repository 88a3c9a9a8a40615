"""Recognition promised before enrolment (in the spirit of the EWP learning agreement): a
learner asks a home institution to commit in advance to what a programme will count for; an
officer approves or refuses with reasons; once the credential issued here to that learner
arrives, the portal opens a recognition request and decides it as committed.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Institution
from catalogue.models import Programme
from issuance.models import Credential, CredentialKind, CredentialState
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email
from recognition import commitments
from recognition import permissions as recognition_permissions
from recognition.models import (
    DECIDABLE_STATUSES,
    CredentialSource,
    Decision,
    DecisionOutcome,
    DifferenceElement,
    HolderStatus,
    IssuerTrust,
    PreApproval,
    PreApprovalStatus,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestKind,
    SubmittedCredential,
    VerificationVerdict,
)
from recognition.services.cases import notify_institution_staff, notify_staff_of
from recognition.services.common import SYSTEM_ACTOR, _now
from recognition.services.decisions import DifferenceInput, _record_decision
from recognition.services.submission import CredentialInput, submit_request


def _audit_preapproval(actor: Any, action: str, preapproval: PreApproval, **data: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        target=preapproval,
        institution_id=preapproval.institution_id,
        data=data,
    )


def _year_of(moment: datetime, institution: Institution) -> int:
    return moment.astimezone(institution.zone).year


@transaction.atomic
def request_preapproval(
    *,
    learner: User,
    institution: Institution,
    programme: Programme,
    kind: str,
    target: RecognitionTarget | None = None,
    motivation: str = "",
    now: datetime | None = None,
) -> PreApproval:
    """Ask the home institution to commit before enrolling. The credits asked for come from
    the agreement covering the course, or for free electives from the countersigned alliance
    rule (within what is left of its yearly allowance), or else the course's (the
    programme's) ECTS for an officer to weigh."""
    now = _now(now)
    if programme.published_version_id is None:
        raise DomainError(_("Only published programmes can be pre-approved."), field="programme")
    if not RecognitionPolicy.objects.filter(institution=institution).exists():
        raise DomainError(
            _("%(institution)s does not take recognition requests through the portal yet.")
            % {"institution": institution},
            code="no_policy",
        )
    if kind not in RequestKind.values:
        raise DomainError(_("Choose a course or free-elective credits."), field="kind")
    agreement = rule = None
    if kind == RequestKind.COURSE:
        if target is None:
            raise DomainError(
                _("Choose the course you want the credits to count towards."), field="target"
            )
        if target.institution_id != institution.pk or not target.is_active:
            raise DomainError(_("This course does not take recognition requests."), field="target")
        agreement = (
            commitments.active_agreements_for(programme, now.date()).filter(target=target).first()
        )
        ects = agreement.ects if agreement is not None else target.ects
    else:
        target = None
        rule = commitments.binding_rule_for(institution=institution, programme=programme)
        ects = commitments.published_ects(programme)
        if rule is not None:
            left = commitments.rule_allowance_left(
                rule=rule, learner=learner, institution=institution, year=_year_of(now, institution)
            )
            ects = min(ects, left)
            if ects <= 0:
                raise DomainError(
                    _(
                        "You have used this year's %(ects)s free-elective ECTS under the alliance rule."
                    )
                    % {"ects": rule.max_ects_per_year},
                    code="cap_exceeded",
                )
    if PreApproval.objects.filter(
        learner=learner,
        institution=institution,
        programme=programme,
        status__in=[PreApprovalStatus.REQUESTED, PreApprovalStatus.APPROVED],
    ).exists():
        raise ConflictError(
            _("You already asked this institution to pre-approve this programme."),
            code="duplicate_preapproval",
        )
    preapproval = PreApproval.objects.create(
        learner=learner,
        institution=institution,
        programme=programme,
        kind=kind,
        target=target,
        ects=ects,
        agreement=agreement,
        blanket_rule=rule,
        motivation=motivation.strip()[:4000],
        requested_at=now,
    )
    _audit_preapproval(
        learner, "recognition.preapproval_requested", preapproval, ects=str(ects), kind=kind
    )
    notify_staff_of(
        institution.pk,
        "preapproval_requested",
        context={
            "preapproval": preapproval,
            "institution": institution,
            "base_url": settings.PORTAL_BASE_URL,
        },
    )
    return preapproval


def _lock_preapproval(preapproval: PreApproval) -> PreApproval:
    return (
        PreApproval.objects.select_for_update(of=("self",))
        .select_related("institution", "target", "blanket_rule", "programme", "learner")
        .get(pk=preapproval.pk)
    )


@transaction.atomic
def decide_preapproval(
    *,
    officer: User,
    preapproval: PreApproval,
    approve: bool,
    reasons: str = "",
    ects: Decimal | None = None,
    now: datetime | None = None,
) -> PreApproval:
    """Approve (possibly for fewer credits) or refuse with reasons."""
    now = _now(now)
    preapproval = _lock_preapproval(preapproval)
    permissions.require(recognition_permissions.can_decide_preapproval(officer, preapproval))
    if preapproval.status != PreApprovalStatus.REQUESTED:
        raise ConflictError(_("This pre-approval was already answered."), code="already_decided")
    reasons = reasons.strip()
    if approve:
        ects = preapproval.ects if ects is None else ects
        if ects <= 0 or ects > Decimal("60"):
            raise DomainError(_("Give the credits recognised."), field="ects")
        if preapproval.target is not None and ects > preapproval.target.ects:
            raise DomainError(
                _("An agreement cannot grant more than the course's %(ects)s ECTS.")
                % {"ects": preapproval.target.ects},
                field="ects",
            )
        rule = preapproval.blanket_rule
        if rule is not None:
            left = commitments.rule_allowance_left(
                rule=rule,
                learner=preapproval.learner,
                institution=preapproval.institution,
                year=_year_of(now, preapproval.institution),
                excluding=preapproval,
            )
            if ects > left:
                raise DomainError(
                    _(
                        "The alliance rule allows %(left)s more free-elective ECTS this year for this learner."
                    )
                    % {"left": left},
                    code="cap_exceeded",
                    field="ects",
                )
        preapproval.ects = ects
        preapproval.status = PreApprovalStatus.APPROVED
    else:
        if not reasons:
            raise DomainError(
                _("A refusal must state its reasons."), code="reasons_required", field="reasons"
            )
        preapproval.status = PreApprovalStatus.REFUSED
    preapproval.reasons = reasons[:4000]
    preapproval.decided_by = officer
    preapproval.decided_at = now
    preapproval.save()
    _audit_preapproval(
        officer,
        "recognition.preapproval_decided",
        preapproval,
        status=preapproval.status,
        ects=str(preapproval.ects),
    )
    learner = preapproval.learner
    notify_by_email(
        recipient=learner.email,
        template="recognition/email/preapproval_decided",
        context={
            "preapproval": preapproval,
            "learner": learner,
            "base_url": settings.PORTAL_BASE_URL,
        },
        language=learner.preferred_language or None,
    )
    return preapproval


@transaction.atomic
def withdraw_preapproval(*, learner: User, preapproval: PreApproval) -> PreApproval:
    preapproval = _lock_preapproval(preapproval)
    permissions.require(preapproval.learner_id == learner.pk)
    if preapproval.status not in (PreApprovalStatus.REQUESTED, PreApprovalStatus.APPROVED):
        raise ConflictError(_("This pre-approval can no longer be withdrawn."))
    preapproval.status = PreApprovalStatus.WITHDRAWN
    preapproval.save(update_fields=["status"])
    _audit_preapproval(learner, "recognition.preapproval_withdrawn", preapproval)
    return preapproval


def preapprovals_waiting_for(credential: Credential) -> list[int]:
    """Approved pre-approvals that the newly issued micro-credential fulfils."""
    if credential.kind != CredentialKind.MICRO or credential.programme_version_id is None:
        return []
    return list(
        PreApproval.objects.filter(
            learner_id=credential.learner_id,
            programme__versions=credential.programme_version_id,
            status=PreApprovalStatus.APPROVED,
            case__isnull=True,
        ).values_list("pk", flat=True)
    )


@transaction.atomic
def apply_preapproval(
    *, preapproval_id: int, credential_id: int, now: datetime | None = None
) -> RecognitionRequest | None:
    """The holder-bound credential arrived: open the recognition request through the normal
    submission (its checks then decide it as committed, `decide_under_preapproval`). Does
    nothing when the pre-approval was applied, withdrawn or the credential is not valid."""
    now = _now(now)
    preapproval = (
        PreApproval.objects.select_for_update(of=("self",))
        .select_related("institution", "target", "learner")
        .filter(pk=preapproval_id, status=PreApprovalStatus.APPROVED, case__isnull=True)
        .first()
    )
    if preapproval is None:
        return None
    credential = Credential.objects.filter(
        pk=credential_id,
        learner_id=preapproval.learner_id,
        kind=CredentialKind.MICRO,
        state=CredentialState.ISSUED,
        revoked_at__isnull=True,
        programme_version__programme_id=preapproval.programme_id,
    ).first()
    if credential is None or credential.document is None:
        return None
    case = submit_request(
        learner=preapproval.learner,
        institution=preapproval.institution,
        kind=preapproval.kind,
        target=preapproval.target,
        motivation=_("Pre-approved before enrolment (%(reference)s).")
        % {"reference": preapproval.reference},
        credentials=[
            CredentialInput(
                document=credential.document,
                source=CredentialSource.ISSUED_HERE,
                source_id=credential.pk,
                programme_version_id=credential.programme_version_id,
            )
        ],
        now=now,
    )
    preapproval.case = case
    preapproval.save(update_fields=["case"])
    _audit_preapproval(
        SYSTEM_ACTOR, "recognition.preapproval_request_opened", preapproval, request=case.pk
    )
    return case


def commitment_holds(credentials: list[SubmittedCredential]) -> bool:
    """The commitment was given for this programme's credential issued to this learner: it is
    applied only when that is what arrived (verified, issued by a member institution, issued
    here to the learner). Otherwise an officer decides, with the commitment on the case."""
    return bool(credentials) and all(
        c.verdict == VerificationVerdict.VERIFIED
        and c.issuer_trust == IssuerTrust.MEMBER
        and c.holder_status == HolderStatus.ISSUED_HERE
        for c in credentials
    )


def decide_under_preapproval(
    case: RecognitionRequest, preapproval: PreApproval, now: datetime
) -> Decision | None:
    """Decide a locked request as the pre-approval committed (called by the pre-assessment).
    Under an alliance rule the credits are capped by what is left of the year's allowance."""
    if case.status not in DECIDABLE_STATUSES:
        return None
    credits = preapproval.ects
    rule = preapproval.blanket_rule
    if rule is not None:
        left = commitments.rule_allowance_left(
            rule=rule,
            learner=case.learner,
            institution=case.institution,
            year=_year_of(now, case.institution),
            excluding=preapproval,
        )
        credits = min(credits, left)
        if credits <= 0:
            return None
    target = case.target
    full = target is None or credits >= target.ects
    counts_towards = f"{target.code} {target.title}" if target else ""
    decision = _record_decision(
        case,
        decided_by=None,
        agreement=preapproval.agreement,
        blanket_rule=rule,
        preapproval=preapproval,
        outcome=DecisionOutcome.FULL if full else DecisionOutcome.PARTIAL,
        credits_granted=credits,
        counts_towards=counts_towards,
        component_replaced="" if full else counts_towards,
        differences=[]
        if full
        else [
            DifferenceInput(
                DifferenceElement.WORKLOAD,
                _("The pre-approval grants %(ects)s of the course's %(target)s ECTS.")
                % {"ects": credits, "target": target.ects if target else ""},
            )
        ],
        compensatory_measures="",
        reasons=_("Decided automatically as pre-approved on %(date)s (%(reference)s).")
        % {
            "date": preapproval.decided_at.astimezone(case.institution.zone).date().isoformat()
            if preapproval.decided_at
            else "",
            "reference": preapproval.reference,
        },
        now=now,
    )
    PreApproval.objects.filter(pk=preapproval.pk).update(
        status=PreApprovalStatus.APPLIED, applied_at=now
    )
    record_event(
        actor=SYSTEM_ACTOR,
        action="recognition.decided_automatically",
        target=case,
        institution_id=case.institution_id,
        data={"preapproval": preapproval.pk, "decision": decision.pk},
    )
    notify_institution_staff(
        case, "preapproval_applied", decision=decision, preapproval=preapproval
    )
    return decision
