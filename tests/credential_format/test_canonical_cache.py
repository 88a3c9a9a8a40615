"""The shape-cached canonical form is byte-identical to the full pyld path."""

import copy
import dataclasses
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from credential_format.builders import LearningOutcome, Skill, build_micro_credential
from credential_format.canonical_cache import ShapeCache
from credential_format.contexts import document_loader
from credential_format.errors import (
    CanonicalizationLimitError,
    JsonLdProcessingError,
    RelativeReferenceError,
    UndefinedTermError,
    UnknownContextError,
)
from credential_format.jsonld import canonicalize
from credential_format.rdf import canonicalize_with_pyld

from .sample_claims import COORDINATOR, PARTNER, micro_credential_claims
from .strategies import characters, claims

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def plain_pyld(document):
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )


@PROPERTY_SETTINGS
@given(claims())
def test_fast_canonical_form_equals_plain_pyld_for_generated_credentials(generated):
    document = build_micro_credential(generated)
    expected = plain_pyld(document)
    assert canonicalize(document) == expected
    # Later documents of the same shape come from the compiled template.
    assert canonicalize(copy.deepcopy(document)) == expected
    assert canonicalize(copy.deepcopy(document)) == expected


@PROPERTY_SETTINGS
@given(claims(), st.data())
def test_substituted_literals_match_plain_pyld(generated, data):
    """Same shape, different literals: the cached template must not leak the first values."""
    cache = ShapeCache()
    first = build_micro_credential(generated)
    cache.canonicalize(first)
    cache.canonicalize(first)
    second = copy.deepcopy(first)
    second["name"] = data.draw(st.text(alphabet=characters, min_size=1))
    second["credentialSubject"]["achievement"]["description"] = data.draw(
        st.text(alphabet=characters, min_size=1)
    )
    second["id"] = data.draw(st.uuids().map(lambda u: f"urn:uuid:{u}"))
    assert cache.canonicalize(second) == plain_pyld(second)


def test_same_shape_hits_the_cache_and_different_values_give_different_output():
    cache = ShapeCache()
    first = build_micro_credential(micro_credential_claims(learner_name="Ana"))
    second = build_micro_credential(micro_credential_claims(learner_name="Bea"))
    third = build_micro_credential(micro_credential_claims(learner_name="Cyd"))
    first_canonical = cache.canonicalize(first)
    second_canonical = cache.canonicalize(second)
    third_canonical = cache.canonicalize(third)
    assert (cache.misses, cache.hits) == (2, 1)
    assert first_canonical != second_canonical != third_canonical
    assert second_canonical == plain_pyld(second)
    assert third_canonical == plain_pyld(third)


def _warm(cache, claims, times=2):
    for _ in range(times):
        cache.canonicalize(build_micro_credential(claims))


def test_equal_values_collapse_like_rdf_sets_on_the_template_path():
    partner_with_url = dataclasses.replace(PARTNER, url="https://uni-krakow.example.eu")
    base = micro_credential_claims()
    cache = ShapeCache()
    _warm(cache, dataclasses.replace(base, awarding_bodies=(COORDINATOR, partner_with_url)))
    same_body_twice = build_micro_credential(
        dataclasses.replace(base, awarding_bodies=(COORDINATOR, COORDINATOR))
    )
    assert cache.canonicalize(same_body_twice) == plain_pyld(same_body_twice)
    assert cache.hits == 1


