"""Proof chains (`previousProof`): each chained proof is checked against the document carrying
the proofs it follows, a chain with a removed link fails, and each proof is its own check.

The chains here are made with the library's own primitives to pin the algorithm down; the
independent check is the W3C eddsa-rdfc-2022 verifier suite (ci/w3c_suites.py), whose vectors
are the Data Integrity specification's own chain examples.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from credential_format.contexts import CREDENTIALS_V2_URL
from credential_format.jsonld import canonicalize
from credential_format.keys import encode_base58btc_multibase
from credential_format.signing import Ed25519Signer, unsecured_document
from credential_format.verification import FetchError, Outcome, verify_credential

NOW = datetime(2025, 6, 1, tzinfo=UTC)
ISSUER = Ed25519Signer.from_seed(bytes([31]) * 32)
ENDORSER = Ed25519Signer.from_seed(bytes([32]) * 32)
ISSUER_DID = ISSUER.verification_method.split("#", 1)[0]


class NoFetching:
    def fetch_json(self, url: str) -> Any:
        raise FetchError(f"nothing is fetched in these tests ({url})")


def _credential() -> dict[str, Any]:
    return {
        "@context": [CREDENTIALS_V2_URL],
        "id": "urn:uuid:6f1c1e58-3f0b-4b39-9d59-2b3c0c0e9a11",
        "type": ["VerifiableCredential"],
        "issuer": ISSUER_DID,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Ada"},
    }


def _proof(document: dict[str, Any], signer: Ed25519Signer, **extra: Any) -> dict[str, Any]:
    """A Data Integrity eddsa-rdfc-2022 proof over `document` exactly as given (its `proof`
    property, when present, is the set of proofs this one follows)."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-15T10:00:00Z",
        "verificationMethod": signer.verification_method,
        "proofPurpose": "assertionMethod",
        **extra,
    }
    config_hash = hashlib.sha256(
        canonicalize({**options, "@context": document["@context"]}).encode()
    ).digest()
    document_hash = hashlib.sha256(canonicalize(document).encode()).digest()
    return {
        **options,
        "proofValue": encode_base58btc_multibase(signer.sign(config_hash + document_hash)),
    }


def _chain() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """A credential signed by its issuer, then endorsed by a proof chained to the first."""
    credential = _credential()
    first = _proof(credential, ISSUER, id="urn:uuid:first-proof")
    second = _proof({**credential, "proof": first}, ENDORSER, previousProof="urn:uuid:first-proof")
    return credential, first, second


def _verify(document: dict[str, Any]):
    return verify_credential(document, fetcher=NoFetching(), now=NOW)


def _outcomes(report) -> dict[str, Outcome]:
    return {check.id: check.outcome for check in report.checks if check.id.startswith("proof[")}


def test_a_chained_proof_verifies_and_each_proof_is_reported_separately():
    credential, first, second = _chain()
    report = _verify({**credential, "proof": [first, second]})
    assert report.verified, [check.reason for check in report.errors]
    assert _outcomes(report) == {"proof[0]": Outcome.PASSED, "proof[1]": Outcome.PASSED}
    assert report.check("proof[1]").details["previousProof"] == "urn:uuid:first-proof"


def test_previous_proof_may_be_a_list_and_the_order_of_the_set_does_not_matter():
    credential = _credential()
    first = _proof(credential, ISSUER, id="urn:uuid:first-proof")
    second = _proof(
        {**credential, "proof": [first]}, ENDORSER, previousProof=["urn:uuid:first-proof"]
    )
    assert _verify({**credential, "proof": [second, first]}).verified


def test_removing_the_proof_a_chain_follows_fails_the_chained_proof():
    credential, _first, second = _chain()
    report = _verify({**credential, "proof": [second]})
    assert _outcomes(report)["proof[0]"] == Outcome.FAILED
    assert report.check("proof[0]").code == "PROOF_VERIFICATION_ERROR"
    assert not report.verified


def test_a_chained_proof_moved_onto_a_different_first_proof_fails():
    credential, first, second = _chain()
    other_first = _proof(
        {**credential, "validFrom": "2025-01-02T00:00:00Z"}, ISSUER, id="urn:uuid:first-proof"
    )
    report = _verify(
        {**credential, "proof": [first | {"proofValue": other_first["proofValue"]}, second]}
    )
    assert _outcomes(report) == {"proof[0]": Outcome.FAILED, "proof[1]": Outcome.FAILED}


def test_a_proof_set_entry_claiming_to_follow_a_proof_it_did_not_sign_over_fails():
    """An endorsement signed over the bare credential cannot pass as a chained proof."""
    credential = _credential()
    first = _proof(credential, ISSUER, id="urn:uuid:first-proof")
    unchained = _proof(
        unsecured_document(credential), ENDORSER, previousProof="urn:uuid:first-proof"
    )
    report = _verify({**credential, "proof": [first, unchained]})
    assert _outcomes(report) == {"proof[0]": Outcome.PASSED, "proof[1]": Outcome.FAILED}
    assert not report.verified


def test_a_previous_proof_that_is_not_a_proof_id_fails():
    credential, first, _second = _chain()
    broken = _proof({**credential, "proof": first}, ENDORSER, previousProof=7)
    report = _verify({**credential, "proof": [first, broken]})
    assert _outcomes(report)["proof[1]"] == Outcome.FAILED
    assert report.check("proof[1]").code == "PROOF_VERIFICATION_ERROR"
