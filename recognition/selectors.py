"""Reads of the recognition workflow: targets, the officer's queue, cases, precedents,
agreements, public statistics and the officer's CSV report. Objects the viewer may not see
answer 404."""

from __future__ import annotations

import csv
import io
import statistics
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from alliances import permissions
from alliances.models import Institution
from catalogue.models import Skill
from issuance.models import Credential as IssuedCredential
from issuance.models import CredentialState
from portal.models import AuditEvent
from portal.uploads import escape_spreadsheet_cell
from recognition import clock
from recognition import permissions as recognition_permissions
from recognition.issuers import registry_entry
from recognition.models import (
    DECIDABLE_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealStatus,
    CaseMessage,
    Decision,
    DecisionOutcome,
    IssuerTrust,
    PreApproval,
    RecognitionAgreement,
    RecognitionPolicy,
    RecognitionRequest,
    RecognitionTarget,
    RequestKind,
    RequestStatus,
    SubmittedCredential,
    TargetUpload,
)
from recognition.parsing import parse_credential
from wallet.models import ImportedCredential
from wallet.selectors import held_credentials

# --- the learner's credentials -----------------------------------------------------------


@dataclass(frozen=True)
class AvailableCredential:
    """A credential in the learner's wallet that can be added to a request."""

    source: str  # "issued_here" or "imported"
    source_id: int
    title: str
    issuer_name: str
    document: dict[str, Any]
    programme_version_id: int | None = None


def credentials_available_to(*, learner: Any) -> list[AvailableCredential]:
    """The learner's wallet as a source for requests (besides uploading the JSON): issued and
    imported credentials that are not revoked."""
    available = []
    for held in held_credentials(learner):
        if held.status == "revoked":
            continue
        if held.credential is not None:
            source, source_id = "issued_here", held.credential.pk
            version_id = held.credential.programme_version_id
        else:
            assert held.imported is not None
            source, source_id, version_id = "imported", held.imported.pk, None
        available.append(
            AvailableCredential(
                source=source,
                source_id=source_id,
                title=held.title,
                # Who issued it according to the trust registry, never the name it claims.
                issuer_name=registry_entry(parse_credential(held.document).issuer_id).name
                or str(IssuerTrust.UNKNOWN.label),
                document=held.document,
                programme_version_id=version_id,
            )
        )
    return available


# --- policies and targets ----------------------------------------------------------------


def policy_of(institution: Institution) -> RecognitionPolicy | None:
    return RecognitionPolicy.objects.filter(institution=institution).first()


def institutions_taking_requests() -> QuerySet[Institution]:
    return Institution.objects.filter(recognition_policy__isnull=False).order_by("short_name")


def list_public_targets(*, institution: Institution) -> QuerySet[RecognitionTarget]:
    return RecognitionTarget.objects.filter(institution=institution, is_active=True).order_by(
        "code"
    )


def list_targets_for_staff(*, user: Any, institution: Institution) -> QuerySet[RecognitionTarget]:
    if not recognition_permissions.can_manage_recognition_targets(user, institution.pk):
        raise Http404
    return RecognitionTarget.objects.filter(institution=institution).order_by("-is_active", "code")


def get_target_for_staff(*, user: Any, pk: int) -> RecognitionTarget:
    target = get_object_or_404(RecognitionTarget.objects.select_related("institution"), pk=pk)
    if not recognition_permissions.can_manage_recognition_targets(user, target.institution_id):
        raise Http404
    return target


def get_target_upload(*, user: Any, pk: int) -> TargetUpload:
    upload = get_object_or_404(TargetUpload.objects.select_related("institution"), pk=pk)
    if upload.uploaded_by_id != getattr(user, "pk", None):
        raise Http404
    return upload


def recognition_institutions_of(user: Any) -> QuerySet[Institution]:
    """Institutions where the user assesses recognition requests."""
    return Institution.objects.filter(
        pk__in=recognition_permissions.recognition_institution_ids(user)
    ).order_by("short_name")