def test_equal_values_inside_unnamed_nodes_on_the_template_path():
    skill_a = Skill("http://data.europa.eu/esco/skill/a", "A")
    skill_b = Skill("http://data.europa.eu/esco/skill/b", "B")
    base = micro_credential_claims()
    cache = ShapeCache()
    _warm(cache, dataclasses.replace(
        base, learning_outcomes=(LearningOutcome("one", (skill_a, skill_b)),
                                 LearningOutcome("two", (skill_b,)))
    ))  # fmt: skip
    collapsed = build_micro_credential(dataclasses.replace(
        base, learning_outcomes=(LearningOutcome("one", (skill_a, skill_a)),
                                 LearningOutcome("two", (skill_b,)))
    ))  # fmt: skip
    assert cache.canonicalize(collapsed) == plain_pyld(collapsed)
    lookalike = build_micro_credential(dataclasses.replace(
        base, learning_outcomes=(LearningOutcome("same", (skill_b, skill_a)),
                                 LearningOutcome("same", (skill_b,)))
    ))  # fmt: skip
    assert cache.canonicalize(lookalike) == plain_pyld(lookalike)
    assert cache.hits == 2


def test_blank_node_ids_and_non_iri_ids_take_the_full_path():
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["achievement"]["criteria"]["id"] = "_:criteria"
    assert canonicalize(document) == plain_pyld(document)


def test_embedded_contexts_take_the_full_path():
    document = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            {"nickname": "https://example.eu/vocab#nickname"},
        ],
        "type": ["VerifiableCredential"],
        "issuer": "did:web:example.eu",
        "credentialSubject": {"nickname": "Zo"},
    }
    assert canonicalize(document) == plain_pyld(document)


def test_integral_floats_are_read_as_json_numbers():
    with_float = build_micro_credential(micro_credential_claims())
    with_float["credentialSubject"]["creditsEarned"] = 5.0
    with_int = copy.deepcopy(with_float)
    with_int["credentialSubject"]["creditsEarned"] = 5
    assert canonicalize(with_float) == canonicalize(with_int) == plain_pyld(with_int)


@pytest.mark.parametrize("canonicalizer", [canonicalize, canonicalize_with_pyld])
def test_undefined_terms_are_refused(canonicalizer):
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(UndefinedTermError, match="favouriteColour"):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", [canonicalize, canonicalize_with_pyld])
def test_undefined_types_and_relative_ids_are_refused(canonicalizer):
    document = build_micro_credential(micro_credential_claims())
    document["type"].append("SpecialCredential")
    with pytest.raises(RelativeReferenceError):
        canonicalizer(document)
    document = build_micro_credential(micro_credential_claims())
    document["id"] = "credentials/42"
    with pytest.raises(RelativeReferenceError):
        canonicalizer(document)


def test_undefined_term_is_refused_even_after_the_shape_was_cached():
    cache = ShapeCache()
    for _ in range(2):
        cache.canonicalize(build_micro_credential(micro_credential_claims()))
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["achievement"]["secretNote"] = "x"
    with pytest.raises(UndefinedTermError):
        cache.canonicalize(document)


def test_many_unlinked_lookalike_blank_nodes_are_within_the_work_budget():
    # Each needs one N-degree hash: cheap, and accepted as rdf-canonize accepts them.
    results = [{"type": ["Result"], "value": "A"} for _ in range(40)]
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["result"] = results
    started = time.process_time()
    assert canonicalize(document) == plain_pyld(document)
    assert time.process_time() - started < 2


def test_too_many_blank_nodes_are_refused():
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["result"] = [
        {"type": ["Result"], "value": str(i)} for i in range(1100)
    ]
    with pytest.raises(CanonicalizationLimitError):
        canonicalize(document)


def test_a_few_lookalike_blank_nodes_use_the_full_algorithm():
    document = build_micro_credential(micro_credential_claims())
    document["credentialSubject"]["result"] = [{"type": ["Result"], "value": "A"}] * 3
    assert canonicalize(document) == plain_pyld(document)


def test_the_cache_is_bounded():
    cache = ShapeCache(size=3)
    for index in range(6):
        document = build_micro_credential(micro_credential_claims())
        document["credentialSubject"]["achievement"]["tag"] = ["x"] * (index + 1)
        cache.canonicalize(document)
        cache.canonicalize(document)
    assert len(cache._templates) == 3


