"""The reference JSON-LD -> RDF -> RDFC-1.0 path on pyld, with the safety checks signing needs.

``canonicalize_with_pyld`` is the slow, general path: full JSON-LD expansion for every call. The
shape cache in :mod:`credential_format.canonical_cache` reuses its output per document shape; both
produce byte-identical N-Quads (the property tests compare them).

Safety checks (all raise a CredentialFormatError, never drop silently). They follow JSON-LD's
*safe mode* as the Data Integrity specification requires and as jsonld.js implements it
(``safe: true``), so a document is refused here when Digital Bazaar's stack refuses it:
- a property that does not expand to an absolute IRI (pyld ``on_property_dropped``), a key that
  looks like a keyword, or a blank node used as a property, which would otherwise be left out of
  the signed data;
- any value or object that expansion drops (``{"@value": null}``, an object with only
  ``@language``, a free-floating value, an ``@id`` that expands to nothing);
- an ``@id``, ``@type`` or datatype that is not an absolute IRI or blank node (pyld drops such
  triples), or an IRI holding characters an IRI cannot contain (``<``, ``>``, quotes, spaces...);
- a language tag that is not well-formed BCP 47;
- numbers that JSON implementations read differently, and lone surrogates;
- too many blank nodes, or N-degree hashing past its work budget (dataset poisoning).

``@direction`` is kept and signed as an ``https://www.w3.org/ns/i18n#{language}_{direction}``
datatype (JSON-LD's ``rdfDirection: i18n-datatype``), as the eddsa-rdfc-2022 implementation of
Digital Bazaar does (docs/decisions/0002-safe-mode-and-direction.md).
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer
from pyld.nquads import escape as escape_nquads_literal

from credential_format.contexts import OfflineDocumentLoader, document_loader
from credential_format.errors import (
    CanonicalizationLimitError,
    CredentialFormatError,
    InvalidIriError,
    InvalidLanguageTagError,
    JsonLdProcessingError,
    RelativeReferenceError,
    UndefinedTermError,
    UnknownContextError,
    UnportableNumberError,
)

# A credential with a few dozen unnamed nodes is normal (alignments, results, proof); thousands
# of blank nodes only occur in documents built to make canonicalisation slow.
MAX_BLANK_NODES = 1024
# Blank nodes that the first-degree hash cannot tell apart need the N-degree algorithm, whose cost
# grows factorially with the size of such groups. As in rdf-canonize (``maxWorkFactor``, default
# 1), the number of N-degree hash runs is capped at (number of look-alike nodes) ** work factor.
MAX_WORK_FACTOR = 1
# Building the node map, JSON-LD processors compare each new value of a property with every
# earlier value of that property of the same subject (duplicates are dropped), so n values cost
# n * (n - 1) / 2 comparisons: 6,000 references, some 400 KB, take seconds of CPU. The sum of
# those comparisons over the document is capped before any is made; a list of 1,000 values
# (far more than a credential has) stays within it.
MAX_VALUE_COMPARISONS = 1000 * 999 // 2

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

XSD_DOUBLE = "http://www.w3.org/2001/XMLSchema#double"

# Characters an IRI cannot hold in N-Quads (IRIREF): controls, space, <>"{}|^`\, plus DEL and
# lone surrogates (not Unicode text at all). Implementations escape these differently or not at
# all, so they are refused instead.
IRI_FORBIDDEN = r'\x00-\x20<>"{}|^`\\\x7f\ud800-\udfff'
# An absolute IRI (or blank node id) as it may appear in signed data.
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^" + IRI_FORBIDDEN + "]*$")
# pyld's own, looser test for an absolute IRI (a scheme and no white space).
_HAS_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")
# JSON-LD's (and jsonld.js's) test for a well-formed language tag.
BCP47 = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
# A decimal number whose value Python's float() and JavaScript's parseFloat() read alike.
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Integers beyond this are rounded by JavaScript (and most JSON parsers) when read.
MAX_SAFE_INTEGER = 2**53

# One quad as four N-Quads terms (subject, predicate, object, graph name or "").
Quad = tuple[str, str, str, str]


def normalise_json_numbers(value: Any) -> Any:
    """Return ``value`` with integral floats turned into ints, as JSON (and JavaScript) reads them.

    JSON has a single number type: ``5.0`` and ``5`` are the same number, and jsonld.js turns
    both into ``"5"^^xsd:integer``. pyld would turn the Python float into ``"5.0E0"^^xsd:double``
    and the signature would no longer verify elsewhere. Numbers that implementations read
    differently raise UnportableNumberError (see :func:`check_portable_number`).
    """
    if isinstance(value, dict):
        return {key: normalise_json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_json_numbers(item) for item in value]
    if isinstance(value, float):
        check_portable_number(value)
        if value.is_integer() and abs(value) < 1e21:
            return int(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        check_portable_number(value)
    return value


def check_portable_number(value: int | float) -> None:
    """Refuse a number that this library and JavaScript implementations would sign differently.

    - Integers beyond 2**53: JavaScript reads them rounded (I-JSON, RFC 7493, section 2.2).
    - NaN and infinities: not JSON numbers at all.
    - Non-zero floats below 1e-6 that JavaScript writes without a decimal point (``1e-7``):
      jsonld.js then takes them for integers and signs ``"0"^^xsd:integer``, while JSON-LD
      requires ``"1.0E-7"^^xsd:double``.
    """
    if isinstance(value, int):
        if -MAX_SAFE_INTEGER <= value <= MAX_SAFE_INTEGER:
            return
        shown = str(value) if value.bit_length() < 100 else f"of {value.bit_length()} bits"
        raise UnportableNumberError(
            f"The integer {shown} is too large to be read the same way by every JSON "
            f"implementation (the limit is {MAX_SAFE_INTEGER}); write it as a string."
        )
    if not math.isfinite(value):
        raise UnportableNumberError(f"{value!r} is not a JSON number.")
    if value != 0 and abs(value) < 1e-6 and "." not in repr(value):
        raise UnportableNumberError(
            f"The number {value!r} is canonicalised differently by JSON-LD implementations "
            "(some read it as the integer 0); write it with more digits or as a string."
        )


def _raise_on_dropped_property(expanded_property: str | None) -> None:
    if expanded_property is None:
        raise UndefinedTermError(
            "A property name is ignored by JSON-LD (a name that looks like a keyword, such as "
            "'@foo', or a term its context maps to nothing), so its value would not be covered "
            "by the signature. Remove it or rename it."
        )
    raise UndefinedTermError(
        f"The property {expanded_property!r} is not defined by any of the document's JSON-LD "
        "contexts, so it would not be covered by the signature. Define it in a context or "
        "remove it."
    )


def _check_iri(iri: Any, what: str) -> None:
    if isinstance(iri, str) and ABSOLUTE_IRI.match(iri):
        return
    if not isinstance(iri, str):
        raise RelativeReferenceError(
            f"The {what} expands to nothing (it looks like a JSON-LD keyword), so statements "
            "about it would be dropped from the signed data."
        )
    if _HAS_SCHEME.match(iri):
        raise InvalidIriError(
            f"The {what} {iri!r} contains characters an IRI cannot hold (spaces, control "
            "characters, <, >, quotes, braces, |, ^, ` or \\), which JSON-LD implementations "
            "write differently. Percent-encode them."
        )
    raise RelativeReferenceError(
        f"The {what} {iri!r} is not an absolute IRI, so statements about it would be dropped "
        "from the signed data. Use a full URL, URN or DID."
    )


def _check_value_object(item: dict[str, Any]) -> None:
    datatype = item.get("@type")
    if datatype is not None and datatype != "@json":
        if not isinstance(datatype, str) or not ABSOLUTE_IRI.match(datatype):
            _check_iri(datatype, "datatype")
        value = item.get("@value")
        if (
            datatype == XSD_DOUBLE
            and isinstance(value, str)
            and (_DECIMAL.match(value) is None or not math.isfinite(float(value)))
        ):
            raise JsonLdProcessingError(
                f"The value {value!r} is typed as a double (xsd:double) but is not a finite "
                "decimal number, and JSON-LD implementations canonicalise it differently.",
                code="INVALID_TYPED_VALUE",
            )
    if "@language" in item:
        language = item["@language"]
        if not isinstance(language, str) or BCP47.match(language) is None:
            raise InvalidLanguageTagError(
                f"The language tag {language!r} is not a well-formed BCP 47 tag (such as 'en' "
                "or 'pt-BR'), so it cannot be signed safely."
            )
    if "@direction" in item and item["@direction"] not in ("ltr", "rtl"):
        raise JsonLdProcessingError(
            f"The text direction {item['@direction']!r} is neither 'ltr' nor 'rtl'."
        )


def _check_references(expanded: Any) -> None:
    """The safe-mode checks on expanded JSON-LD (see the module docstring), and the cap on the
    comparisons the node map would make (MAX_VALUE_COMPARISONS)."""
    # Values per (subject, property) as the node map merges them: a subject with an @id gathers
    # its values from every place it is written; one without is a node of its own.
    values: Counter[tuple[Any, str]] = Counter()
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@value" in item:
                _check_value_object(item)
                continue
            if "@id" in item:
                node_id = item["@id"]
                if not isinstance(node_id, str) or not ABSOLUTE_IRI.match(node_id):
                    _check_iri(node_id, "id")
            if "@list" not in item:
                subject = item["@id"] if isinstance(item.get("@id"), str) else id(item)
                for key, value in item.items():
                    if isinstance(value, list) and (key[:1] != "@" or key == "@type"):
                        values[subject, key] += len(value)
            for node_type in item.get("@type", ()):
                if not isinstance(node_type, str) or not ABSOLUTE_IRI.match(node_type):
                    if isinstance(node_type, str) and not _HAS_SCHEME.match(node_type):
                        raise RelativeReferenceError(
                            f"The type {node_type!r} is not defined by the document's JSON-LD "
                            "contexts, so it would be dropped from the signed data."
                        )
                    _check_iri(node_type, "type")
            for key, value in item.items():
                if key[:1] == "@":
                    if key == "@reverse" and isinstance(value, dict):
                        stack.append(dict(value))
                    elif key not in ("@id", "@type", "@context", "@index", "@direction"):
                        stack.append(value)
                    continue
                if key[:2] == "_:" and value != []:
                    # (With no values there is no statement, and nothing is left unsigned.)
                    raise UndefinedTermError(
                        f"The property {key!r} is a blank node identifier, which cannot be a "
                        "property in signed data, so its value would not be covered by the "
                        "signature. Remove it or use a defined term."
                    )
                if not ABSOLUTE_IRI.match(key):
                    _check_iri(key, "property")
                stack.append(value)
    comparisons = sum(count * (count - 1) // 2 for count in values.values())
    if comparisons > MAX_VALUE_COMPARISONS:
        raise CanonicalizationLimitError(
            f"The document gives one property of one subject {max(values.values())} values; "
            "so many values cannot be processed in bounded time, so it is refused."
        )


# Scoped contexts processed on an active context, shared by every expansion of the process.
SCOPED_CONTEXT_CACHE_SIZE = 4096


class ScopedContextMemo:
    """The result of applying a scoped context that does not propagate (the type-scoped
    contexts of Open Badges and the VC vocabulary) to an active context.

    pyld caches each processed context by the active context it was applied to, but a
    non-propagating context is applied to a fresh copy made for the call, so the cache never
    hits and every object with a type is processed from the term definitions up: about half
    the time of expanding a credential of a shape not seen before. Active contexts are frozen
    and carry a unique id, and processing depends only on them, the local context and the
    flags, so the result for the same inputs can be reused as it is.
    """

    def __init__(self, size: int = SCOPED_CONTEXT_CACHE_SIZE) -> None:
        self._entries: LRUCache[tuple[Any, ...], tuple[Any, Any]] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], local_context: Any) -> Any | None:
        with self._lock:
            entry = self._entries.get(key)
        # The key holds the local context's id(): the entry keeps that object alive and is used
        # only while it is the same object.
        if entry is not None and entry[0] is local_context:
            return entry[1]
        return None

    def put(self, key: tuple[Any, ...], local_context: Any, processed: Any) -> None:
        with self._lock:
            self._entries[key] = (local_context, processed)


scoped_context_memo = ScopedContextMemo()


# Stands for "no document base IRI" in the options: pyld ignores an inline context's @base when
# the base option is None, while JSON-LD (and jsonld.js) apply it; see _expand_iri below.
NO_DOCUMENT_BASE = "\x00no-document-base"


class MemoizingJsonLdProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, reusing processed non-propagating scoped contexts, in safe mode.

    Three small overrides of pyld internals, each keeping pyld's result and adding a check or
    the standard's behaviour (docs/decisions/0002-safe-mode-and-direction.md):
    ``_expand`` refuses anything expansion drops, ``_expand_iri`` applies an inline ``@base``
    when the document has no base IRI, and ``_process_context`` memoises scoped contexts and
    refuses a relative ``@base`` or ``@vocab``.
    """

    def _expand(
        self,
        active_ctx: Any,
        active_property: Any,
        element: Any,
        options: Any,
        inside_list: bool = False,
        inside_index: bool = False,
        type_scoped_ctx: Any = None,
    ) -> Any:
        expanded = super()._expand(
            active_ctx,
            active_property,
            element,
            options,
            inside_list=inside_list,
            inside_index=inside_index,
            type_scoped_ctx=type_scoped_ctx,
        )
        if expanded is None and element is not None:
            raise JsonLdProcessingError(
                f"The value {_short(element)} is dropped by JSON-LD expansion (a value with "
                "no meaning in RDF, such as an object with only a language, a null value "
                "object or a value not attached to any property), so it would not be covered "
                "by the signature. Remove it.",
                code="DROPPED_VALUE",
            )
        return expanded

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        if base == NO_DOCUMENT_BASE:
            context_base = active_ctx.get("@base")
            base = context_base if isinstance(context_base, str) else None
        return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        for each in local_ctx if isinstance(local_ctx, list) else [local_ctx]:
            if isinstance(each, dict):
                _check_context_iris(each)
            elif isinstance(each, str) and not ABSOLUTE_IRI.match(each):
                raise UnknownContextError(
                    f"The JSON-LD context {each!r} is not an absolute URL; only the shipped, "
                    "pinned contexts are used, named by their URL."
                )
        active_id = active_ctx.get("_uuid") if isinstance(active_ctx, dict) else None
        if propagate or active_id is None or not isinstance(local_ctx, dict):
            return super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
        key = (
            active_id,
            id(local_ctx),
            override_protected,
            validate_scoped,
            options.get("base"),
            options.get("processingMode"),
        )
        processed = scoped_context_memo.get(key, local_ctx)
        if processed is None:
            processed = super()._process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
            scoped_context_memo.put(key, local_ctx, processed)
        return processed


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_context_iris(local_ctx: dict[str, Any]) -> None:
    """Refuse a relative ``@base`` or ``@vocab`` in an inline context (JSON-LD safe mode)."""
    for keyword in ("@base", "@vocab"):
        value = local_ctx.get(keyword)
        if isinstance(value, str) and value and not ABSOLUTE_IRI.match(value):
            raise RelativeReferenceError(
                f"The context's {keyword} {value!r} is not an absolute IRI, so the document "
                "has no single meaning. Use a full URL."
            )