def get_recognition_institution(*, user: Any, slug: str) -> Institution:
    institution = get_object_or_404(Institution, slug=slug)
    if not recognition_permissions.can_manage_recognition_targets(user, institution.pk):
        raise Http404
    return institution


# --- requests ----------------------------------------------------------------------------


def _case_queryset() -> QuerySet[RecognitionRequest]:
    return RecognitionRequest.objects.select_related(
        "learner", "institution", "target", "assigned_to", "final_decision"
    )


@dataclass
class QueueRow:
    case: RecognitionRequest
    deadline: datetime
    overdue: bool
    due_soon: bool
    paused: bool


QUEUE_ORDERS = {
    "deadline": ("deadline_at", "pk"),
    "-deadline": ("-deadline_at", "-pk"),
    "received": ("received_at", "pk"),
    "-received": ("-received_at", "-pk"),
}


def officer_queue(
    *,
    user: Any,
    now: datetime,
    status: str = "open",
    order: str = "deadline",
    institution_id: int | None = None,
) -> QuerySet[RecognitionRequest]:
    """Cases of the institutions where the user assesses requests (never their own)."""
    ids = recognition_permissions.recognition_institution_ids(user)
    if institution_id is not None:
        ids = ids & {institution_id}
    queryset = _case_queryset().filter(institution_id__in=ids).exclude(learner=user)
    if status == "open":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    elif status == "appeals":
        queryset = queryset.filter(status=RequestStatus.APPEALED)
    elif status == "overdue":
        queryset = queryset.filter(
            status__in=OPEN_STATUSES, deadline_at__lte=now, paused_since__isnull=True
        )
    elif status == "unreviewed":
        queryset = queryset.filter(
            final_decision__automatic=True, final_decision__reviewed_at__isnull=True
        )
    elif status in RequestStatus.values:
        queryset = queryset.filter(status=status)
    return queryset.order_by(*QUEUE_ORDERS.get(order, QUEUE_ORDERS["deadline"]))


def queue_rows(requests: Iterable[RecognitionRequest], now: datetime) -> list[QueueRow]:
    return [
        QueueRow(
            case=case,
            deadline=clock.effective_deadline(case, now),
            overdue=case.is_open and clock.is_overdue(case, now),
            due_soon=case.is_open and clock.is_due_soon(case, now),
            paused=case.paused_since is not None,
        )
        for case in requests
    ]


def _case_prefetches() -> list[Any]:
    return [
        Prefetch(
            "credentials",
            queryset=SubmittedCredential.objects.select_related(
                "issuer_institution", "programme_version__programme"
            ),
        ),
        Prefetch("messages", queryset=CaseMessage.objects.select_related("author")),
        "attachments",
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("decided_by", "agreement", "reviewed_by"),
        ),
        "pauses",
    ]


def get_request_for_viewer(*, user: Any, pk: int) -> RecognitionRequest:
    """A case as its learner or an officer of the institution sees it."""
    case = _case_queryset().prefetch_related(*_case_prefetches()).filter(pk=pk).first()
    if case is None or not recognition_permissions.can_view_recognition_request(user, case):
        raise Http404
    return case


def get_request_for_officer(*, user: Any, pk: int) -> RecognitionRequest:
    case = get_request_for_viewer(user=user, pk=pk)
    if not recognition_permissions.can_assess_recognition_request(user, case):
        raise Http404
    return case


def get_request_of_learner(*, learner: Any, pk: int) -> RecognitionRequest:
    case = get_request_for_viewer(user=learner, pk=pk)
    if not recognition_permissions.can_act_as_recognition_learner(learner, case):
        raise Http404
    return case


def list_learner_requests(*, learner: Any) -> QuerySet[RecognitionRequest]:
    return _case_queryset().filter(learner=learner).order_by("-received_at", "-pk")


def appeal_of(case: RecognitionRequest) -> Appeal | None:
    return (
        Appeal.objects.select_related("reviewer", "decision", "new_decision")
        .filter(request=case)
        .first()
    )