def test_a_context_string_never_reuses_the_template_of_a_context_list():
    cache = ShapeCache()
    listed = build_micro_credential(micro_credential_claims())
    cache.canonicalize(listed)
    cache.canonicalize(listed)
    disguised = copy.deepcopy(listed)
    disguised["@context"] = repr(listed["@context"])
    with pytest.raises(UnknownContextError):
        cache.canonicalize(disguised)


def test_structural_strings_and_masked_strings_do_not_share_a_shape():
    cache = ShapeCache()
    document = build_micro_credential(micro_credential_claims())
    cache.canonicalize(document)
    cache.canonicalize(document)
    retyped = copy.deepcopy(document)
    retyped["credentialSubject"]["achievement"]["type"] = ["Achievement", "Achievement"]
    assert cache.canonicalize(retyped) == plain_pyld(retyped)
    assert cache.canonicalize(retyped) == plain_pyld(retyped)
    assert len(cache._templates) == 2


def test_vocabulary_valued_leaves_are_pinned_into_the_key():
    """proofPurpose expands through @vocab, so its value must select the template."""
    cache = ShapeCache()
    proof_config = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#x",
        "proofPurpose": "assertionMethod",
    }
    for purpose in ["assertionMethod", "assertionMethod", "authentication", "authentication"]:
        for created in ["2025-01-01T00:00:00Z", "2026-02-02T00:00:00Z"]:
            config = {**proof_config, "proofPurpose": purpose, "created": created}
            assert cache.canonicalize(config) == plain_pyld(config)
    assert cache.hits >= 4


def test_constants_with_braces_quotes_and_backslashes_survive_template_compilation():
    document = build_micro_credential(micro_credential_claims())
    # Braces, quotes and backslashes cannot be in an IRI (refused, see test_canonical_safety), but
    # an apostrophe and percent-escapes can, and literals may hold anything.
    document["type"].append("https://example.eu/vocab#odd'%7Btype%7D")
    for learner in ["{0}", "}{", "\\n", '"quoted"']:
        document["credentialSubject"]["identifier"][0]["identityHash"] = learner
        assert canonicalize(copy.deepcopy(document)) == plain_pyld(document)


@pytest.mark.parametrize("character", ["\b", "\f", "\x00", "\x1b", "\x7f"])
@pytest.mark.parametrize("canonicalizer", [canonicalize, canonicalize_with_pyld])
def test_control_characters_that_do_not_canonicalise_portably_are_refused(canonicalizer, character):
    document = build_micro_credential(micro_credential_claims())
    document["name"] = f"Data{character}Literacy"
    for _ in range(3):
        with pytest.raises(JsonLdProcessingError) as raised:
            canonicalizer(copy.deepcopy(document))
        assert raised.value.code == "UNSUPPORTED_CHARACTER"


def test_documents_using_keywords_directly_match_plain_pyld():
    document = build_micro_credential(micro_credential_claims())
    achievement = document["credentialSubject"]["achievement"]
    achievement["@id"] = achievement.pop("id")
    achievement["@type"] = achievement.pop("type")
    achievement["description"] = {"@value": "Six weeks of open data.", "@language": "en"}
    cache = ShapeCache()
    for name in ["Ana", "Bea", "Cyd"]:
        document["name"] = name
        assert cache.canonicalize(copy.deepcopy(document)) == plain_pyld(document)
    assert cache.hits == 1


def test_type_scoped_contexts_are_processed_once_and_reused():
    from credential_format.rdf import scoped_context_memo

    document = build_micro_credential(micro_credential_claims())
    expected = plain_pyld(document)
    assert canonicalize_with_pyld(document) == expected
    entries = len(scoped_context_memo._entries)
    assert entries > 0
    other = copy.deepcopy(document)
    other["credentialSubject"]["achievement"]["tag"] = ["one", "two"]
    # Another shape reuses the processed contexts of the first, and stays byte-identical.
    assert canonicalize_with_pyld(other) == plain_pyld(other)
    assert len(scoped_context_memo._entries) == entries
