"""A credential revoked by its issuer after a recognition was built on it: the decisions stay
as they were taken (never edited), flagged, and the institutions that relied on them are told.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from recognition.models import Decision
from recognition.services.cases import notify_institution_staff
from recognition.services.common import SYSTEM_ACTOR, _audit


def flag_decisions_built_on(credential: Any, reason: str = "", **_signal: Any) -> list[int]:
    """Receiver of `issuance.signals.credential_revoked` (inside the revoking transaction):
    every recognising decision that still stands on a submitted copy of the revoked credential
    is flagged, and the receiving institution's officers and admins are e-mailed."""
    same_credential = Q(request__credentials__credential_id=credential.credential_id)
    if credential.digest_multibase:
        same_credential |= Q(request__credentials__digest_multibase=credential.digest_multibase)
    decisions = (
        Decision.objects.filter(
            same_credential,
            outcome__in=["full", "partial"],
            superseded_by__isnull=True,
            basis_revoked_at__isnull=True,
        )
        .select_related("request", "request__institution")
        .distinct()
    )
    now = timezone.now()
    flagged = []
    for decision in decisions:
        decision.basis_revoked_at = now
        decision.basis_revocation_reason = reason[:2000]
        decision.save(update_fields=["basis_revoked_at", "basis_revocation_reason"])
        case = decision.request
        _audit(
            SYSTEM_ACTOR,
            "recognition.basis_revoked",
            case,
            decision=decision.pk,
            credential=credential.credential_id,
            reason=reason[:500],
        )
        notify_institution_staff(case, "basis_revoked", decision=decision, reason=reason)
        flagged.append(decision.pk)
    return flagged
