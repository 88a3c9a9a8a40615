"""The registry of trusted issuers: importing entries from a registry file."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction

from portal.audit import record_event
from recognition.issuers import registry_entry
from recognition.models import (
    IssuerTrust,
    TrustedIssuer,
)
from recognition.services.common import SYSTEM_ACTOR


@transaction.atomic
def import_trusted_issuers(*, entries: Sequence[dict[str, Any]], source: str) -> tuple[int, int]:
    """Register (or update) external issuers from a registry list (operators, through
    `manage.py import_issuer_registry`). An entry whose DID names one of the portal's own
    institutions is skipped: those are registered by being institutions."""
    created = updated = 0
    for entry in entries:
        if registry_entry(entry["did"]).trust == IssuerTrust.MEMBER:
            continue
        _issuer, was_created = TrustedIssuer.objects.update_or_create(
            did=entry["did"],
            defaults={
                "name": entry["name"],
                "country": entry.get("country", ""),
                "legal_identifiers": entry.get("legal_identifiers", []),
                "public_keys": entry.get("public_keys", []),
                "source": source[:200],
                "is_active": True,
            },
        )
        created += was_created
        updated += not was_created
    record_event(
        actor=SYSTEM_ACTOR,
        action="recognition.trusted_issuers_imported",
        data={"source": source[:200], "created": created, "updated": updated},
    )
    return created, updated
