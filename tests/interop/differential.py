"""Differential testing against Digital Bazaar's JavaScript stack: generated Open Badges
credentials and mutations of them, canonicalised and verified by both implementations.

Both must agree on the canonical N-Quads (or both refuse), and on every proof verdict. The few
places where they legitimately differ are named in ``KNOWN_DIVERGENCES``: in each of them this
library follows the specification (or refuses an input the specification does not define one
way) and jsonld.js does something else. A disagreement that is not one of them fails the test.

The JavaScript side runs one Node process per batch of documents (start-up dominates otherwise).
``DIFFERENTIAL_EXAMPLES`` scales the number of generated batches (``make fuzz``).
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from credential_format.canonical_cache import ShapeCache
from credential_format.errors import CredentialFormatError
from credential_format.rdf import canonicalize_with_pyld
from tests.interop.dbstack import node

# Scale for longer runs: `make fuzz` sets it; 0 means the bounded run of `make test`.
FUZZ_SCALE = int(os.environ.get("DIFFERENTIAL_EXAMPLES", "0") or 0)

KNOWS = "https://schema.org/knows"
XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"


# -- named divergences ----------------------------------------------------------------------------

CODE_POINT_ORDER = (
    "RDFC-1.0 sorts N-Quads in Unicode code point order; jsonld.js/rdf-canonize sort by UTF-16 "
    "code units, which orders characters above U+FFFF before U+E000-U+FFFF"
)
TINY_FLOAT = (
    "jsonld.js takes a float below 1e-6 written without a decimal point (1e-7) for an integer "
    'and signs "0"^^xsd:integer; JSON-LD requires an xsd:double; refused here'
)
BIG_INTEGER = "JavaScript reads integers beyond 2**53 rounded (I-JSON); refused here"
IRI_CHARACTERS = (
    "jsonld.js accepts IRIs holding characters an IRI cannot contain and escapes some of them; "
    "refused here"
)
CONTROL_CHARACTERS = (
    "control characters (other than tab, line feed, carriage return) are escaped differently by "
    "pyld and RDFC-1.0 implementations; refused here"
)
LONE_SURROGATE = (
    "a lone surrogate is not Unicode text; JavaScript hashes it as U+FFFD (so two documents "
    "would share one signature); refused here"
)
DOUBLE_STRING = (
    "jsonld.js reads a string typed xsd:double with parseFloat ('1.5abc' -> 1.5E0); refused "
    "here unless it is a decimal number"
)
RELATIVE_BASE = (
    "JSON-LD requires an error for a relative @base when there is no document base; jsonld.js "
    "ignores it; refused here"
)
EMPTY_IRI_REFERENCE = (
    "jsonld.js silently drops an empty string given to an id-valued term "
    '("credentialSubject": "") even in safe mode, so it is not signed; refused here'
)

# Our error code -> the divergence it stands for, when we refuse and jsonld.js accepts.
_REFUSALS: dict[str, Callable[[str], str | None]] = {
    "UNPORTABLE_NUMBER": lambda message: TINY_FLOAT if "integer 0" in message else BIG_INTEGER,
    "INVALID_IRI": lambda message: IRI_CHARACTERS,
    "UNSUPPORTED_CHARACTER": lambda message: (
        LONE_SURROGATE if "surrogate" in message else CONTROL_CHARACTERS
    ),
    "INVALID_TYPED_VALUE": lambda message: DOUBLE_STRING,
    "RELATIVE_REFERENCE": lambda message: (
        RELATIVE_BASE
        if "@base" in message
        else EMPTY_IRI_REFERENCE
        if message.startswith("The id '' ")
        else None
    ),
}

KNOWN_DIVERGENCES = (
    CODE_POINT_ORDER,
    TINY_FLOAT,
    BIG_INTEGER,
    IRI_CHARACTERS,
    CONTROL_CHARACTERS,
    LONE_SURROGATE,
    DOUBLE_STRING,
    RELATIVE_BASE,
    EMPTY_IRI_REFERENCE,
)


def _mixes_astral_and_high_bmp(document: Any) -> bool:
    text = json.dumps(document, ensure_ascii=False)
    return any(ord(c) > 0xFFFF for c in text) and any(0xE000 <= ord(c) <= 0xFFFF for c in text)


@dataclass(frozen=True)
class Outcome:
    nquads: str | None = None
    code: str | None = None
    message: str = ""

    @property
    def refused(self) -> bool:
        return self.nquads is None


def ours(document: Any, cache: ShapeCache | None = None) -> Outcome:
    """Our canonical form; the shape-cache path (cold, then warm) must match the full path."""
    try:
        full = Outcome(nquads=canonicalize_with_pyld(copy.deepcopy(document)))
    except CredentialFormatError as error:
        full = Outcome(code=error.code, message=str(error))
    cache = cache or ShapeCache()
    for _ in range(3):
        try:
            cached = Outcome(nquads=cache.canonicalize(copy.deepcopy(document)))
        except CredentialFormatError as error:
            cached = Outcome(code=error.code, message=str(error))
        disagreement = ("the shape cache disagrees with the full path", document, cached, full)
        assert cached.nquads == full.nquads, disagreement
        assert cached.code == full.code, disagreement
    return full


def is_json(document: Any) -> bool:
    try:
        json.dumps(document, allow_nan=False)
    except ValueError:
        return False
    return True


def theirs(documents: list[Any]) -> list[Outcome]:
    """Digital Bazaar's canonical forms, in one Node process."""
    sendable = [index for index, document in enumerate(documents) if is_json(document)]
    answers = node(
        {
            "action": "batch",
            "requests": [{"action": "canonize", "document": documents[i]} for i in sendable],
        }
    )
    outcomes = [Outcome(code="NOT_JSON", message="not a JSON document")] * len(documents)
    for index, answer in zip(sendable, answers, strict=True):
        if "nquads" in answer:
            outcomes[index] = Outcome(nquads=answer["nquads"])
        else:
            outcomes[index] = Outcome(code="ERROR", message=answer["error"])
    return outcomes