def get_appeal_for_reviewer(*, user: Any, pk: int) -> Appeal:
    """An appeal, for staff of the institution (whether they may decide it is the service's
    question: the officer who decided sees the case but not the appeal form)."""
    appeal = get_object_or_404(
        Appeal.objects.select_related("request", "decision", "decision__decided_by", "reviewer"),
        pk=pk,
    )
    if not recognition_permissions.assesses_recognition_at(user, appeal.institution_id):
        raise Http404
    return appeal


def list_open_appeals(*, user: Any) -> QuerySet[Appeal]:
    ids = recognition_permissions.recognition_institution_ids(user)
    return (
        Appeal.objects.filter(status=AppealStatus.OPEN, request__institution_id__in=ids)
        .exclude(decision__decided_by=user)
        .select_related("request", "request__target", "request__learner", "reviewer")
        .order_by("lodged_at")
    )


def case_audit_trail(case: RecognitionRequest) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(
        object_type=RecognitionRequest._meta.label_lower, object_id=str(case.pk)
    ).order_by("created_at", "id")


def requests_past_appeal_period(now: datetime, limit: int = 500) -> list[int]:
    return list(
        RecognitionRequest.objects.filter(
            status=RequestStatus.DECIDED, appeal_deadline_at__lt=now
        ).values_list("pk", flat=True)[:limit]
    )


def requests_waiting_for_checks(older_than: datetime, limit: int = 500) -> list[int]:
    return list(
        RecognitionRequest.objects.filter(
            checks_status="pending", received_at__lt=older_than
        ).values_list("pk", flat=True)[:limit]
    )


# --- precedents and agreements -----------------------------------------------------------


def precedents_for(
    *, case: RecognitionRequest, credentials: Sequence[SubmittedCredential], limit: int = 10
) -> QuerySet[Decision]:
    """Decisions that still stand at this institution, for the same target (or free-elective
    credits) and the same programme version (credentials issued here) or the same
    achievement (others')."""
    versions = {c.programme_version_id for c in credentials if c.programme_version_id}
    achievements = {
        c.achievement_id for c in credentials if c.achievement_id and not c.programme_version_id
    }
    if not versions and not achievements:
        return Decision.objects.none()
    same_credential = Q()
    if versions:
        same_credential |= Q(request__credentials__programme_version_id__in=versions)
    if achievements:
        same_credential |= Q(request__credentials__achievement_id__in=achievements)
    queryset = Decision.objects.filter(
        same_credential,
        request__institution_id=case.institution_id,
        request__kind=case.kind,
        request__target_id=case.target_id,
        superseded_by__isnull=True,
    ).exclude(request_id=case.pk)
    ids = queryset.order_by("-decided_at").values_list("pk", flat=True).distinct()[:limit]
    return (
        Decision.objects.filter(pk__in=list(ids)).select_related("request").order_by("-decided_at")
    )


def applicable_agreements(*, target: RecognitionTarget, on: date) -> QuerySet[RecognitionAgreement]:
    return (
        RecognitionAgreement.objects.filter(target=target, is_active=True, valid_from__lte=on)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("target")
        .order_by("pk")
    )


def list_agreements_for_staff(*, user: Any) -> QuerySet[RecognitionAgreement]:
    queryset = RecognitionAgreement.objects.select_related(
        "target", "target__institution", "programme", "alliance", "recorded_by"
    ).order_by("-is_active", "target__institution__short_name", "target__code")
    return queryset.filter(
        target__institution_id__in=recognition_permissions.recognition_institution_ids(user)
    )


def get_agreement_for_staff(*, user: Any, pk: int) -> RecognitionAgreement:
    agreement = get_object_or_404(RecognitionAgreement.objects.select_related("target"), pk=pk)
    if not recognition_permissions.can_manage_recognition_agreements(
        user, agreement.target.institution_id
    ):
        raise Http404
    return agreement


