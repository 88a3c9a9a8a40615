"""Attacks on canonicalisation: each one reproduced, and shown refused with a format error.

Every test runs the cached path (``canonicalize``, warmed where it matters) and the full path
(``canonicalize_with_pyld``); both must refuse the same inputs with a CredentialFormatError.
What the independent implementation (Digital Bazaar's stack) does with the same inputs is checked
in ``tests/interop/test_canonical_differential.py``.
"""

from __future__ import annotations

import contextlib
import copy
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

from credential_format.canonical_cache import ShapeCache
from credential_format.errors import (
    CanonicalizationLimitError,
    CredentialFormatError,
    InvalidIriError,
    InvalidLanguageTagError,
    JsonLdProcessingError,
    RelativeReferenceError,
    UndefinedTermError,
    UnportableNumberError,
)
from credential_format.jsonld import canonicalize
from credential_format.rdf import canonicalize_with_pyld
from credential_format.signing import Ed25519Signer
from credential_format.verification import verify_credential

V2 = "https://www.w3.org/ns/credentials/v2"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"
KNOWS = "https://schema.org/knows"


def credential(**extra: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [V2],
        "id": "urn:uuid:4a6f1c1e-3c56-4d8e-9f0a-2b7b6b1f9a10",
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner", "name": "Ada"},
    }
    document.update(extra)
    return document


def warm_cache_canonicalize(document: Any) -> str:
    """The shape-cache path with a template already built for the document's shape."""
    cache = ShapeCache()
    for _ in range(2):
        with contextlib.suppress(CredentialFormatError):
            cache.canonicalize(copy.deepcopy(document))
    return cache.canonicalize(document)


CANONICALIZERS = [canonicalize, canonicalize_with_pyld, warm_cache_canonicalize]


def clique(size: int) -> dict[str, Any]:
    """A small credential whose subjects are ``size`` unnamed nodes, each linked to all others:
    the first-degree hash cannot tell them apart, and RDFC-1.0's N-degree hashing explores
    every ordering of them."""
    nodes = [
        {
            "id": f"_:n{index}",
            KNOWS: [{"id": f"_:n{other}"} for other in range(size) if other != index],
        }
        for index in range(size)
    ]
    return credential(credentialSubject=nodes)


@pytest.mark.parametrize("canonicalizer", [canonicalize, canonicalize_with_pyld])
def test_a_blank_node_clique_is_refused_in_well_under_a_second(canonicalizer):
    document = clique(8)
    assert len(str(document)) < 2500
    started = time.process_time()
    with pytest.raises(CanonicalizationLimitError, match="look alike"):
        canonicalizer(document)
    assert time.process_time() - started < 0.5


def test_unlinked_lookalike_blank_nodes_stay_within_the_budget():
    # Two look-alikes that are not linked: one N-degree hash each, within a work factor of 1.
    document = credential(credentialSubject=[{"name": "Ada"}, {"name": "Ada"}])
    assert canonicalize(document) == canonicalize_with_pyld(document)
    assert "_:c14n1" in canonicalize_with_pyld(document)


