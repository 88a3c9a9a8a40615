"""Counting what happens to issued credentials (shared, viewed through a share link,
verified) per offering and day, for the issuers' analytics. Nothing about the person is kept:
see `issuance.models.CredentialUsage`. Credentials without an offering (pathway and
recognition credentials) are not counted."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from issuance.models import Credential, CredentialUsage, UsageEvent


def record_usage(credentials: Iterable[Credential], event: UsageEvent) -> None:
    """Add one to the day's count of `event` for the offering of each credential."""
    offering_ids = [
        credential.result.offering_id
        for credential in credentials
        if credential.result_id is not None and credential.result is not None
    ]
    day = timezone.localdate()
    for offering_id in offering_ids:
        _increment(offering_id, event, day)


def record_usage_of_document(credential_id: object, event: UsageEvent) -> None:
    """Count `event` for the credential issued here with this identifier, if there is one."""
    if not isinstance(credential_id, str) or not credential_id.startswith("urn:uuid:"):
        return
    try:
        key = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return
    record_usage(Credential.objects.filter(uuid=key).select_related("result"), event)


def _increment(offering_id: int, event: UsageEvent, day: date) -> None:
    counts = CredentialUsage.objects.filter(offering_id=offering_id, event=event, day=day)
    if counts.update(count=F("count") + 1):
        return
    try:
        with transaction.atomic():
            CredentialUsage.objects.create(offering_id=offering_id, event=event, day=day, count=1)
    except IntegrityError:  # another request created the day's row first
        counts.update(count=F("count") + 1)
