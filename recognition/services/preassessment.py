"""The automated pre-assessment: running the checks on a submitted request and, under a
recognition agreement, deciding it automatically.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from portal import identity
from portal.errors import ConflictError
from portal.models import User
from portal.tasking import enqueue_on_commit
from recognition import checks, selectors
from recognition import permissions as recognition_permissions
from recognition.emrex.checks import transcript_checks
from recognition.issuers import registry_entry
from recognition.models import (
    DECIDABLE_STATUSES,
    OPEN_STATUSES,
    ChecksStatus,
    Decision,
    DecisionOutcome,
    DifferenceElement,
    HolderStatus,
    PreApproval,
    PreApprovalStatus,
    RecognitionAgreement,
    RecognitionRequest,
    SubmittedCredential,
)
from recognition.services.blanket_rules import apply_rule_to_report
from recognition.services.common import SYSTEM_ACTOR, _audit, _lock, _now
from recognition.services.decisions import DifferenceInput, _record_decision
from recognition.services.preapprovals import commitment_holds, decide_under_preapproval

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
    case = (
        RecognitionRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk=request_id, checks_status=ChecksStatus.PENDING)
        .select_related("target", "institution", "learner")
        .first()
    )
    if case is None:
        return None
    credentials = list(case.credentials.select_related("issuer_institution", "programme_version"))
    for credential in credentials:
        entry = registry_entry(credential.issuer_id)
        credential.issuer_trust = entry.trust
        credential.issuer_institution = entry.institution
        credential.trusted_issuer = entry.trusted_issuer
        outcome = checks.verify_submitted_document(credential.document, now=now, registry=entry)
        credential.verification = outcome.report
        credential.verdict = outcome.verdict
        credential.holder_status = _holder_status(credential, case.learner)
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
    holder_name = case.learner_name or identity.name_at(case.learner, case.received_at)
    recent_changes = [
        {
            "old_name": change.old_name,
            "new_name": change.new_name,
            "applied_at": change.applied_at.date().isoformat() if change.applied_at else "",
        }
        for change in identity.name_changes_between(
            case.learner, case.received_at - NAME_CHANGE_WINDOW, case.received_at
        )
    ]
    agreements = (
        list(selectors.applicable_agreements(target=case.target, on=now.date()))
        if case.target is not None
        else []
    )
    report = checks.run_checks(
        credentials=credentials,
        target=case.target,
        agreements=agreements,
        precedents=list(selectors.precedents_for(case=case, credentials=credentials)),
        skill_labels=selectors.skill_labels(
            {uri for c in credentials for uri in c.skill_uris}
            | set(case.target.skill_uris if case.target else [])
        ),
        holder_name=holder_name,
        now=now,
        recent_name_changes=recent_changes,
    )
    apply_rule_to_report(case, credentials, report, now)
    report["checks"].extend(transcript_checks(case))
    case.checks = report
    case.checks_status = ChecksStatus.DONE
    case.checks_completed_at = now
    case.updated_at = now
    case.save(update_fields=["checks", "checks_status", "checks_completed_at", "updated_at"])
    recommendation = report["recommendation"]
    _audit(
        SYSTEM_ACTOR,
        "recognition.checks_completed",
        case,
        recommendation=recommendation["kind"],
        verdicts=[c.verdict for c in credentials],
    )
    preapproval = PreApproval.objects.filter(case=case, status=PreApprovalStatus.APPROVED).first()
    if preapproval is not None and commitment_holds(credentials):
        decide_under_preapproval(case, preapproval, now)
        return case
    agreement_id = recommendation.get("agreement")
    if (
        recommendation.get("automatic")
        and agreement_id is not None
        and case.status in DECIDABLE_STATUSES
    ):
        agreement = next(a for a in agreements if a.pk == agreement_id)
        _decide_under_agreement(case, agreement, now)
    return case


def _decide_under_agreement(
    case: RecognitionRequest, agreement: RecognitionAgreement, now: datetime
) -> Decision:
    target = agreement.target
    full = agreement.ects >= target.ects
    decision = _record_decision(
        case,
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
        case,
        agreement=agreement.pk,
        decision=decision.pk,
    )
    return decision


@transaction.atomic
def rerun_checks(*, officer: User, case: RecognitionRequest) -> RecognitionRequest:
    """Run the pre-assessment again (e.g. after the issuer's key became reachable)."""
    case = _lock(case)
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if case.status not in OPEN_STATUSES:
        raise ConflictError(_("The checks of a decided request are kept as they were."))
    case.checks_status = ChecksStatus.PENDING
    case.save(update_fields=["checks_status"])
    _audit(officer, "recognition.checks_requested", case)
    from recognition.tasks import run_preassessment_task

    enqueue_on_commit(run_preassessment_task, case.pk)
    return case
