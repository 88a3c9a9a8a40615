"""Fast RDFC-1.0 canonicalisation by reusing JSON-LD expansion per document *shape*.

Nearly all of the cost of canonicalising a credential is JSON-LD expansion, and credentials of
one programme differ only in their literal values. The *shape* of a document is its structure
with every string value masked (keys, ``@context``, ``type`` values, numbers and booleans stay as
they are, because they change how the document expands). For each shape we expand once a
*template* in which every masked string is a unique placeholder, and record where each placeholder
lands in the resulting quads. Another document of the same shape then only needs its strings
substituted into those quads (escaped as N-Quads literals, or as IRIs), followed by RDFC-1.0
labelling (:func:`issuance.vc.rdf.canonical_nquads`).

Why this is exact, and where it refuses to guess:
- A string that lands in a literal position appears verbatim as the lexical form whatever its
  value, so any value can be substituted there.
- A string that lands in an IRI position (``id`` values, ``@type: @id`` terms) is substituted
  only when it is an absolute IRI whose scheme is part of the shape: the placeholder then uses
  the same scheme, so JSON-LD IRI expansion treats both alike (identity, unless the scheme is a
  defined prefix, in which case the placeholder does not survive and the shape is not cached).
- Each placeholder must appear, and only ever as a whole IRI (a node id is the subject of each of
  its statements) or a whole literal value; a shape where that does not hold (JSON literals,
  language tags, anything unexpected) is marked uncacheable and always takes the full path.
- Documents with inline (embedded) contexts always take the full path.
- Undefined terms and relative references depend only on the shape, so a template that fails
  the strict checks is not cached and the real document goes through the full path, which
  raises the authoritative error.
Correctness never depends on a cache hit: a miss, an uncacheable shape or an ineligible document
all run :func:`issuance.vc.rdf.canonicalize_with_pyld`.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cachetools import LRUCache

from issuance.vc.contexts import OfflineDocumentLoader, document_loader
from issuance.vc.errors import CredentialFormatError, DocumentLimitError
from issuance.vc.rdf import (
    MAX_BLANK_NODES,
    NeedsFullCanonicalization,
    canonical_nquads,
    canonicalize_with_pyld,
    escape_literal,
    expand_strictly,
    expanded_to_dataset,
    literal_suffix,
)

SHAPE_CACHE_SIZE = 2048
MAX_NESTING_DEPTH = 64

_IRI_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*):[^\s]*$")
# Keys whose values change how a document expands, so they belong to the shape.
_STRUCTURAL_KEYS = frozenset({"@context", "type", "@type"})

_DICT_OPEN = "\x02"
_DICT_CLOSE = "\x03"
_LIST_OPEN = "\x04"
_LIST_CLOSE = "\x05"


class _NotEligible(Exception):
    """The document cannot use the shape cache (e.g. it embeds a context)."""


@dataclass(frozen=True)
class _Slot:
    """Where a substituted string goes: as an IRI, or as a literal followed by ``suffix``."""

    leaf_index: int
    is_iri: bool
    suffix: str


# A template term is either a fixed N-Quads term or a slot to fill in.
_TemplateTerm = str | _Slot
_TemplateQuad = tuple[_TemplateTerm, _TemplateTerm, _TemplateTerm, _TemplateTerm]


@dataclass(frozen=True)
class _Template:
    quads: tuple[_TemplateQuad, ...]
    iri_leaves: frozenset[int]


_UNCACHEABLE = object()


class ShapeCache:
    """A bounded, thread-safe LRU of templates keyed by document shape."""

    def __init__(
        self, loader: OfflineDocumentLoader = document_loader, size: int = SHAPE_CACHE_SIZE
    ) -> None:
        self._loader = loader
        self._known_context_urls = loader.urls
        self._templates: LRUCache[tuple[str, ...], Any] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self._nonce = secrets.token_hex(8)
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._templates.clear()
            self.hits = self.misses = 0

    def canonicalize(self, document: Any) -> str:
        """RDFC-1.0 N-Quads, byte-identical to :func:`canonicalize_with_pyld`."""
        try:
            shape, leaves = self._shape_of(document)
        except _NotEligible:
            return canonicalize_with_pyld(document, self._loader)
        with self._lock:
            template = self._templates.get(shape)
        if template is None:
            with self._lock:
                self.misses += 1
            template = self._build_template(document, leaves)
            with self._lock:
                self._templates[shape] = template
        else:
            with self._lock:
                self.hits += 1
        if template is _UNCACHEABLE:
            return canonicalize_with_pyld(document, self._loader)
        assert isinstance(template, _Template)
        try:
            return canonical_nquads(_fill(template, leaves))
        except NeedsFullCanonicalization:
            return canonicalize_with_pyld(document, self._loader)

    # -- shape -------------------------------------------------------------------------------

    def _shape_of(self, document: Any) -> tuple[tuple[str, ...], list[str]]:
        tokens: list[str] = []
        leaves: list[str] = []
        self._walk(document, tokens, leaves, 0, structural=False)
        return tuple(tokens), leaves

    def _walk(
        self, value: Any, tokens: list[str], leaves: list[str], depth: int, *, structural: bool
    ) -> None:
        if depth > MAX_NESTING_DEPTH:
            raise DocumentLimitError(
                f"The document is nested more than {MAX_NESTING_DEPTH} levels deep."
            )
        if isinstance(value, dict):
            tokens.append(_DICT_OPEN)
            for key, item in value.items():
                tokens.append("\x01" + key)
                if key == "@context":
                    self._check_context(item)
                    tokens.append("\x07" + repr(item))
                    continue
                is_structural = key in _STRUCTURAL_KEYS or (
                    key.startswith("@") and key not in ("@id", "@value")
                )
                self._walk(item, tokens, leaves, depth + 1, structural=is_structural)
            tokens.append(_DICT_CLOSE)
        elif isinstance(value, list):
            tokens.append(_LIST_OPEN)
            for item in value:
                self._walk(item, tokens, leaves, depth + 1, structural=structural)
            tokens.append(_LIST_CLOSE)
        elif isinstance(value, str):
            if structural:
                tokens.append("\x07" + value)
                return
            iri = _IRI_LIKE.match(value)
            tokens.append("\x06" + iri.group(1) if iri else "\x06")
            leaves.append(value)
        elif isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
            tokens.append("\x07" + repr(int(value)))
        else:
            tokens.append("\x07" + type(value).__name__ + repr(value))

    def _check_context(self, context: Any) -> None:
        urls = context if isinstance(context, list) else [context]
        for url in urls:
            if not isinstance(url, str) or url not in self._known_context_urls:
                raise _NotEligible

    # -- template ----------------------------------------------------------------------------

    def _placeholder(self, index: int, value: str) -> str:
        iri = _IRI_LIKE.match(value)
        if iri:
            return f"{iri.group(1)}:ph-{self._nonce}-{index}"
        return f"ph-{self._nonce}-{index}"

    def _template_document(self, value: Any, counter: list[int], *, structural: bool) -> Any:
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                if key == "@context":
                    result[key] = item
                    continue
                is_structural = key in _STRUCTURAL_KEYS or (
                    key.startswith("@") and key not in ("@id", "@value")
                )
                result[key] = self._template_document(item, counter, structural=is_structural)
            return result
        if isinstance(value, list):
            return [self._template_document(item, counter, structural=structural) for item in value]
        if isinstance(value, str) and not structural:
            index = counter[0]
            counter[0] += 1
            return self._placeholder(index, value)
        return value

    def _build_template(self, document: Any, leaves: list[str]) -> Any:
        template_document = self._template_document(document, [0], structural=False)
        try:
            dataset = expanded_to_dataset(expand_strictly(template_document, self._loader))
        except CredentialFormatError:
            return _UNCACHEABLE
        placeholders = {
            self._placeholder(index, value): index for index, value in enumerate(leaves)
        }
        seen: set[int] = set()
        iri_leaves: set[int] = set()
        quads: list[_TemplateQuad] = []
        for graph_name, triples in dataset.items():
            graph_term = _graph_term(graph_name)
            if self._nonce in graph_term:
                return _UNCACHEABLE
            for triple in triples:
                terms: list[_TemplateTerm] = []
                for position in ("subject", "predicate", "object"):
                    component = triple[position]
                    term = _template_term(component, placeholders, self._nonce)
                    if term is None:
                        return _UNCACHEABLE
                    if isinstance(term, _Slot):
                        seen.add(term.leaf_index)
                        if term.is_iri:
                            iri_leaves.add(term.leaf_index)
                    terms.append(term)
                quads.append((terms[0], terms[1], terms[2], graph_term))
        if len(seen) != len(leaves):
            return _UNCACHEABLE
        blank_nodes = {
            term
            for quad in quads
            for term in quad
            if isinstance(term, str) and term.startswith("_:")
        }
        if len(blank_nodes) > MAX_BLANK_NODES:
            return _UNCACHEABLE
        return _Template(quads=tuple(quads), iri_leaves=frozenset(iri_leaves))


def _graph_term(graph_name: str) -> str:
    if graph_name == "@default":
        return ""
    if graph_name.startswith("_:"):
        return graph_name
    return "<" + graph_name + ">"


def _template_term(
    component: dict[str, Any], placeholders: dict[str, int], nonce: str
) -> _TemplateTerm | None:
    """The template term for one quad component, or None when the shape cannot be cached."""
    value = str(component["value"])
    if component["type"] == "blank node":
        return str(value)
    if component["type"] == "IRI":
        if value in placeholders:
            return _Slot(placeholders[value], is_iri=True, suffix="")
        return None if nonce in value else "<" + value + ">"
    suffix = literal_suffix(component)
    if nonce in suffix:
        return None
    if value in placeholders:
        return _Slot(placeholders[value], is_iri=False, suffix=suffix)
    if nonce in value:
        return None
    return '"' + escape_literal(value) + '"' + suffix


def _fill(template: _Template, leaves: list[str]) -> list[tuple[str, str, str, str]]:
    def term(part: _TemplateTerm) -> str:
        if isinstance(part, str):
            return part
        value = leaves[part.leaf_index]
        if part.is_iri:
            return "<" + value + ">"
        return '"' + escape_literal(value) + '"' + part.suffix

    return [(term(s), term(p), term(o), term(g)) for s, p, o, g in template.quads]


default_shape_cache = ShapeCache()

canonicalize_cached: Callable[[Any], str] = default_shape_cache.canonicalize
