"""Reads for recognition promised in advance: what a programme will count for at each
institution (agreements, countersigned alliance rules, precedents), the rules binding an
institution, and how much of a rule's yearly allowance a learner has used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet, Sum

from alliances.models import Institution
from catalogue.models import Programme
from recognition.models import (
    BlanketRule,
    BlanketRuleSignature,
    Decision,
    PreApproval,
    PreApprovalStatus,
    RecognitionAgreement,
    RecognitionTarget,
)

AGREEMENT = "agreement"
BLANKET_RULE = "blanket_rule"
PRECEDENT = "precedent"


@dataclass(frozen=True)
class Prospect:
    """What a programme's credential will count for at one institution, and on what basis."""

    institution: Institution
    basis: str
    ects: Decimal
    target: RecognitionTarget | None = None
    agreement: RecognitionAgreement | None = None
    rule: BlanketRule | None = None
    precedents: int = 0
    minimum_grade: str = ""

    @property
    def counts_as_free_electives(self) -> bool:
        return self.target is None


def published_ects(programme: Programme) -> Decimal:
    """The ECTS of the programme as published (what its credential states)."""
    version = programme.published_version
    return version.ects if version is not None else Decimal("0")


def rule_applies_to(rule: BlanketRule, programme: Programme) -> bool:
    """Any published micro-credential of the rule's alliance at its EQF level or above."""
    version = programme.published_version
    return (
        rule.is_active
        and version is not None
        and programme.alliance_id == rule.alliance_id
        and version.eqf_level >= rule.minimum_eqf_level
    )


def binding_signatures(*, institution: Institution | None = None) -> QuerySet[BlanketRuleSignature]:
    """Countersignatures of active rules by institutions still in the rule's alliance."""
    queryset = BlanketRuleSignature.objects.filter(
        rule__is_active=True,
        institution__memberships__alliance_id=F("rule__alliance_id"),
        institution__memberships__left_on__isnull=True,
    )
    if institution is not None:
        queryset = queryset.filter(institution=institution)
    return queryset.select_related("rule", "rule__alliance", "institution").distinct()


def binding_rule_for(*, institution: Institution, programme: Programme) -> BlanketRule | None:
    """The countersigned rule of the programme's alliance that binds the institution (the most
    generous one when several do)."""
    rules = [
        signature.rule
        for signature in binding_signatures(institution=institution)
        if rule_applies_to(signature.rule, programme)
    ]
    return max(rules, key=lambda rule: rule.max_ects_per_year, default=None)


def public_rules() -> QuerySet[BlanketRule]:
    return (
        BlanketRule.objects.filter(is_active=True)
        .select_related("alliance")
        .prefetch_related("signatures__institution")
        .order_by("alliance__name", "-proposed_at")
    )


def year_bounds(year: int, institution: Institution) -> tuple[datetime, datetime]:
    zone = institution.zone
    return datetime(year, 1, 1, tzinfo=zone), datetime(year + 1, 1, 1, tzinfo=zone)


def rule_credits_used(
    *,
    rule: BlanketRule,
    learner: Any,
    institution: Institution,
    year: int,
    excluding: PreApproval | None = None,
) -> Decimal:
    """Free-elective credits a learner used under a rule at an institution in a calendar year
    (in its time zone): standing decisions that applied the rule, and approved pre-approvals
    under it not yet applied (a commitment reserves its credits in the year it was given)."""
    start, end = year_bounds(year, institution)
    decided = Decision.objects.filter(
        blanket_rule=rule,
        request__learner=learner,
        request__institution=institution,
        superseded_by__isnull=True,
        decided_at__gte=start,
        decided_at__lt=end,
    ).aggregate(total=Sum("credits_granted"))["total"] or Decimal("0")
    committed_queryset = PreApproval.objects.filter(
        blanket_rule=rule,
        learner=learner,
        institution=institution,
        status=PreApprovalStatus.APPROVED,
        decided_at__gte=start,
        decided_at__lt=end,
    )
    if excluding is not None:
        committed_queryset = committed_queryset.exclude(pk=excluding.pk)
    committed = committed_queryset.aggregate(total=Sum("ects"))["total"] or Decimal("0")
    return decided + committed


