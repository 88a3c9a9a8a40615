"""The reference JSON-LD -> RDF -> RDFC-1.0 path on pyld, with the safety checks signing needs.

``canonicalize_with_pyld`` is the slow, general path: full JSON-LD expansion for every call. The
shape cache in :mod:`issuance.vc.canonical_cache` reuses its output per document shape; both
produce byte-identical N-Quads (the property tests compare them).

Safety checks (all raise, never drop silently):
- a property that does not expand to an absolute IRI (pyld ``on_property_dropped``), which would
  otherwise be left out of the signed data;
- an ``@id`` or ``@type`` that is not an absolute IRI or blank node (pyld drops such triples);
- too many blank nodes, or too many that RDFC-1.0 cannot tell apart cheaply (dataset poisoning).
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable
from typing import Any

from cachetools import LRUCache
from pyld import jsonld
from pyld.canon import URDNA2015
from pyld.identifier_issuer import IdentifierIssuer
from pyld.nquads import escape as escape_nquads_literal

from issuance.vc.contexts import OfflineDocumentLoader, document_loader
from issuance.vc.errors import (
    CanonicalizationLimitError,
    CredentialFormatError,
    JsonLdProcessingError,
    RelativeReferenceError,
    UndefinedTermError,
)

# A credential with a few dozen unnamed nodes is normal (alignments, results, proof); thousands
# of blank nodes only occur in documents built to make canonicalisation slow.
MAX_BLANK_NODES = 1024
# Blank nodes that the first-degree hash cannot tell apart need the N-degree algorithm, whose cost
# grows factorially with the size of such groups.
MAX_INDISTINGUISHABLE_BLANK_NODES = 24

RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# pyld's own test for an absolute IRI (or blank node id) when it converts to RDF.
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*|_):[^\s]*$")

# One quad as four N-Quads terms (subject, predicate, object, graph name or "").
Quad = tuple[str, str, str, str]


def normalise_json_numbers(value: Any) -> Any:
    """Return ``value`` with integral floats turned into ints, as JSON (and JavaScript) reads them.

    JSON has a single number type: ``5.0`` and ``5`` are the same number, and jsonld.js turns
    both into ``"5"^^xsd:integer``. pyld would turn the Python float into ``"5.0E0"^^xsd:double``
    and the signature would no longer verify elsewhere.
    """
    if isinstance(value, dict):
        return {key: normalise_json_numbers(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalise_json_numbers(item) for item in value]
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _raise_on_dropped_property(expanded_property: str | None) -> None:
    raise UndefinedTermError(
        f"The property {expanded_property!r} is not defined by any of the document's JSON-LD "
        "contexts, so it would not be covered by the signature. Define it in a context or "
        "remove it."
    )


def _check_references(expanded: Any) -> None:
    stack = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@value" in item:
                datatype = item.get("@type")
                if (
                    datatype is not None
                    and datatype != "@json"
                    and not ABSOLUTE_IRI.match(datatype)
                ):
                    raise RelativeReferenceError(
                        f"The datatype {datatype!r} is not an absolute IRI."
                    )
                continue
            node_id = item.get("@id")
            if isinstance(node_id, str) and not ABSOLUTE_IRI.match(node_id):
                raise RelativeReferenceError(
                    f"The id {node_id!r} is not an absolute IRI, so statements about it would be "
                    "dropped from the signed data. Use a full URL, URN or DID."
                )
            for node_type in item.get("@type", ()):
                if not ABSOLUTE_IRI.match(node_type):
                    raise RelativeReferenceError(
                        f"The type {node_type!r} is not defined by the document's JSON-LD "
                        "contexts, so it would be dropped from the signed data."
                    )
            for key, value in item.items():
                if key not in ("@id", "@type", "@context"):
                    stack.append(value)


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


class MemoizingJsonLdProcessor(jsonld.JsonLdProcessor):
    """pyld's processor, reusing processed non-propagating scoped contexts."""

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


def expand_strictly(document: Any, loader: OfflineDocumentLoader = document_loader) -> list[Any]:
    """JSON-LD expansion that refuses undefined terms and relative references."""
    processor = MemoizingJsonLdProcessor(on_property_dropped=_raise_on_dropped_property)
    options = {
        "documentLoader": loader,
        "contextResolver": loader.new_context_resolver(),
        # No base IRI: relative references must stay relative so they are detected and refused
        # (with an empty base pyld would resolve them against http://example.org/base/).
        "base": None,
    }
    try:
        expanded: list[Any] = processor.expand(normalise_json_numbers(document), options)
    except CredentialFormatError:
        raise
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
        "rdfDirection": None,
    }
    dataset: dict[str, list[dict[str, Any]]] = {}
    for graph_name, graph in sorted(node_map.items()):
        if graph_name == "@default" or ABSOLUTE_IRI.match(graph_name):
            dataset[graph_name] = processor._graph_to_rdf(graph, issuer, options)
    return dataset


_NEEDS_ESCAPE = re.compile(r'[\\\t\n\r"]')
# Control characters that RDFC-1.0 writes as \b, \f or \uXXXX. pyld 3.3 writes them raw, so a
# document holding them would hash differently here and in conforming implementations.
_UNPORTABLE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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


def blank_nodes_of(quads: Iterable[Quad]) -> set[str]:
    found: set[str] = set()
    for subject, _predicate, obj, graph in quads:
        if subject.startswith("_:"):
            found.add(subject)
        if obj.startswith("_:"):
            found.add(obj)
        if graph.startswith("_:"):
            found.add(graph)
    return found


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
        shared = sum(len(nodes) for nodes in nodes_by_hash.values() if len(nodes) > 1)
        if shared > MAX_INDISTINGUISHABLE_BLANK_NODES:
            raise CanonicalizationLimitError(
                f"The document has {shared} unnamed nodes that look alike; at most "
                f"{MAX_INDISTINGUISHABLE_BLANK_NODES} are accepted, to keep canonicalisation "
                "bounded (dataset poisoning protection)."
            )
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


def canonicalize_with_pyld(document: Any, loader: OfflineDocumentLoader = document_loader) -> str:
    """RDFC-1.0 N-Quads of a JSON-LD document, computed from scratch (no shape cache)."""
    dataset = expanded_to_dataset(expand_strictly(document, loader))
    try:
        return canonical_nquads(dataset_to_quads(dataset))
    except NeedsFullCanonicalization:
        canonical: str = URDNA2015().main(dataset, {"format": "application/n-quads"})
        return canonical
