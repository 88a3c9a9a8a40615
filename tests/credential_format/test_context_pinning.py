"""A deployment publishes the micro-credential context at its own URL; credentials pin it by the
digest of its bytes, so any deployment's verifier reads it offline with the same meaning."""

from __future__ import annotations

import dataclasses

from credential_format.builders import MICROCREDENTIAL_CONTEXT_DIGEST, build_micro_credential
from credential_format.contexts import (
    MICROCREDENTIAL_V1_URL,
    MICROCREDENTIAL_V2_URL,
    authored_context_bytes,
    digest_multibase,
    document_loader,
    pinned_context_aliases,
)
from credential_format.verification import verify_credential

from .sample_claims import micro_credential_claims
from .test_verification import COORDINATOR_SIGNER, NOW, _world, add_proof

MOVED = "https://credentials.other-alliance.example/contexts/microcredential/v2"
MOVED_V1 = "https://credentials.other-alliance.example/contexts/microcredential/v1"
# The other deployment's signer serves its own URLs (as the portal does at start-up).
ISSUING_LOADER = document_loader.with_extra_contexts(
    {
        MOVED: document_loader(MICROCREDENTIAL_V2_URL)["document"],
        MOVED_V1: document_loader(MICROCREDENTIAL_V1_URL)["document"],
    }
)


def _issued_at(url: str) -> dict:
    claims = dataclasses.replace(micro_credential_claims(), vocabulary_context_url=url)
    return build_micro_credential(claims)


def test_credentials_pin_the_context_by_the_digest_of_the_served_bytes():
    credential = _issued_at(MOVED)
    assert credential["@context"][-1] == MOVED
    assert {"id": MOVED, "digestMultibase": MICROCREDENTIAL_CONTEXT_DIGEST} in credential[
        "relatedResource"
    ]
    assert digest_multibase(authored_context_bytes()) == MICROCREDENTIAL_CONTEXT_DIGEST
    assert pinned_context_aliases(credential) == {MOVED: MICROCREDENTIAL_V2_URL}


def test_a_credential_issued_with_the_first_context_version_still_verifies_offline():
    credential = _issued_at(MOVED_V1)
    credential["relatedResource"] = [
        {
            "id": MOVED_V1,
            "digestMultibase": digest_multibase(authored_context_bytes(MICROCREDENTIAL_V1_URL)),
        }
    ]
    assert pinned_context_aliases(credential) == {MOVED_V1: MICROCREDENTIAL_V1_URL}
    signed = add_proof(credential, COORDINATOR_SIGNER, loader=ISSUING_LOADER)
    report = verify_credential(signed, fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()


def test_a_credential_of_another_deployment_verifies_offline():
    signed = add_proof(_issued_at(MOVED), COORDINATOR_SIGNER, loader=ISSUING_LOADER)
    report = verify_credential(signed, fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()


def test_a_wrong_digest_does_not_make_an_unknown_context_known():
    credential = _issued_at(MOVED)
    credential["relatedResource"] = [{"id": MOVED, "digestMultibase": "uEiAAAA"}]
    signed = add_proof(credential, COORDINATOR_SIGNER, loader=ISSUING_LOADER)
    report = verify_credential(signed, fetcher=_world(), now=NOW)
    assert not report.verified
    assert report.check("contexts").code == "UNKNOWN_CONTEXT"


def test_a_pin_for_a_url_the_credential_does_not_use_as_context_aliases_nothing():
    credential = _issued_at(MICROCREDENTIAL_V2_URL)
    credential["relatedResource"].append(
        {"id": MOVED, "digestMultibase": MICROCREDENTIAL_CONTEXT_DIGEST}
    )
    assert MOVED not in pinned_context_aliases(credential)