def rule_allowance_left(
    *,
    rule: BlanketRule,
    learner: Any,
    institution: Institution,
    year: int,
    excluding: PreApproval | None = None,
) -> Decimal:
    used = rule_credits_used(
        rule=rule, learner=learner, institution=institution, year=year, excluding=excluding
    )
    return max(Decimal("0"), rule.max_ects_per_year - used)


def active_agreements_for(programme: Programme, on: date) -> QuerySet[RecognitionAgreement]:
    return (
        RecognitionAgreement.objects.filter(
            programme=programme, is_active=True, valid_from__lte=on, target__is_active=True
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=on))
        .select_related("target", "target__institution")
        .order_by("target__institution__short_name", "target__code")
    )


def prospects_for(programme: Programme, *, on: date) -> list[Prospect]:
    """Per institution, what the programme's credential will count for: agreements first,
    then countersigned alliance rules (free electives), then precedents (standing decisions
    recognising the programme's credentials), each once per institution and target."""
    prospects: list[Prospect] = []
    seen: set[tuple[int, int | None]] = set()
    key: tuple[int, int | None]
    for agreement in active_agreements_for(programme, on):
        target = agreement.target
        seen.add((target.institution_id, target.pk))
        prospects.append(
            Prospect(
                institution=target.institution,
                basis=AGREEMENT,
                ects=agreement.ects,
                target=target,
                agreement=agreement,
                minimum_grade=agreement.minimum_grade,
            )
        )
    for signature in binding_signatures():
        rule = signature.rule
        key = (signature.institution_id, None)
        if key in seen or not rule_applies_to(rule, programme):
            continue
        seen.add(key)
        prospects.append(
            Prospect(
                institution=signature.institution,
                basis=BLANKET_RULE,
                ects=min(published_ects(programme), rule.max_ects_per_year),
                rule=rule,
            )
        )
    precedents = (
        Decision.objects.filter(
            outcome__in=["full", "partial"],
            superseded_by__isnull=True,
            final_at__isnull=False,
            basis_revoked_at__isnull=True,
            request__credentials__programme_version__programme=programme,
        )
        .select_related("request__institution", "request__target")
        .order_by("-decided_at")
        .distinct()
    )
    counted: dict[tuple[int, int | None], list[Decision]] = {}
    for decision in precedents:
        counted.setdefault(
            (decision.request.institution_id, decision.request.target_id), []
        ).append(decision)
    for key, decisions in counted.items():
        if key in seen:
            continue
        latest = decisions[0]
        prospects.append(
            Prospect(
                institution=latest.request.institution,
                basis=PRECEDENT,
                ects=latest.credits_granted,
                target=latest.request.target,
                precedents=len(decisions),
            )
        )
    return sorted(prospects, key=lambda p: (p.institution.short_name, p.basis))


def fulfilled_preapprovals(limit: int = 200) -> list[tuple[int, int]]:
    """(pre-approval, credential) pairs whose credential was issued after the approval but
    whose request was never opened (the broker was away when it was issued)."""
    from issuance.models import Credential, CredentialKind, CredentialState

    pairs = []
    waiting = PreApproval.objects.filter(status=PreApprovalStatus.APPROVED, case__isnull=True)
    for preapproval in waiting.order_by("pk")[:limit]:
        credential_id = (
            Credential.objects.filter(
                learner_id=preapproval.learner_id,
                kind=CredentialKind.MICRO,
                state=CredentialState.ISSUED,
                revoked_at__isnull=True,
                programme_version__programme_id=preapproval.programme_id,
                issued_at__gte=preapproval.decided_at,
            )
            .order_by("-issued_at")
            .values_list("pk", flat=True)
            .first()
        )
        if credential_id is not None:
            pairs.append((preapproval.pk, credential_id))
    return pairs