def targets_open_to_agreements(*, user: Any) -> QuerySet[RecognitionTarget]:
    """Only the institution's own recognition staff bind it by an agreement."""
    return (
        RecognitionTarget.objects.filter(
            is_active=True,
            institution_id__in=recognition_permissions.recognition_institution_ids(user),
        )
        .select_related("institution")
        .order_by("institution__short_name", "code")
    )


def skill_labels(uris: Iterable[str]) -> dict[str, str]:
    uris = set(uris)
    if not uris:
        return {}
    return dict(Skill.objects.filter(uri__in=uris).values_list("uri", "preferred_label"))


# --- transparency ------------------------------------------------------------------------


@dataclass
class InstitutionStatistics:
    requests: int
    decided: int
    recognised: int
    recognition_rate: float | None
    median_days_to_decision: float | None
    within_time_limit_share: float | None
    automatic_share: float | None
    appeals: int
    overturned: int


def institution_statistics(*, institution: Institution) -> InstitutionStatistics:
    """Public figures: every request received; decisions that stand (first decisions for
    timing and the time limit, final decisions for the recognition rate)."""
    requests = RecognitionRequest.objects.filter(institution=institution).exclude(
        status=RequestStatus.WITHDRAWN
    )
    first_decisions = list(
        Decision.objects.filter(request__institution=institution, supersedes__isnull=True)
        .select_related("request")
        .only("decided_at", "within_time_limit", "automatic", "request__received_at")
    )
    finals = list(
        Decision.objects.filter(
            request__institution=institution, final_at__isnull=False, superseded_by__isnull=True
        ).values_list("outcome", flat=True)
    )
    recognised = sum(1 for outcome in finals if outcome != DecisionOutcome.REFUSED)
    durations = [
        clock.days_between(decision.request.received_at, decision.decided_at)
        for decision in first_decisions
    ]
    decided = len(first_decisions)
    appeals = Appeal.objects.filter(request__institution=institution)
    return InstitutionStatistics(
        requests=requests.count(),
        decided=decided,
        recognised=recognised,
        recognition_rate=recognised / len(finals) if finals else None,
        median_days_to_decision=statistics.median(durations) if durations else None,
        within_time_limit_share=(
            sum(1 for d in first_decisions if d.within_time_limit) / decided if decided else None
        ),
        automatic_share=sum(1 for d in first_decisions if d.automatic) / decided
        if decided
        else None,
        appeals=appeals.count(),
        overturned=appeals.filter(outcome="overturned").count(),
    )


REPORT_COLUMNS = [
    "reference",
    "received_at",
    "learner_email",
    "learner_name",
    "kind",
    "target_code",
    "target_title",
    "credentials",
    "status",
    "deadline",
    "outcome",
    "credits_granted",
    "decided_at",
    "decided_by",
    "automatic",
    "within_time_limit",
    "substantial_differences",
    "appeal",
]


def export_cases_csv(*, user: Any, institution: Institution) -> Iterator[str]:
    """The institution's cases as CSV lines for the officer's report; every cell is escaped
    so that a spreadsheet never runs one as a formula."""
    if not recognition_permissions.assesses_recognition_at(user, institution.pk):
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(REPORT_COLUMNS)
    yield flush()
    requests = (
        _case_queryset()
        .filter(institution=institution)
        .prefetch_related(
            "credentials",
            Prefetch("decisions", queryset=Decision.objects.select_related("decided_by")),
            "appeal",
        )
        .order_by("received_at", "pk")
    )
    for case in requests.iterator(chunk_size=200):
        decisions = list(case.decisions.all())
        decision = case.final_decision or (decisions[-1] if decisions else None)
        appeal = getattr(case, "appeal", None)
        writer.writerow(
            [
                escape_spreadsheet_cell(value)
                for value in (
                    case.reference,
                    case.received_at.isoformat(),
                    case.learner.email,
                    case.learner.full_name,
                    case.kind,
                    case.target.code if case.target else "",
                    case.target.title if case.target else RequestKind.FREE_ELECTIVE.label,
                    " | ".join(c.title for c in case.credentials.all()),
                    case.status,
                    case.deadline_at.isoformat(),
                    decision.outcome if decision else "",
                    decision.credits_granted if decision else "",
                    decision.decided_at.isoformat() if decision else "",
                    (decision.decided_by.email if decision and decision.decided_by else ""),
                    ("yes" if decision.automatic else "no") if decision else "",
                    ("yes" if decision.within_time_limit else "no") if decision else "",
                    " | ".join(
                        f"{d['element']}: {d['reason']}" for d in decision.substantial_differences
                    )
                    if decision
                    else "",
                    appeal.outcome or appeal.status if appeal else "",
                )
            ]
        )
        yield flush()


