"""A credential naming its badge image (Open Badges 3.0 `achievement.image`) verifies in Digital
Bazaar's JavaScript stack as in ours: the Image object expands under the published contexts
without dropping a term."""

from __future__ import annotations

import dataclasses

import pytest

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.signing import Ed25519Signer, add_proof
from tests.credential_format.sample_claims import micro_credential_claims
from tests.interop.dbstack import node, requires_node_stack

pytestmark = [pytest.mark.interop, requires_node_stack]

NOW = "2025-06-01T00:00:00Z"
SEED = bytes([11]) * 32


def test_a_credential_with_its_badge_image_verifies_in_both_stacks():
    signer = Ed25519Signer.from_seed(SEED)
    issuer = AwardingBody(signer.verification_method.split("#")[0], "Universitat A", "ES")
    claims = dataclasses.replace(
        micro_credential_claims(issuer=issuer, status_index=None),
        image_url="https://portal.example.eu/badges/programme-versions/7",
    )
    credential = build_micro_credential(claims)
    assert credential["credentialSubject"]["achievement"]["image"]["type"] == "Image"
    signed = add_proof(credential, signer, created=NOW)
    result = node({"action": "verify", "credential": signed, "now": NOW})
    assert result["verified"], result
    tampered = dict(signed)
    tampered["credentialSubject"] = {
        **signed["credentialSubject"],
        "achievement": {
            **signed["credentialSubject"]["achievement"],
            "image": {"id": "https://evil.example/badge.png", "type": "Image"},
        },
    }
    assert not node({"action": "verify", "credential": tampered, "now": NOW})["verified"]
