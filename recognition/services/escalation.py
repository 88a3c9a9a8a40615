"""Escalating cases whose time limit passed without a decision to the institution's admins."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from alliances import permissions
from recognition.models import DECIDABLE_STATUSES, RecognitionRequest
from recognition.services.cases import notify_institution_staff
from recognition.services.common import SYSTEM_ACTOR, _audit, _now


@transaction.atomic
def escalate_overdue_case(*, request_id: int, now: datetime | None = None) -> bool:
    """Tell the institution's admins, once, that a case ran past its time limit (the clock
    running, no decision). Returns whether it was escalated now."""
    now = _now(now)
    case = (
        RecognitionRequest.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("institution")
        .filter(
            pk=request_id,
            status__in=DECIDABLE_STATUSES,
            paused_since__isnull=True,
            deadline_at__lt=now,
            escalated_at__isnull=True,
        )
        .first()
    )
    if case is None:
        return False
    case.escalated_at = now
    case.save(update_fields=["escalated_at"])
    _audit(SYSTEM_ACTOR, "recognition.escalated", case, deadline=case.deadline_at.isoformat())
    notify_institution_staff(case, "escalated", roles=(permissions.ADMIN,))
    return True
