"""Writes of an institution's recognition policy."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alliances import permissions
from alliances.models import Institution
from portal.audit import record_event
from portal.models import User
from recognition.models import (
    RecognitionPolicy,
)
from recognition.services.common import _full_clean


@transaction.atomic
def save_policy(
    *,
    actor: User,
    institution: Institution,
    time_limit_days: int,
    appeal_period_days: int,
    appeals_decided_by: str,
    procedure: str = "",
) -> RecognitionPolicy:
    """Publish (or change) the institution's recognition procedure. Requests already received
    keep the time limit and appeal route they were given."""
    permissions.require(permissions.can_manage_recognition_policy(actor, institution.pk))
    policy = RecognitionPolicy.objects.select_for_update().filter(
        institution=institution
    ).first() or RecognitionPolicy(institution=institution)
    policy.time_limit_days = time_limit_days
    policy.appeal_period_days = appeal_period_days
    policy.appeals_decided_by = appeals_decided_by
    policy.procedure = procedure.strip()
    policy.updated_at = timezone.now()
    _full_clean(policy, exclude=["institution"])
    policy.save()
    record_event(
        actor=actor,
        action="recognition.policy_saved",
        target=policy,
        institution_id=institution.pk,
        data={
            "time_limit_days": time_limit_days,
            "appeal_period_days": appeal_period_days,
            "appeals_decided_by": appeals_decided_by,
        },
    )
    return policy
