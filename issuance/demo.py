"""Demo signing keys and seals: every demo institution gets its did:web key at seed time
(generated then, wrapped under the KEK of this installation, never committed), and every
institution with staff gets a demo electronic seal (issued by a certification authority made
for it) so the European Digital Credential export works in the demo (the seal page says it is
not a qualified seal)."""

from __future__ import annotations

from typing import Any

from alliances.models import Institution
from issuance.seals import active_seal, create_demo_seal
from issuance.signing_keys import active_signing_key


def seed(*, stdout: Any) -> list[tuple[str, str, str]]:
    for institution in Institution.objects.order_by("pk"):
        active_signing_key(institution)
    stdout.write(f"Signing keys: one per institution ({Institution.objects.count()})")
    staffed = Institution.objects.filter(staff_roles__isnull=False).distinct().order_by("pk")
    created = 0
    for institution in staffed:
        if active_seal(institution) is None:
            create_demo_seal(actor=None, institution=institution)
            created += 1
    stdout.write(f"Demo seals: {created} new ({staffed.count()} staffed institutions)")
    return []
