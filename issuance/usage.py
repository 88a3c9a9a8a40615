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
from portal import counters

DOCUMENT_USAGE = "credential-usage"


def record_usage(credentials: Iterable[Credential], event: UsageEvent, times: int = 1) -> None:
    """Add `times` to the day's count of `event` for the offering of each credential."""
    offering_ids = [
        credential.result.offering_id
        for credential in credentials
        if credential.result_id is not None and credential.result is not None
    ]
    day = timezone.localdate()
    for offering_id in offering_ids:
        _increment(offering_id, event, day, times)


def record_usage_of_document(credential_id: object, event: UsageEvent) -> None:
    """Count `event` for the credential issued here with this identifier, if there is one."""
    if not isinstance(credential_id, str) or not credential_id.startswith("urn:uuid:"):
        return
    try:
        key = uuid.UUID(credential_id.removeprefix("urn:uuid:"))
    except ValueError:
        return
    # Counted on public pages served from the cache: in Redis first where there is one.
    if not counters.add(DOCUMENT_USAGE, f"{event}:{key}"):
        record_usage(Credential.objects.filter(uuid=key).select_related("result"), event)


def write_buffered_usage() -> int:
    """Move the counts `record_usage_of_document` kept in Redis into the database (run
    periodically); how many credentials' counts were written."""
    with counters.draining(DOCUMENT_USAGE) as counts:
        by_event: dict[str, dict[str, int]] = {}
        for field, times in counts.items():
            event, credential_uuid = field.split(":", 1)
            by_event.setdefault(event, {})[credential_uuid] = times
        with transaction.atomic():
            for event, times_by_uuid in by_event.items():
                credentials = Credential.objects.filter(uuid__in=list(times_by_uuid))
                for credential in credentials.select_related("result"):
                    record_usage(
                        [credential], UsageEvent(event), times_by_uuid[str(credential.uuid)]
                    )
    return len(counts)


def _increment(offering_id: int, event: UsageEvent, day: date, times: int = 1) -> None:
    counts = CredentialUsage.objects.filter(offering_id=offering_id, event=event, day=day)
    if counts.update(count=F("count") + times):
        return
    try:
        with transaction.atomic():
            CredentialUsage.objects.create(
                offering_id=offering_id, event=event, day=day, count=times
            )
    except IntegrityError:  # another request created the day's row first
        counts.update(count=F("count") + times)
