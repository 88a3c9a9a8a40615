"""Helpers every recognition write shares: the clock, the row lock, the audit trail and
model validation as `DomainError`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.audit import record_event
from portal.errors import DomainError
from recognition.models import (
    RecognitionRequest,
)

# How steps taken by the portal itself (checks, automatic decisions) appear in the audit trail.
SYSTEM_ACTOR = "portal"


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def _lock(case: RecognitionRequest) -> RecognitionRequest:
    return RecognitionRequest.objects.select_for_update().get(pk=case.pk)


def _audit(actor: Any, action: str, case: RecognitionRequest, **data: Any) -> None:
    record_event(
        actor=actor, action=action, target=case, institution_id=case.institution_id, data=data
    )


def _full_clean(obj: Any, exclude: list[str] | None = None) -> None:
    try:
        obj.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise DomainError(messages[0], field=None if field == "__all__" else field) from error