def divergence(document: Any, mine: Outcome, other: Outcome) -> str | None:
    """None when both agree, the name of a known divergence, or raise AssertionError."""
    if mine.nquads == other.nquads:
        return None
    if other.code == "NOT_JSON":
        assert mine.refused, ("a document that is not JSON was accepted", document)
        return None
    if mine.refused and not other.refused:
        explain = _REFUSALS.get(mine.code or "")
        name = explain(mine.message) if explain else None
        if name is not None:
            return name
    if not mine.refused and not other.refused and _mixes_astral_and_high_bmp(document):
        # Line order, and through the first-degree hashes the blank-node labels, can differ.
        return CODE_POINT_ORDER
    raise AssertionError(
        "this library and Digital Bazaar's stack disagree",
        json.dumps(document, ensure_ascii=True),
        mine,
        other,
    )


# -- mutations ------------------------------------------------------------------------------------

# Text, including the characters that make implementations differ (astral and private-use
# characters, separators, quotes, backslashes, controls, a lone surrogate now and then).
text = st.one_of(
    st.text(max_size=12),
    st.text(
        alphabet=st.sampled_from(
            ["a", " ", '"', "\\", "\n", "\t", "\u2028", "\ue000", "\ufffd", "\U0001f600", "é"]
        ),
        min_size=1,
        max_size=6,
    ),
    st.sampled_from(["\x0b", "a\x7fb", "\ud800", "x\udfff", "<a>", "{}"]),
)
language_tags = st.one_of(
    st.sampled_from(["en", "EN-gb", "pt-BR", "zh-Hant-TW", "x-private", "en-", "e n", "", "@en"]),
    st.from_regex(r"[a-zA-Z]{1,9}(-[a-zA-Z0-9]{1,9}){0,2}", fullmatch=True),
)
numbers = st.one_of(
    st.integers(min_value=-(2**60), max_value=2**60),
    st.sampled_from([0, -0.0, 1e21, 1e22, 1e-7, 2.5e-7, 5e-324, 0.1, 1.5, 2**53, 2**53 + 1]),
    st.floats(allow_nan=False, allow_infinity=False),
)
ids = st.one_of(
    st.sampled_from(
        [
            "did:example:subject",
            "https://portal.example.eu/a%20b?q=1#f",
            "urn:uuid:5f1b2c1e-0000-4000-8000-000000000001",
            "_:b0",
            "_:subject",
            "@foo",
            "relative/path",
            "did:example:a<b>",
            "did:example:a b",
            "did:example:é",
            "mailto:x@example.eu",
        ]
    ),
    st.from_regex(r"https://[a-z]{1,6}\.example\.eu/[a-z0-9]{0,6}", fullmatch=True),
)
keys = st.sampled_from(
    [
        "name",
        "description",
        "id",
        "type",
        "@id",
        "@type",
        "favouriteColour",
        "_:x",
        "@foo",
        "@Name",
        "https://schema.org/name",
        "https://example.org/p",
        "https://example.org/a<b>",
        "@included",
        "@nest",
        "@index",
        "@reverse",
    ]
)


