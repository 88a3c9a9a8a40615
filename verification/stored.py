"""Verification of credentials issued here, from the portal's own database, without
re-canonicalising a credential on every view.

A stored credential's report changes only when something it depends on changes: the signed
document, its revocation or suspension (its status list is re-signed and its `updated_at`
moves), the issuer's keys and registration (the issuers' content epoch), and time (its
validity period). The report is cached under a fingerprint of all of those, so a change is
seen at once and an unchanged credential is verified once per cache period.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation

from issuance.models import Credential, CredentialState
from portal import epochs
from verification.verify import CredentialVerification, verify_credential_document


def stored_credential_versions(
    *,
    document_json: str,
    state: str,
    revoked_at: datetime | None,
    suspended_at: datetime | None,
    status_list_updated_at: datetime | None,
) -> tuple[str, ...]:
    """What a stored credential's verification depends on, besides the issuers' epoch."""
    return (
        hashlib.sha256(document_json.encode()).hexdigest(),
        state,
        str(revoked_at),
        str(suspended_at),
        str(status_list_updated_at),
    )


HOLDER_CACHE_SECONDS = 24 * 3600


def holder_of_issued_credential(uuid: str) -> int | None:
    """Whose is the issued credential with this identifier (None: no such credential). A
    credential never changes hands, so the answer is kept in the cache."""
    key = f"credential-holder:{uuid}"
    learner_id: int | None = cache.get(key)
    if learner_id is None:
        learner_id = (
            Credential.objects.filter(uuid=uuid, state=CredentialState.ISSUED)
            .values_list("learner_id", flat=True)
            .first()
        )
        if learner_id is not None:
            cache.set(key, learner_id, HOLDER_CACHE_SECONDS)
    return learner_id


def verify_issued_credential(credential: Credential) -> CredentialVerification:
    """The verification report of a credential issued here (`status_list` selected with it
    saves a query)."""
    status_list = credential.status_list
    versions = stored_credential_versions(
        document_json=credential.document_json,
        state=credential.state,
        revoked_at=credential.revoked_at,
        suspended_at=credential.suspended_at,
        status_list_updated_at=status_list.updated_at if status_list is not None else None,
    )
    issuers = epochs.read([epochs.ISSUERS])[epochs.ISSUERS]
    key = (
        "stored-verification:"
        + hashlib.sha256(
            repr((str(credential.uuid), versions, issuers, translation.get_language())).encode()
        ).hexdigest()
    )
    verification: CredentialVerification | None = cache.get(key)
    if verification is None:
        verification = verify_credential_document(credential.document or {})
        seconds = settings.STORED_VERIFICATION_CACHE_SECONDS
        if credential.valid_until is not None:  # the verdict changes when it expires
            seconds = min(seconds, int((credential.valid_until - timezone.now()).total_seconds()))
        if seconds > 0:
            cache.set(key, verification, seconds)
    return verification
