"""Keeping the precedents of open cases current: when a case is decided, every open case of
the same institution, kind and target about the same credential gets its "earlier decisions"
check recomputed, so the officer sees the new precedent without running the checks again.

Only that one check changes: the rest of the stored report (verification, comparison,
recommendation) stays as it was computed."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Q

from recognition import checks, selectors
from recognition.models import OPEN_STATUSES, ChecksStatus, RecognitionRequest
from recognition.services.common import SYSTEM_ACTOR, _audit

PRECEDENTS_CHECK_ID = "precedents"


def similar_open_cases(case: RecognitionRequest) -> list[RecognitionRequest]:
    """Open cases whose precedents include decisions on `case` (the rule of
    `selectors.precedents_for`, seen from the decided side), locked in id order."""
    credentials = list(case.credentials.all())
    versions = {c.programme_version_id for c in credentials if c.programme_version_id}
    achievements = {
        c.achievement_id for c in credentials if c.achievement_id and not c.programme_version_id
    }
    if not versions and not achievements:
        return []
    same_credential = Q()
    if versions:
        same_credential |= Q(credentials__programme_version_id__in=versions)
    if achievements:
        same_credential |= Q(credentials__achievement_id__in=achievements)
    ids = (
        RecognitionRequest.objects.filter(
            same_credential,
            institution_id=case.institution_id,
            kind=case.kind,
            target_id=case.target_id,
            status__in=OPEN_STATUSES,
            checks_status=ChecksStatus.DONE,
        )
        .exclude(pk=case.pk)
        .values_list("pk", flat=True)
        .distinct()
    )
    return list(
        RecognitionRequest.objects.select_for_update().filter(pk__in=list(ids)).order_by("pk")
    )


def refresh_precedents_after_decision(*, decided: RecognitionRequest, now: datetime) -> int:
    """Recompute the precedents check of the open cases similar to `decided`; returns how
    many were refreshed. Runs inside the decision's transaction."""
    refreshed = 0
    for case in similar_open_cases(decided):
        report = dict(case.checks or {})
        stored_checks = list(report.get("checks") or [])
        precedents = selectors.precedents_for(case=case, credentials=list(case.credentials.all()))
        fresh = checks.precedents_summary(list(precedents))
        replacement = {
            "id": fresh.id,
            "element": fresh.element,
            "outcome": fresh.outcome,
            "title": fresh.title,
            "reason": fresh.reason,
            "evidence": fresh.evidence,
        }
        positions = [
            index
            for index, check in enumerate(stored_checks)
            if isinstance(check, dict) and check.get("id") == PRECEDENTS_CHECK_ID
        ]
        if positions:
            stored_checks[positions[0]] = replacement
        else:
            stored_checks.append(replacement)
        report["checks"] = stored_checks
        report["precedents_refreshed_at"] = now.isoformat()
        case.checks = report
        case.save(update_fields=["checks"])
        _audit(
            SYSTEM_ACTOR,
            "recognition.precedents_refreshed",
            case,
            decided_request=decided.pk,
            precedents=len(fresh.evidence.get("decisions", [])),
        )
        refreshed += 1
    return refreshed
