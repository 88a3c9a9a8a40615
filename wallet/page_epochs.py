"""Learners' wallet pages are cached per person (portal.page_cache) under their holder epoch;
writes that bypass model signals move it here."""

from __future__ import annotations

from typing import Any

from issuance.models import Credential
from portal import epochs


def credentials_issued(credential_ids: list[int], **_signal: Any) -> None:
    """Receiver of `issuance.signals.credentials_issued` (issued in bulk, without saves)."""
    epochs.bump_holders(
        Credential.objects.filter(pk__in=credential_ids)
        .values_list("learner_id", flat=True)
        .distinct()
    )