def test_even_two_linked_lookalike_blank_nodes_exceed_the_budget_as_in_rdf_canonize():
    # rdf-canonize refuses this too ("Maximum deep iterations exceeded (2)"): both
    # implementations accept and refuse the same datasets.
    with pytest.raises(CanonicalizationLimitError):
        canonicalize_with_pyld(clique(2))


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_reserved_id_value_is_a_format_error_not_a_crash(canonicalizer):
    with pytest.raises(CredentialFormatError, match="keyword"):
        canonicalizer(credential(id="@foo"))


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "where",
    ["value", "key", "id", "type"],
)
def test_a_lone_surrogate_is_a_format_error_not_a_crash(canonicalizer, where):
    document = credential()
    if where == "value":
        document["credentialSubject"]["name"] = "Ada \ud800"
    elif where == "key":
        document["credentialSubject"]["na\udc00me"] = "Ada"
    elif where == "id":
        document["credentialSubject"]["id"] = "did:example:\ud800"
    else:
        document["type"].append("https://example.org/\ud800")
    with pytest.raises(CredentialFormatError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_blank_node_used_as_a_property_is_refused(canonicalizer):
    document = credential()
    document["credentialSubject"]["_:x"] = "unsigned data riding along"
    with pytest.raises(UndefinedTermError, match="_:x"):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize("key", ["@foo", "@Name"])
def test_a_key_that_looks_like_a_keyword_is_refused(canonicalizer, key):
    document = credential()
    document["credentialSubject"][key] = "unsigned data riding along"
    with pytest.raises(UndefinedTermError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "value",
    [
        {"@value": "x"},  # a value object is fine; the ones below are dropped by expansion
    ],
)
def test_plain_value_objects_are_accepted(canonicalizer, value):
    document = credential()
    document["credentialSubject"]["name"] = value
    assert '"x"' in canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "value",
    [
        {"@value": None},
        {"@language": "en"},
        {"@value": "x", "@language": None, "@foo": 1},
    ],
)
def test_values_that_expansion_drops_are_refused(canonicalizer, value):
    document = credential()
    document["credentialSubject"]["name"] = value
    with pytest.raises(CredentialFormatError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_an_id_that_expands_to_nothing_is_refused(canonicalizer):
    document = credential()
    document["credentialSubject"]["id"] = "@ignored"
    with pytest.raises(CredentialFormatError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "tag",
    ['en" .\n<https://example.org/s> <https://example.org/p> "forged', "en us", "", "e_n"],
)
def test_an_invalid_language_tag_is_refused(canonicalizer, tag):
    document = credential()
    document["credentialSubject"]["name"] = {"@value": "Ada", "@language": tag}
    with pytest.raises(InvalidLanguageTagError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_valid_language_tag_is_signed_lower_cased(canonicalizer):
    document = credential()
    document["credentialSubject"]["name"] = {"@value": "Ada", "@language": "en-GB"}
    assert '"Ada"@en-gb' in canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_direction_is_signed_as_an_i18n_datatype(canonicalizer):
    document = credential()
    document["credentialSubject"]["name"] = {
        "@value": "عدا",
        "@language": "ar",
        "@direction": "rtl",
    }
    signed = canonicalizer(copy.deepcopy(document))
    assert '"عدا"^^<https://www.w3.org/ns/i18n#ar_rtl>' in signed
    document["credentialSubject"]["name"]["@direction"] = "ltr"
    assert canonicalizer(copy.deepcopy(document)) != signed
    del document["credentialSubject"]["name"]["@direction"]
    assert canonicalizer(document) != signed


@pytest.mark.parametrize(
    "value", ["1.5", "1.50", "15e-1", "2", "-0.25", "1.0E0", "1.5E0"], ids=repr
)
def test_a_string_typed_xsd_double_is_the_same_on_a_cold_and_a_warm_cache(value):
    cache = ShapeCache()
    results = []
    for other in ("3.25", "7", value):
        document = credential()
        document["credentialSubject"]["name"] = {"@value": other, "@type": XSD_DOUBLE}
        results.append((cache.canonicalize(document), canonicalize_with_pyld(document)))
    for cached, full in results:
        assert cached == full
    assert results[-1][1] == results[-1][0]


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize("value", ["1.5abc", "abc", "inf", "nan", "1_5", " 1.5", "1e400"])
def test_a_string_typed_xsd_double_that_is_not_a_decimal_number_is_refused(canonicalizer, value):
    document = credential()
    document["credentialSubject"]["name"] = {"@value": value, "@type": XSD_DOUBLE}
    with pytest.raises(JsonLdProcessingError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "iri",
    [
        "did:example:a<b>",
        'did:example:a"b',
        "did:example:a{b}",
        "did:example:a|b",
        "did:example:a^b",
        "did:example:a`b",
        "did:example:a\\b",
        "did:example:a\x01b",
    ],
    ids=repr,
)
def test_an_iri_with_characters_that_iris_cannot_hold_is_refused(canonicalizer, iri):
    document = credential()
    document["credentialSubject"]["id"] = iri
    with pytest.raises(InvalidIriError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_property_iri_with_characters_that_iris_cannot_hold_is_refused(canonicalizer):
    document = credential()
    document["credentialSubject"]["https://example.org/a<b>"] = "x"
    with pytest.raises(InvalidIriError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    "number",
    [2**53 + 1, -(2**53) - 1, 10**400, 10**5000, 1e-7, -5e-324, float("inf"), float("nan")],
    ids=lambda number: (
        f"int of {number.bit_length()} bits" if isinstance(number, int) else repr(number)
    ),
)
def test_numbers_that_json_implementations_read_differently_are_refused(canonicalizer, number):
    document = credential()
    document["credentialSubject"]["name"] = number
    with pytest.raises(UnportableNumberError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize(
    ("number", "lexical"),
    [
        (2**53, '"9007199254740992"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (1e22, '"1.0E22"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (1.5e-7, '"1.5E-7"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (0.1, '"1.0E-1"^^<http://www.w3.org/2001/XMLSchema#double>'),
        (5.0, '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'),
    ],
    ids=repr,
)
def test_portable_numbers_are_canonicalised(canonicalizer, number, lexical):
    document = credential()
    document["credentialSubject"]["name"] = number
    assert lexical in canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_base_in_an_inline_context_resolves_relative_ids(canonicalizer):
    document = credential(id="credentials/42")
    document["@context"] = [V2, {"@base": "https://portal.example.eu/"}]
    assert "<https://portal.example.eu/credentials/42>" in canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_relative_base_is_refused(canonicalizer):
    document = credential(id="credentials/42")
    document["@context"] = [V2, {"@base": "relative/"}]
    with pytest.raises(RelativeReferenceError):
        canonicalizer(document)


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_at_id_means_the_same_as_id(canonicalizer):
    with_alias = credential()
    with_keyword = credential()
    with_keyword["credentialSubject"] = {"@id": "did:example:learner", "name": "Ada"}
    assert canonicalizer(with_keyword) == canonicalizer(with_alias)


# Any JSON at all, with JSON-LD keywords and credential terms as keys: canonicalisation either
# succeeds or raises a CredentialFormatError, on both paths, and both paths agree.
json_keys = st.one_of(
    st.sampled_from(
        [
            "@context",
            "@id",
            "@type",
            "@value",
            "@language",
            "@direction",
            "@list",
            "@set",
            "@graph",
            "@included",
            "@nest",
            "@reverse",
            "@index",
            "@json",
            "@foo",
            "id",
            "type",
            "name",
            "credentialSubject",
            "_:x",
            "https://example.org/p",
        ]
    ),
    st.text(max_size=4),
)
json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(),
    st.text(max_size=6),
    st.sampled_from(["@foo", "_:b0", "did:example:x", "@json", V2, "ltr", "en", "\ud800"]),
)
any_json = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(json_keys, children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(json_keys, any_json, max_size=5), st.booleans())
def test_any_json_gives_a_result_or_a_format_error_never_a_crash(document, with_context):
    if with_context:
        document["@context"] = [V2]
    outcomes = []
    for canonicalizer in CANONICALIZERS:
        try:
            outcomes.append(canonicalizer(copy.deepcopy(document)))
        except CredentialFormatError as error:
            outcomes.append(type(error))
    assert outcomes[0] == outcomes[1] == outcomes[2]


class _NoNetwork:
    def fetch_json(self, url: str) -> Any:
        raise AssertionError(f"nothing should be fetched: {url}")


@pytest.mark.parametrize(
    ("document", "code"),
    [
        (clique(8), "CANONICALIZATION_LIMIT"),
        (credential(id="@foo"), "RELATIVE_REFERENCE"),
        (
            # Refused before canonicalisation: a report must never echo text that is not Unicode.
            credential(credentialSubject={"id": "did:example:learner", "name": "Ada \ud800"}),
            "PARSING_ERROR",
        ),
        (
            credential(credentialSubject={"id": "did:example:learner", "name": 10**400}),
            "UNPORTABLE_NUMBER",
        ),
    ],
    ids=["clique", "reserved-id", "lone-surrogate", "huge-integer"],
)
def test_the_verifier_reports_attacks_quickly_and_never_crashes(document, code):
    signer = Ed25519Signer.from_seed(bytes([3]) * 32)
    document["issuer"] = signer.verification_method.split("#")[0]
    document["proof"] = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-rdfc-2022",
        "created": "2025-01-01T00:00:00Z",
        "verificationMethod": signer.verification_method,
        "proofPurpose": "assertionMethod",
        "proofValue": "z" + "1" * 86,
    }
    started = time.process_time()
    report = verify_credential(document, fetcher=_NoNetwork())
    assert time.process_time() - started < 1
    assert not report.verified
    assert code in {check.code for check in report.errors}, report.errors


def _one_subject_with(values: list[Any]) -> dict[str, Any]:
    return credential(credentialSubject={"id": "did:example:learner", KNOWS: values})


FLOODS = {
    # 400 KB of references to named nodes: accepted today, each value compared with all before.
    "named nodes": _one_subject_with([{"id": f"urn:x:{index}"} for index in range(6000)]),
    "unnamed nodes": _one_subject_with([{"https://schema.org/name": "x"}] * 6000),
    # One subject written in many places: its values are merged into one list.
    "one subject in many places": credential(
        credentialSubject=[
            {"id": "did:example:learner", KNOWS: [{"id": f"urn:x:{part}:{index}"}]}
            for part in range(60)
            for index in range(100)
        ]
    ),
}


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
@pytest.mark.parametrize("flood", FLOODS, ids=list(FLOODS))
def test_a_property_flooded_with_values_is_refused_before_they_are_compared(
    canonicalizer, flood, monkeypatch
):
    # JSON-LD processors compare each new value of a property with every earlier one (to drop
    # duplicates): thousands of values in a few hundred kilobytes cost seconds of CPU each.
    compared = 0
    original = jsonld.JsonLdProcessor.compare_values

    def counting(first: Any, second: Any) -> bool:
        nonlocal compared
        compared += 1
        return original(first, second)

    monkeypatch.setattr(jsonld.JsonLdProcessor, "compare_values", staticmethod(counting))
    with pytest.raises(CanonicalizationLimitError, match="values"):
        canonicalizer(FLOODS[flood])
    assert compared < 1000


@pytest.mark.parametrize("canonicalizer", CANONICALIZERS)
def test_a_long_but_reasonable_list_of_values_is_canonicalised(canonicalizer):
    document = _one_subject_with([{"id": f"urn:x:{index}"} for index in range(500)])
    assert canonicalizer(document).count(KNOWS) == 500
