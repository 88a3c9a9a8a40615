import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credential_format.builders import build_micro_credential
from credential_format.errors import ProofGenerationError, ProofVerificationError
from credential_format.keys import private_key_from_seed
from credential_format.signing import (
    Ed25519Signer,
    Signer,
    add_proof,
    proofs_of,
    sign_credentials,
    verify_proof,
)

from .sample_claims import micro_credential_claims
from .strategies import characters, claims

SEED_A = bytes(range(32))
SEED_B = bytes(range(1, 33))
PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def signer_a() -> Ed25519Signer:
    return Ed25519Signer.from_seed(SEED_A)


def test_in_memory_signer_satisfies_the_protocol():
    assert isinstance(signer_a(), Signer)
    assert signer_a().verification_method.startswith("did:key:z6Mk")


def test_signing_is_deterministic_for_a_given_created_time():
    document = build_micro_credential(micro_credential_claims(credential_id="urn:uuid:1"))
    first = add_proof(document, signer_a(), created="2025-03-01T09:00:00Z")
    second = add_proof(document, signer_a(), created="2025-03-01T09:00:00Z")
    assert first == second
    assert "proof" not in document


def test_proof_has_the_data_integrity_shape():
    signed = add_proof(build_micro_credential(micro_credential_claims()), signer_a())
    proof = signed["proof"]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["proofValue"].startswith("z")
    assert proof["created"].endswith("Z")


def test_proof_set_from_two_institutions_each_verifies_on_its_own():
    document = build_micro_credential(micro_credential_claims())
    signer_b = Ed25519Signer.from_seed(SEED_B, "did:web:uni-b.example.eu#key-1")
    once = add_proof(document, signer_a())
    twice = add_proof(once, signer_b)
    proofs = proofs_of(twice)
    assert len(proofs) == 2
    assert proofs[0] == once["proof"]
    verify_proof(twice, proofs[0], private_key_from_seed(SEED_A).public_key())
    verify_proof(twice, proofs[1], private_key_from_seed(SEED_B).public_key())
    # Proof sets are order-independent: B first, then A, gives the same two proofs.
    reversed_order = add_proof(
        add_proof(document, signer_b, created=proofs[1]["created"]),
        signer_a(),
        created=proofs[0]["created"],
    )
    assert {p["proofValue"] for p in proofs_of(reversed_order)} == {p["proofValue"] for p in proofs}


def test_wrong_key_fails():
    signed = add_proof(build_micro_credential(micro_credential_claims()), signer_a())
    with pytest.raises(ProofVerificationError, match="signature does not match"):
        verify_proof(signed, signed["proof"], private_key_from_seed(SEED_B).public_key())


def test_a_term_added_after_signing_is_refused():
    signed = add_proof(build_micro_credential(micro_credential_claims()), signer_a())
    signed["credentialSubject"]["bonusCredits"] = 10
    with pytest.raises(ProofVerificationError, match="bonusCredits"):
        verify_proof(signed, signed["proof"], private_key_from_seed(SEED_A).public_key())


def test_unsupported_cryptosuite_and_purpose_are_refused():
    signed = add_proof(build_micro_credential(micro_credential_claims()), signer_a())
    public_key = private_key_from_seed(SEED_A).public_key()
    other_suite = copy.deepcopy(signed)
    other_suite["proof"]["cryptosuite"] = "ecdsa-rdfc-2019"
    with pytest.raises(ProofVerificationError, match="cryptosuite"):
        verify_proof(other_suite, other_suite["proof"], public_key)
    with pytest.raises(ProofVerificationError, match="purpose"):
        verify_proof(signed, signed["proof"], public_key, expected_proof_purpose="authentication")


def test_signing_refuses_undefined_terms():
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["unsignedExtra"] = "x"
    with pytest.raises(ProofGenerationError, match="unsignedExtra"):
        add_proof(document, signer_a())


def test_batch_signing_matches_one_by_one():
    documents = [build_micro_credential(micro_credential_claims()) for _ in range(5)]
    created = "2025-03-01T09:00:00Z"
    batch = sign_credentials(documents, signer_a(), created=created)
    assert batch == [add_proof(d, signer_a(), created=created) for d in documents]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(claims())
def test_sign_then_verify_holds_for_generated_content(generated):
    signed = add_proof(build_micro_credential(generated), signer_a())
    verify_proof(signed, signed["proof"], private_key_from_seed(SEED_A).public_key())


def _leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in ("@context", "proof"):
                yield from _leaf_paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaf_paths(item, (*path, index))
    else:
        yield path


def _set(document, path, value):
    target = document
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@PROPERTY_SETTINGS
@given(claims(), st.data())
def test_any_single_change_to_a_signed_credential_fails(generated, data):
    signed = add_proof(build_micro_credential(generated), signer_a())
    paths = list(_leaf_paths(signed))
    path = data.draw(st.sampled_from(paths))
    original = signed
    for step in path:
        original = original[step]
    tampered = copy.deepcopy(signed)
    if isinstance(original, bool):
        replacement = not original
    elif isinstance(original, int | float):
        replacement = original + 1
    elif path[-1] in ("type", "id") or str(original).startswith(("urn:", "did:", "http")):
        replacement = data.draw(
            st.sampled_from(
                ["urn:uuid:00000000-0000-0000-0000-000000000000", "https://evil.example/x"]
            )
        )
    else:
        replacement = original + data.draw(st.text(alphabet=characters, min_size=1, max_size=3))
    if replacement == original:
        return
    _set(tampered, path, replacement)
    with pytest.raises(ProofVerificationError):
        verify_proof(tampered, tampered["proof"], private_key_from_seed(SEED_A).public_key())