def expand_strictly(document: Any, loader: OfflineDocumentLoader = document_loader) -> list[Any]:
    """JSON-LD expansion that refuses undefined terms and relative references."""
    processor = MemoizingJsonLdProcessor(on_property_dropped=_raise_on_dropped_property)
    options = {
        "documentLoader": loader,
        "contextResolver": loader.new_context_resolver(),
        # No document base IRI: relative references must stay relative so they are detected
        # and refused (with an empty base pyld would resolve them against
        # http://example.org/base/); an inline context's @base still applies.
        "base": NO_DOCUMENT_BASE,
    }
    try:
        expanded: list[Any] = processor.expand(normalise_json_numbers(document), options)
    except CredentialFormatError:
        raise
    except RecursionError:
        raise JsonLdProcessingError("The document is nested too deeply to process.") from None
    except jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, CredentialFormatError):
                raise cause from error
            cause = cause.__cause__
        raise JsonLdProcessingError(f"JSON-LD expansion failed: {error}") from error
    _check_references(expanded)
    return expanded


def expanded_to_dataset(expanded: list[Any]) -> dict[str, list[dict[str, Any]]]:
    """Convert expanded JSON-LD to a pyld RDF dataset (as ``JsonLdProcessor.to_rdf`` does)."""
    processor = jsonld.JsonLdProcessor()
    issuer = IdentifierIssuer("_:b")
    node_map: dict[str, Any] = {"@default": {}}
    processor._create_node_map(expanded, node_map, "@default", issuer)
    options = {
        "produceGeneralizedRdf": False,
        "processingMode": "json-ld-1.1",
        # Signed like Digital Bazaar's eddsa-rdfc-2022 implementation does (never dropped).
        "rdfDirection": "i18n-datatype",
    }
    dataset: dict[str, list[dict[str, Any]]] = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or ABSOLUTE_IRI.match(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


_NEEDS_ESCAPE = re.compile(r'[\\\t\n\r"]')
# Control characters that RDFC-1.0 writes as \b, \f or \uXXXX. pyld 3.3 writes them raw, so a
# document holding them would hash differently here and in conforming implementations.
# Lone surrogates are not Unicode text: they cannot be encoded for hashing (JavaScript replaces
# them with U+FFFD, which would make two different documents hash alike), so they are refused too.
_UNPORTABLE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def escape_literal(value: str) -> str:
    """A literal's lexical form escaped for N-Quads exactly as pyld escapes it.

    Raises JsonLdProcessingError for control characters other than tab, line feed and carriage
    return, which pyld and conforming RDFC-1.0 implementations serialise differently.
    """
    if _NEEDS_ESCAPE.search(value) is None:
        if _UNPORTABLE_CONTROL.search(value) is not None:
            raise _unportable(value)
        return value
    if _UNPORTABLE_CONTROL.search(value) is not None:
        raise _unportable(value)
    return str(escape_nquads_literal(value))


def _unportable(value: str) -> JsonLdProcessingError:
    character = _UNPORTABLE_CONTROL.search(value)
    code_point = ord(character.group(0)) if character else 0
    if 0xD800 <= code_point <= 0xDFFF:
        return JsonLdProcessingError(
            f"A text value contains a lone surrogate (U+{code_point:04X}), which is not valid "
            "Unicode text and cannot be signed. Remove it.",
            code="UNSUPPORTED_CHARACTER",
        )
    return JsonLdProcessingError(
        f"A text value contains the control character U+{code_point:04X}, which JSON-LD "
        "implementations do not canonicalise alike, so the signature would not verify "
        "everywhere. Remove it.",
        code="UNSUPPORTED_CHARACTER",
    )


def _term(component: dict[str, Any]) -> str:
    if component["type"] == "IRI":
        return "<" + str(component["value"]) + ">"
    if component["type"] == "blank node":
        return str(component["value"])
    return '"' + escape_literal(component["value"]) + '"' + literal_suffix(component)


def literal_suffix(component: dict[str, Any]) -> str:
    """What follows the quoted lexical form of a literal in N-Quads (language or datatype)."""
    datatype = component.get("datatype")
    if datatype == RDF_LANGSTRING:
        language = component.get("language")
        return "@" + language if language else ""
    if datatype != XSD_STRING:
        return "^^<" + str(datatype) + ">"
    return ""


def dataset_to_quads(dataset: dict[str, list[dict[str, Any]]]) -> list[Quad]:
    quads: list[Quad] = []
    for graph_name, triples in dataset.items():
        if graph_name == "@default":
            graph = ""
        elif graph_name.startswith("_:"):
            graph = graph_name
        else:
            graph = "<" + graph_name + ">"
        for triple in triples:
            quads.append(
                (
                    _term(triple["subject"]),
                    _term(triple["predicate"]),
                    _term(triple["object"]),
                    graph,
                )
            )
    return quads


def quad_line(subject: str, predicate: str, obj: str, graph: str) -> str:
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"


def _first_degree_hash(blank_node: str, quads: list[Quad]) -> str:
    lines = []
    for subject, predicate, obj, graph in quads:
        if subject[:2] == "_:":
            subject = "_:a" if subject == blank_node else "_:z"
        if obj[:2] == "_:":
            obj = "_:a" if obj == blank_node else "_:z"
        if graph[:2] == "_:":
            graph = "_:a" if graph == blank_node else "_:z"
        lines.append(quad_line(subject, predicate, obj, graph))
    lines.sort()
    return hashlib.sha256("".join(lines).encode("utf-8")).hexdigest()


class NeedsFullCanonicalization(Exception):
    """Some blank nodes share a first-degree hash: the N-degree algorithm (pyld's) is needed."""


def canonical_nquads(quads: Iterable[Quad]) -> str:
    """RDFC-1.0 canonical N-Quads of a set of quads (see :func:`canonical_nquads_from_parts`)."""
    plain_lines: set[str] = set()
    blank_quads: set[Quad] = set()
    for quad in set(quads):
        if quad[0].startswith("_:") or quad[2].startswith("_:") or quad[3].startswith("_:"):
            blank_quads.add(quad)
        else:
            plain_lines.add(quad_line(*quad))
    return canonical_nquads_from_parts(list(blank_quads), list(plain_lines))


def canonical_nquads_from_parts(
    blank_quads: list[Quad],
    plain_lines: list[str],
    quads_by_blank_node: dict[str, tuple[int, ...]] | None = None,
) -> str:
    """RDFC-1.0 canonical N-Quads from distinct quads that mention blank nodes and the distinct
    N-Quads lines of the quads that do not (those need no relabelling, only sorting).

    When every blank node has a distinct first-degree hash (the usual case for credentials),
    RDFC-1.0 issues canonical labels in hash order and no N-degree hashing is needed; this is done
    here directly. Otherwise, within the blank-node budget, raises NeedsFullCanonicalization so
    the caller runs pyld's complete implementation on the original dataset.
    ``quads_by_blank_node`` (blank node -> indexes into ``blank_quads``) may be given when known.
    """
    if not blank_quads:
        plain_lines.sort()
        return "".join(plain_lines)
    if quads_by_blank_node is None:
        collected: dict[str, list[int]] = {}
        for index, quad in enumerate(blank_quads):
            for term in {quad[0], quad[2], quad[3]}:
                if term.startswith("_:"):
                    collected.setdefault(term, []).append(index)
        quads_by_blank_node = {node: tuple(indexes) for node, indexes in collected.items()}
    if len(quads_by_blank_node) > MAX_BLANK_NODES:
        raise CanonicalizationLimitError(
            f"The document has {len(quads_by_blank_node)} unnamed (blank) nodes; at most "
            f"{MAX_BLANK_NODES} are accepted, to keep canonicalisation bounded."
        )
    nodes_by_hash: dict[str, list[str]] = {}
    for node, indexes in quads_by_blank_node.items():
        digest = _first_degree_hash(node, [blank_quads[index] for index in indexes])
        nodes_by_hash.setdefault(digest, []).append(node)
    if len(nodes_by_hash) != len(quads_by_blank_node):
        raise NeedsFullCanonicalization
    labels = {
        nodes[0]: f"_:c14n{index}"
        for index, (_hash, nodes) in enumerate(sorted(nodes_by_hash.items()))
    }
    lines = plain_lines + [
        quad_line(
            labels.get(subject, subject),
            predicate,
            labels.get(obj, obj),
            labels.get(graph, graph),
        )
        for subject, predicate, obj, graph in blank_quads
    ]
    lines.sort()
    return "".join(lines)


class BoundedRDFC10(URDNA2015):
    """pyld's RDFC-1.0 with a work budget on N-degree hashing, as rdf-canonize has.

    Blank nodes that the first-degree hash cannot tell apart are told apart by Hash N-Degree
    Quads, which explores every ordering of related look-alike nodes: a small clique of fully
    linked look-alikes costs factorial time. rdf-canonize (Digital Bazaar) allows
    ``count ** maxWorkFactor`` runs of Hash N-Degree Quads, where ``count`` is the number of
    look-alike nodes, and refuses past it; this does the same with the same default (1), so both
    implementations accept and refuse the same datasets. Each run that goes on to another
    ordering recurses, so the count bounds the permutations explored too.
    """

    def __init__(self, work_factor: int = MAX_WORK_FACTOR) -> None:
        super().__init__()
        self.work_factor = work_factor
        self.remaining_deep_iterations: int | None = None

    def hash_n_degree_quads(self, id_: str, issuer: IdentifierIssuer) -> Any:
        if self.remaining_deep_iterations is None:
            # First call: the map now holds only the groups of look-alike nodes (step 5).
            lookalikes = sum(len(nodes) for nodes in self.hash_to_blank_nodes.values())
            self.remaining_deep_iterations = lookalikes**self.work_factor
        if self.remaining_deep_iterations <= 0:
            raise CanonicalizationLimitError(
                "The document has unnamed (blank) nodes that look alike and are linked so that "
                "telling them apart would take too much work; canonicalisation was stopped "
                "(dataset poisoning protection). Give the nodes ids or make them distinct."
            )
        self.remaining_deep_iterations -= 1
        return super().hash_n_degree_quads(id_, issuer)


def canonicalize_with_pyld(document: Any, loader: OfflineDocumentLoader = document_loader) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, computed from scratch (no shape cache).

    Any failure is a CredentialFormatError subclass, never another exception.
    """
    try:
        dataset = expanded_to_dataset(expand_strictly(document, loader))
        try:
            return canonical_nquads(dataset_to_quads(dataset))
        except NeedsFullCanonicalization:
            canonical: str = BoundedRDFC10().main(dataset, {"format": "application/n-quads"})
            return canonical
    except CredentialFormatError:
        raise
    except RecursionError:
        raise JsonLdProcessingError("The document is nested too deeply to process.") from None
    except Exception as error:  # every input must give a report, never a crash
        raise JsonLdProcessingError(
            f"The document cannot be processed as JSON-LD ({type(error).__name__}: "
            f"{_short(str(error))})."
        ) from error
