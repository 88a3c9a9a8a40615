"""Bitstring Status Lists: allocating random indices to credentials, revoking and suspending,
and keeping each list's signed status list credential current.

Every credential gets one random index in one numbered list pair (revocation and
suspension). A credential carries one status entry, its revocation entry: the Open Badges 3.0
schema allows one `credentialStatus` object (docs/decisions/one-status-entry-per-open-badge.md).
The suspension list of each pair is still published and flipped for the credentials issued
earlier, which carry a suspension entry too. Allocation happens inside the issuing transaction while the list row is locked;
a concurrent worker skips a locked list (`skip_locked`) and uses or opens another, so
workers never wait on each other and an index is never handed out twice (a unique
constraint on (list, index) backs this up).
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from alliances.models import Institution
from credential_format.signing import Signer, add_proof
from credential_format.status_list import (
    StatusBitstring,
    build_status_list_credential,
    status_entry,
)
from credential_format.verification.proofs import controller_of
from issuance import identity
from issuance.models import STATUS_LIST_SIZE, SigningKey, StatusList
from issuance.signing_keys import did_key_signer, signer_for_institution

# A list is closed for new credentials at this fill ratio: random picks stay cheap and the
# herd stays large.
FILL_LIMIT = 0.75
# Verifiers may cache a list this long (its `ttl`); over HTTP, CDNs keep it for at most
# STATUS_LIST_MAX_AGE, shorter, so that a revocation reaches verifiers behind one quickly.
STATUS_LIST_TTL_SECONDS = 300
PURPOSES = ("revocation", "suspension")
_random = secrets.SystemRandom()


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Status list changes must run inside the caller's transaction.")


def _timestamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _bits(status_list: StatusList, field: str) -> StatusBitstring:
    return StatusBitstring.from_bytes(bytes(getattr(status_list, field)))


def _list_signer(status_list: StatusList) -> Signer:
    """The institution's did:web key, or, for a list of credentials issued under a did:key,
    that did:key (the list must come from the credential's issuer)."""
    if status_list.did_key_signing_key is not None:
        return did_key_signer(status_list.did_key_signing_key)
    return signer_for_institution(status_list.institution)


def sign_list(status_list: StatusList, purpose: str) -> dict[str, Any]:
    """Build and sign the status list credential of one purpose from the row's bits."""
    institution = status_list.institution
    signer = _list_signer(status_list)
    unsigned = build_status_list_credential(
        list_credential_url=identity.status_list_url(institution, status_list.number, purpose),
        issuer=controller_of(signer.verification_method),
        purpose=purpose,
        bitstring=_bits(status_list, "revoked" if purpose == "revocation" else "suspended"),
        valid_from=_timestamp(),
        ttl_milliseconds=STATUS_LIST_TTL_SECONDS * 1000,
    )
    return add_proof(unsigned, signer)


def _open_new_list(institution: Institution, did_key_signing_key: SigningKey | None) -> StatusList:
    empty = bytes(STATUS_LIST_SIZE // 8)
    for _attempt in range(5):
        number = (
            StatusList.objects.filter(institution=institution).aggregate(top=Max("number"))["top"]
            or 0
        ) + 1
        try:
            with transaction.atomic():
                status_list = StatusList.objects.create(
                    institution=institution,
                    number=number,
                    allocated=empty,
                    revoked=empty,
                    suspended=empty,
                    did_key_signing_key=did_key_signing_key,
                )
        except IntegrityError:
            continue  # another worker opened this number at the same moment
        status_list.signed_revocation_list = sign_list(status_list, "revocation")
        status_list.signed_suspension_list = sign_list(status_list, "suspension")
        status_list.save(update_fields=["signed_revocation_list", "signed_suspension_list"])
        return StatusList.objects.select_for_update().get(pk=status_list.pk)
    raise RuntimeError(f"Could not open a new status list for {institution}")


def _lock_available_list(
    institution: Institution, did_key_signing_key: SigningKey | None
) -> StatusList:
    status_list = (
        StatusList.objects.select_for_update(skip_locked=True)
        .filter(institution=institution, is_full=False, did_key_signing_key=did_key_signing_key)
        .order_by("number")
        .first()
    )
    if status_list is None:
        return _open_new_list(institution, did_key_signing_key)
    status_list.institution = institution
    return status_list


def allocate_indices(
    institution: Institution, count: int, *, did_key_signing_key: SigningKey | None = None
) -> list[tuple[StatusList, int]]:
    """Random, distinct status list positions for `count` new credentials of `institution`
    (issued under its did:web, or under the did:key of `did_key_signing_key`).

    Must run inside the transaction that stores the credentials: the locked list rows are
    written here and released at commit, and a rollback returns the positions.
    """
    _require_transaction()
    allocations: list[tuple[StatusList, int]] = []
    while len(allocations) < count:
        status_list = _lock_available_list(institution, did_key_signing_key)
        allocated = _bits(status_list, "allocated")
        room = int(status_list.size * FILL_LIMIT) - status_list.allocated_count
        take = min(room, count - len(allocations))
        picked: set[int] = set()
        while len(picked) < take:
            index = _random.randrange(status_list.size)
            if index not in picked and not allocated.get(index):
                picked.add(index)
        for index in picked:
            allocated.set(index)
            allocations.append((status_list, index))
        status_list.allocated = allocated.to_bytes()
        status_list.allocated_count += len(picked)
        status_list.is_full = status_list.allocated_count >= int(status_list.size * FILL_LIMIT)
        status_list.updated_at = timezone.now()
        status_list.save(update_fields=["allocated", "allocated_count", "is_full", "updated_at"])
    return allocations


def credential_status_entry(status_list: StatusList, index: int) -> dict[str, Any]:
    """The one status entry of a new credential: its position in the revocation list."""
    return status_entry(
        list_credential_url=identity.status_list_url(
            status_list.institution, status_list.number, "revocation"
        ),
        index=index,
        purpose="revocation",
    )


def set_status(status_list_id: int, index: int, purpose: str, value: bool) -> None:
    """Flip one credential's bit and re-sign that list, in the caller's transaction."""
    _require_transaction()
    status_list = (
        # Only the list's row is locked: its did:key signer is an outer join.
        StatusList.objects.select_for_update(of=("self",))
        .select_related("institution", "did_key_signing_key")
        .get(pk=status_list_id)
    )
    field = "revoked" if purpose == "revocation" else "suspended"
    bits = _bits(status_list, field)
    bits.set(index, 1 if value else 0)
    setattr(status_list, field, bits.to_bytes())
    signed = sign_list(status_list, purpose)
    if purpose == "revocation":
        status_list.signed_revocation_list = signed
    else:
        status_list.signed_suspension_list = signed
    status_list.updated_at = timezone.now()
    status_list.save(update_fields=[field, f"signed_{purpose}_list", "updated_at"])