# --- holder binding ----------------------------------------------------------------------


def name_is_identity_data(user: Any, **_signal: Any) -> bool:
    """A learner's name is locked (changes need staff approval) once they hold credentials
    (issued here or imported into the wallet) or have a recognition request that is not closed
    (receiver of `portal.signals.name_change_lock`)."""
    if IssuedCredential.objects.filter(learner=user, state=CredentialState.ISSUED).exists():
        return True
    if ImportedCredential.objects.filter(learner=user).exists():
        return True
    return RecognitionRequest.objects.filter(
        learner=user,
        status__in=[*OPEN_STATUSES, RequestStatus.DECIDED, RequestStatus.APPEALED],
    ).exists()


def issued_here_record(credential: SubmittedCredential) -> Any:
    """The portal's own issuance record of a submitted credential (by its id and issuer, or
    by its digest), or None when the portal did not issue it."""
    issued = IssuedCredential.objects.filter(state=CredentialState.ISSUED)
    if credential.credential_id.startswith("urn:uuid:") and credential.issuer_institution_id:
        try:
            found = issued.filter(
                uuid=uuid.UUID(credential.credential_id.removeprefix("urn:uuid:")),
                issuer_id=credential.issuer_institution_id,
            ).first()
        except ValueError:
            found = None
        if found is not None:
            return found
    return issued.filter(digest_multibase=credential.digest_multibase).first()


def same_credential_elsewhere(credential: SubmittedCredential, learner: Any) -> bool:
    """Whether another person submitted the same credential (same id, same digest or same
    proof) in a request that was not withdrawn, at any institution."""
    same = Q(digest_multibase=credential.digest_multibase)
    if credential.credential_id:
        same |= Q(credential_id=credential.credential_id)
    if credential.proof_value:
        same |= Q(proof_value=credential.proof_value)
    return (
        SubmittedCredential.objects.filter(same)
        .exclude(request__learner=learner)
        .exclude(request__status=RequestStatus.WITHDRAWN)
        .exists()
    )


def overdue_cases_to_escalate(now: datetime, limit: int = 500) -> list[int]:
    """Running cases past their deadline that nobody has been told about yet."""
    return list(
        RecognitionRequest.objects.filter(
            status__in=DECIDABLE_STATUSES,
            paused_since__isnull=True,
            deadline_at__lt=now,
            escalated_at__isnull=True,
        ).values_list("pk", flat=True)[:limit]
    )


# --- pre-approvals -----------------------------------------------------------------------


def list_preapprovals_for(*, user: Any) -> QuerySet[PreApproval]:
    """A learner's own pre-approvals and those at the institutions where the user assesses
    recognition."""
    user_id = getattr(user, "pk", None)
    ids = recognition_permissions.recognition_institution_ids(user)
    return (
        PreApproval.objects.filter(Q(learner_id=user_id) | Q(institution_id__in=ids))
        .select_related("learner", "institution", "programme", "target", "decided_by")
        .order_by("-requested_at", "-pk")
    )


def get_preapproval_for_viewer(*, user: Any, pk: int) -> PreApproval:
    return permissions.get_object_or_404_for(
        PreApproval.objects.select_related(
            "learner", "institution", "programme", "target", "decided_by", "blanket_rule"
        ),
        user,
        recognition_permissions.can_view_preapproval,
        pk=pk,
    )
