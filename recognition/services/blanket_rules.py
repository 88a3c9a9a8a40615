"""Alliance-wide recognition rules: an alliance admin proposes one, each member institution
binds itself by countersigning, and the admin may withdraw it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alliances import permissions
from alliances.models import Alliance, Institution
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import commitments
from recognition import permissions as recognition_permissions
from recognition.models import (
    BlanketRule,
    BlanketRuleSignature,
    IssuerTrust,
    RecognitionRequest,
    RequestKind,
    SubmittedCredential,
    VerificationVerdict,
)
from recognition.services.common import _full_clean
from recognition.texts import stored


@transaction.atomic
def propose_blanket_rule(
    *,
    actor: User,
    alliance: Alliance,
    title: str,
    minimum_eqf_level: int,
    max_ects_per_year: Decimal,
    notes: str = "",
) -> BlanketRule:
    """ "Any micro-credential of the alliance at EQF >= N counts as free-elective credits, up to
    M ECTS per year": binding for no institution until it countersigns."""
    permissions.require(recognition_permissions.can_propose_blanket_rule(actor, alliance.pk))
    rule = BlanketRule(
        alliance=alliance,
        title=title.strip(),
        minimum_eqf_level=minimum_eqf_level,
        max_ects_per_year=max_ects_per_year,
        notes=notes.strip(),
        proposed_by=actor,
    )
    _full_clean(rule, exclude=["alliance", "proposed_by"])
    rule.save()
    record_event(
        actor=actor,
        action="recognition.blanket_rule_proposed",
        target=rule,
        data={
            "alliance": alliance.slug,
            "minimum_eqf_level": minimum_eqf_level,
            "max_ects_per_year": str(max_ects_per_year),
        },
    )
    return rule


@transaction.atomic
def countersign_blanket_rule(
    *, actor: User, rule: BlanketRule, institution: Institution
) -> BlanketRuleSignature:
    permissions.require(recognition_permissions.can_countersign_blanket_rule(actor, institution.pk))
    rule = BlanketRule.objects.select_for_update().get(pk=rule.pk)
    if not rule.is_active:
        raise ConflictError(_("This rule was withdrawn."))
    if not institution.memberships.filter(
        alliance_id=rule.alliance_id, left_on__isnull=True
    ).exists():
        raise DomainError(
            _("Only member institutions of the alliance can countersign its rules."),
            code="not_a_member",
        )
    if rule.signatures.filter(institution=institution).exists():
        raise ConflictError(_("The institution has already countersigned this rule."))
    signature = BlanketRuleSignature.objects.create(
        rule=rule, institution=institution, signed_by=actor
    )
    record_event(
        actor=actor,
        action="recognition.blanket_rule_countersigned",
        target=rule,
        institution_id=institution.pk,
    )
    return signature


@transaction.atomic
def withdraw_blanket_rule(*, actor: User, rule: BlanketRule) -> BlanketRule:
    """Ends the rule for every institution; decisions and commitments made under it stand."""
    rule = BlanketRule.objects.select_for_update().get(pk=rule.pk)
    permissions.require(recognition_permissions.can_propose_blanket_rule(actor, rule.alliance_id))
    if not rule.is_active:
        raise ConflictError(_("This rule was withdrawn."))
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    record_event(actor=actor, action="recognition.blanket_rule_withdrawn", target=rule)
    return rule


def apply_rule_to_report(
    case: RecognitionRequest,
    credentials: list[SubmittedCredential],
    report: dict[str, Any],
    now: datetime,
) -> BlanketRule | None:
    """For free-elective credits: when a countersigned alliance rule covers every credential
    (verified, issued here by a member institution for a programme of the alliance at the
    rule's level), add it to the pre-assessment report and cap the recommended credits at what
    is left of the learner's allowance this year."""
    if case.kind != RequestKind.FREE_ELECTIVE or not credentials:
        return None
    if any(
        c.verdict != VerificationVerdict.VERIFIED
        or c.issuer_trust != IssuerTrust.MEMBER
        or not c.holder_proven
        or c.programme_version is None
        for c in credentials
    ):
        return None
    programmes = [c.programme_version.programme for c in credentials if c.programme_version]
    rule = commitments.binding_rule_for(institution=case.institution, programme=programmes[0])
    if rule is None or not all(commitments.rule_applies_to(rule, p) for p in programmes):
        return None
    left = commitments.rule_allowance_left(
        rule=rule,
        learner=case.learner,
        institution=case.institution,
        year=now.astimezone(case.institution.zone).year,
    )
    title = stored(gettext_noop("Alliance recognition rule"))
    if left > 0:
        outcome = "match"
        reason = stored(
            gettext_noop(
                "The institution countersigned the alliance rule “%(rule)s”: up to %(cap)s "
                "free-elective ECTS per year; %(left)s left this year for this learner."
            ),
            rule=rule.title,
            cap=str(rule.max_ects_per_year),
            left=str(left),
        )
    else:
        outcome = "difference"
        reason = stored(
            gettext_noop(
                "The alliance rule “%(rule)s” allows %(cap)s free-elective ECTS per year; the "
                "learner has used them this year."
            ),
            rule=rule.title,
            cap=str(rule.max_ects_per_year),
        )
    report["checks"].append(
        {
            "id": "blanket_rule",
            "element": "workload",
            "outcome": outcome,
            "title": title,
            "reason": reason,
            "evidence": {"rule": rule.pk, "cap": str(rule.max_ects_per_year), "left": str(left)},
        }
    )
    recommendation = report["recommendation"]
    recommendation["blanket_rule"] = rule.pk
    total = sum((c.ects or Decimal("0") for c in credentials), Decimal("0"))
    granted = min(total, left)
    if granted > 0:
        # The institution agreed in advance that such credentials count: the comparison of
        # elements the rule settles (level, and the free-elective profile) is not reopened.
        recommendation.update(
            kind="full",
            reason=stored(
                gettext_noop(
                    "Recognise %(ects)s ECTS as free-elective credits under the alliance rule "
                    "the institution countersigned."
                ),
                ects=str(granted),
            ),
            ects=str(granted),
            elements=[],
        )
    return rule