def value_objects() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.builds(lambda v, tag: {"@value": v, "@language": tag}, text, language_tags),
        st.builds(
            lambda v, tag, d: {"@value": v, "@language": tag, "@direction": d},
            text,
            language_tags,
            st.sampled_from(["ltr", "rtl", "up"]),
        ),
        st.builds(lambda v, d: {"@value": v, "@direction": d}, text, st.sampled_from(["rtl"])),
        st.builds(
            lambda v: {"@value": v, "@type": XSD_DOUBLE},
            st.one_of(st.sampled_from(["1.5", "1.50", "15e-1", "1.5abc", "abc", "1e400"]), text),
        ),
        st.sampled_from(
            [
                {"@value": None},
                {"@language": "en"},
                {"@value": "x", "@foo": 1},
                {"@value": {"b": [1, "é"], "a": None}, "@type": "@json"},
                {"@list": ["a", "b"]},
                {"@set": []},
                {},
                [],
            ]
        ),
    )


def values() -> st.SearchStrategy[Any]:
    leaf = st.one_of(text, numbers, st.booleans(), st.none())
    return st.one_of(
        leaf,
        value_objects(),
        st.builds(lambda i: {"id": i}, ids),
        st.builds(lambda name: {"name": name}, text),
        st.lists(leaf, max_size=3),
    )


def blank_node_structure(size: int, linked: bool, names: list[str]) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = []
    for index in range(size):
        node_: dict[str, Any] = {"id": f"_:n{index}", "name": names[index % len(names)]}
        if linked:
            node_[KNOWS] = [{"id": f"_:n{(index + 1) % size}"}]
        nodes.append(node_)
    return nodes


def _nodes(document: Any) -> list[dict[str, Any]]:
    """Every JSON object of the document outside @context and proof."""
    found: list[dict[str, Any]] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            found.append(item)
            stack.extend(v for k, v in item.items() if k not in ("@context", "proof"))
        elif isinstance(item, list):
            stack.extend(item)
    return found


MUTATIONS = (
    "value",
    "add",
    "delete",
    "rename",
    "list",
    "nest",
    "blank",
    "number",
    "language",
    "id",
)


@st.composite
def mutated(draw: st.DrawFn, document: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """A copy of ``document`` with one mutation, and the mutation's name."""
    result = copy.deepcopy(document)
    kind = draw(st.sampled_from(MUTATIONS))
    node_ = draw(st.sampled_from(_nodes(result)))
    existing = [key for key in node_ if key not in ("@context", "proof")]
    if kind == "value" and existing:
        node_[draw(st.sampled_from(existing))] = draw(values())
    elif kind == "add":
        node_[draw(keys)] = draw(values())
    elif kind == "delete" and len(existing) > 1:
        del node_[draw(st.sampled_from(existing))]
    elif kind == "rename" and existing:
        key = draw(st.sampled_from(existing))
        renamed = {"id": "@id", "type": "@type", "name": "https://schema.org/name"}.get(key)
        new_key = renamed or draw(keys)
        if new_key not in node_:
            node_[new_key] = node_.pop(key)
    elif kind == "list" and existing:
        key = draw(st.sampled_from(existing))
        node_[key] = [node_[key]]
    elif kind == "nest" and existing:
        key = draw(st.sampled_from(existing))
        node_.setdefault("@nest", {})
        if isinstance(node_["@nest"], dict) and key != "@nest":
            node_["@nest"][key] = node_.pop(key)
    elif kind == "blank":
        size = draw(st.integers(min_value=1, max_value=4))
        names = draw(st.lists(st.sampled_from(["A", "B"]), min_size=1, max_size=size))
        node_[KNOWS] = blank_node_structure(size, draw(st.booleans()), names)
    elif kind == "number":
        node_[draw(st.sampled_from([*existing, "creditsAvailable"]))] = draw(numbers)
    elif kind == "language":
        node_[draw(st.sampled_from([*existing, "name"]))] = draw(value_objects())
    elif kind == "id":
        node_["id"] = draw(ids)
    return kind, result
