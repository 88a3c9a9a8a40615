"""Demo signing keys: every demo institution gets its did:web key at seed time (generated
then, wrapped under the KEK of this installation, never committed)."""

from __future__ import annotations

from typing import Any

from alliances.models import Institution
from issuance.signing_keys import active_signing_key


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    for institution in Institution.objects.order_by("pk"):
        active_signing_key(institution)
    stdout.write(f"Signing keys: one per institution ({Institution.objects.count()})")
    return []
