"""Writing audit events: one call per business or security step, from services."""

from __future__ import annotations

from typing import Any

from django.db import models as dj_models
from django.http import HttpRequest

from portal.client_address import client_address
from portal.models import AuditEvent, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return client_address(request) or None


def record_event(
    *,
    actor: Any,
    action: str,
    target: dj_models.Model | None = None,
    institution_id: int | None = None,
    data: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    user = actor if isinstance(actor, User) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=user.email if user else (str(actor) if actor else ""),
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        institution_id=institution_id,
        ip_address=client_ip(request),
        data=data or {},
    )
