"""Credentials of another provider (a did:key issuer outside the registry), for tests."""

from __future__ import annotations

from typing import Any

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.status_list import StatusBitstring, build_status_list_credential
from tests.credential_format.sample_claims import STATUS_LIST_URL, micro_credential_claims

FOREIGN_SEED = bytes([21]) * 32


def foreign_signer(seed: bytes = FOREIGN_SEED) -> Ed25519Signer:
    return Ed25519Signer.from_seed(seed)


def foreign_credential(
    signer: Ed25519Signer | None = None, *, with_status: bool = False, **overrides: Any
) -> dict[str, Any]:
    signer = signer or foreign_signer()
    issuer = AwardingBody(signer.verification_method.split("#")[0], "Hogeschool Elders", "NL")
    claims = micro_credential_claims(
        issuer=issuer,
        status_index=1234 if with_status else None,
        learner_did=None,
        **overrides,
    )
    return add_proof(build_micro_credential(claims), signer)


def foreign_status_list(
    signer: Ed25519Signer | None = None, *, revoked: tuple[int, ...] = ()
) -> dict[str, Any]:
    signer = signer or foreign_signer()
    bits = StatusBitstring()
    for index in revoked:
        bits.set(index)
    unsigned = build_status_list_credential(
        list_credential_url=STATUS_LIST_URL,
        issuer=signer.verification_method.split("#")[0],
        purpose="revocation",
        bitstring=bits,
        valid_from="2025-01-01T00:00:00Z",
    )
    return add_proof(unsigned, signer)


__all__ = ["STATUS_LIST_URL", "foreign_credential", "foreign_signer", "foreign_status_list"]
