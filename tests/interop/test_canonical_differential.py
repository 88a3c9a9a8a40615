"""The permanent differential suite: this library against Digital Bazaar's JavaScript stack on
generated Open Badges credentials and mutations of them (see tests/interop/differential.py).

A bounded run is part of the normal test run; ``make fuzz`` runs it longer.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from credential_format.builders import build_micro_credential
from credential_format.errors import CredentialFormatError
from credential_format.signing import Ed25519Signer, add_proof, unsecured_document, verify_proof
from tests.credential_format.strategies import claims, portable_text
from tests.interop.dbstack import node, requires_node_stack
from tests.interop.differential import (
    BIG_INTEGER,
    CODE_POINT_ORDER,
    CONTROL_CHARACTERS,
    DOUBLE_STRING,
    EMPTY_IRI_REFERENCE,
    FUZZ_SCALE,
    IRI_CHARACTERS,
    KNOWN_DIVERGENCES,
    LONE_SURROGATE,
    RELATIVE_BASE,
    TINY_FLOAT,
    Outcome,
    divergence,
    is_json,
    mutated,
    ours,
    theirs,
)

pytestmark = [pytest.mark.interop, requires_node_stack]

SEED = bytes([11]) * 32
NOW = "2025-06-01T00:00:00Z"
V2 = "https://www.w3.org/ns/credentials/v2"

# A bounded run: a few batches of documents, one Node process per batch.
BATCHES = 3 * max(FUZZ_SCALE, 1)
BATCH_SIZE = 24
FUZZ = settings(
    max_examples=BATCHES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

observed: Counter[str] = Counter()


def signer() -> Ed25519Signer:
    return Ed25519Signer.from_seed(SEED)


@st.composite
def credential_batches(draw: st.DrawFn) -> list[tuple[str, dict[str, Any]]]:
    base = build_micro_credential(draw(claims(portable_text)))
    batch = [("none", base)]
    batch += [draw(mutated(base)) for _ in range(BATCH_SIZE - 1)]
    return batch


@FUZZ
@given(credential_batches())
def test_canonical_n_quads_agree_with_digital_bazaar(batch):
    documents = [document for _kind, document in batch]
    for document, other in zip(documents, theirs(documents), strict=True):
        name = divergence(document, ours(document), other)
        if name is not None:
            observed[name] += 1


@FUZZ
@given(credential_batches())
def test_every_mutation_of_a_signed_credential_that_changes_its_meaning_is_refused_by_both(
    batch,
):
    original = add_proof(batch[0][1], signer(), created=NOW)
    original_form = ours(unsecured_document(original))
    assert not original_form.refused
    candidates = []
    for _kind, document in batch:
        mutated_signed = {**copy.deepcopy(document), "proof": copy.deepcopy(original["proof"])}
        if is_json(mutated_signed):
            candidates.append(mutated_signed)
    answers = node(
        {
            "action": "batch",
            "requests": [{"action": "verifyProof", "document": d} for d in candidates],
        }
    )
    for document, answer in zip(candidates, answers, strict=True):
        form = ours(unsecured_document(document))
        try:
            verify_proof(document, document["proof"], signer().public_key)
            ours_verified = True
        except CredentialFormatError:
            ours_verified = False
        # Our verdict follows the signed data exactly: valid iff the canonical form is unchanged.
        assert ours_verified == (form.nquads == original_form.nquads), document
        if ours_verified != answer["verified"]:
            name = divergence(document, form, Outcome(nquads=original_form.nquads))
            assert name is not None, (document, answer)
            observed[name] += 1
        if form.nquads != original_form.nquads and answer["verified"]:
            # They accept a change: only where their canonical form differs from ours.
            their_form = theirs([unsecured_document(document)])[0]
            assert divergence(unsecured_document(document), form, their_form) is not None


# -- each named divergence, shown on its own ---------------------------------------------------


def credential(**subject: Any) -> dict[str, Any]:
    return {
        "@context": [V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", **subject},
    }


NAMED = [
    (CODE_POINT_ORDER, credential(name=["a\U0001f600", "a\ufffd"])),
    (TINY_FLOAT, credential(name=1e-7)),
    (BIG_INTEGER, credential(name=2**53 + 1)),
    (IRI_CHARACTERS, credential(**{"https://example.org/a<b>": "x"})),
    (CONTROL_CHARACTERS, credential(name="a\x0bb")),
    (LONE_SURROGATE, credential(name="a\ud800")),
    (
        DOUBLE_STRING,
        credential(name={"@value": "1.5abc", "@type": "http://www.w3.org/2001/XMLSchema#double"}),
    ),
    (RELATIVE_BASE, {**credential(), "@context": [V2, {"@base": "relative/"}]}),
    (EMPTY_IRI_REFERENCE, {**credential(), "credentialSubject": ""}),
]


def test_every_named_divergence_is_real_and_explained():
    assert {name for name, _ in NAMED} == set(KNOWN_DIVERGENCES)
    documents = [document for _, document in NAMED]
    for (name, document), other in zip(NAMED, theirs(documents), strict=True):
        assert not other.refused, (name, other)
        assert divergence(document, ours(document), other) == name


AGREED = [
    # Safe mode: both refuse.
    credential(**{"_:x": "hidden"}),
    credential(**{"@foo": "hidden"}),
    credential(name={"@value": "Ada", "@language": 'en" .'}),
    credential(name={"@language": "en"}),
    credential(name={"@value": None}),
    {**credential(), "id": "@foo"},
    {**credential(), "id": "relative"},
    # Blank-node clique: both refuse past the same work budget.
    {
        **credential(),
        "credentialSubject": [
            {"id": f"_:n{i}", "https://schema.org/knows": [{"id": f"_:n{j}"} for j in range(8)]}
            for i in range(8)
        ],
    },
    # Both accept, byte for byte.
    credential(name={"@value": "Ada", "@language": "ar", "@direction": "rtl"}),
    credential(name={"@value": "Ada", "@direction": "ltr"}),
    credential(name={"@value": "Ada", "@language": "EN-GB"}),
    credential(name={"@value": "1.5", "@type": "http://www.w3.org/2001/XMLSchema#double"}),
    credential(name=[1e21, 1e22, 0.1, 2.5e-6, 2**53, -0.0, 5.0]),
    {**credential(), "id": "credentials/42", "@context": [V2, {"@base": "https://ex.eu/"}]},
    {**credential(), "credentialSubject": {"@id": "did:example:learner", "name": "Ada"}},
    credential(**{"@nest": {"name": "Ada"}}),
    credential(name="a\u2028b\u0085c"),
    {**credential(), "credentialSubject": {"id": "https://ex.eu/a%20b?q=1#f", "name": "é"}},
]


@pytest.mark.parametrize("index", range(len(AGREED)))
def test_interop_differences_from_the_issue_now_agree(index):
    document = AGREED[index]
    mine, other = ours(document), theirs([document])[0]
    assert mine.nquads == other.nquads, (mine, other)


def test_direction_is_signed_and_verifies_in_both_and_flipping_it_fails_in_both():
    document = credential(name={"@value": "مرحبا", "@language": "ar", "@direction": "rtl"})
    signed = add_proof(document, signer(), created=NOW)
    flipped = copy.deepcopy(signed)
    flipped["credentialSubject"]["name"]["@direction"] = "ltr"
    removed = copy.deepcopy(signed)
    del removed["credentialSubject"]["name"]["@direction"]
    theirs_sign = node(
        {"action": "sign", "credential": document, "seedHex": SEED.hex(), "created": NOW}
    )["credential"]
    assert theirs_sign["proof"]["proofValue"] == signed["proof"]["proofValue"]
    answers = node(
        {
            "action": "batch",
            "requests": [
                {"action": "verifyProof", "document": d} for d in (signed, flipped, removed)
            ],
        }
    )
    assert [answer["verified"] for answer in answers] == [True, False, False]
    for document_, expected in ((signed, True), (flipped, False), (removed, False)):
        try:
            verify_proof(document_, document_["proof"], signer().public_key)
            verified = True
        except CredentialFormatError:
            verified = False
        assert verified is expected
