"""Fast RDFC-1.0 canonicalisation by reusing JSON-LD expansion per document *shape*.

Nearly all of the cost of canonicalising a credential is JSON-LD expansion, and credentials of
one programme differ only in their literal values. The *shape* of a document is its structure
with every string value masked (keys, ``@context``, ``type`` values, numbers and booleans stay as
they are, because they change how the document expands). For each shape we expand once a
*template* in which every masked string is a unique placeholder, and record where each placeholder
lands in the resulting quads. Another document of the same shape then only needs its strings
substituted into those quads (escaped as N-Quads literals, or as IRIs), followed by RDFC-1.0
labelling (:func:`credential_format.rdf.canonical_nquads`).

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
Correctness never depends on a cache hit: a shape's first sighting, an uncacheable shape or an
ineligible document all run :func:`credential_format.rdf.canonicalize_with_pyld`. A template is built on
a shape's second sighting, so one-off documents never pay for building one.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from hashlib import sha256
from typing import Any

from cachetools import LRUCache

from credential_format.contexts import OfflineDocumentLoader, document_loader
from credential_format.errors import (
    CredentialFormatError,
    DocumentLimitError,
    JsonLdProcessingError,
)
from credential_format.rdf import (
    IRI_FORBIDDEN,
    MAX_BLANK_NODES,
    XSD_DOUBLE,
    NeedsFullCanonicalization,
    Quad,
    canonical_nquads_from_parts,
    canonicalize_with_pyld,
    check_portable_number,
    escape_literal,
    expand_strictly,
    expanded_to_dataset,
    literal_suffix,
)

SHAPE_CACHE_SIZE = 2048
# Leaves whose values must be part of the key (see ShapeCache._build_template); each multiplies
# the number of templates per shape, so a shape needing more is not cached.
MAX_PINNED_LEAVES = 4
MAX_NESTING_DEPTH = 64

# The same class of absolute IRIs that the full path accepts (credential_format.rdf.ABSOLUTE_IRI): a
# string with other characters is masked as text, so in an IRI position it is not substituted
# but sends the shape to the full path, which refuses it.
_IRI_LIKE = re.compile(r"^([A-Za-z][A-Za-z0-9+\-.]*):[^" + IRI_FORBIDDEN + "]*$")
_DOUBLE_SUFFIX = "^^<" + XSD_DOUBLE + ">"
# Keys whose values change how a document expands, so they belong to the shape.
_STRUCTURAL_KEYS = frozenset({"@context", "type", "@type"})

# Markers in the shape key (keys and structural values are strings, markers are integers).
_DICT_OPEN, _DICT_CLOSE, _LIST_OPEN, _LIST_CLOSE, _TEXT_LEAF, _SCALAR = 0, 1, 2, 3, 4, 5
# IRI-like strings are marked by their scheme, interned to integers from here on.
_FIRST_SCHEME = 16
_MASKED_KEYWORDS = frozenset({"@id", "@value"})


class _NotEligible(Exception):
    """The document cannot use the shape cache (e.g. it embeds a context)."""


def _too_deep() -> DocumentLimitError:
    return DocumentLimitError(f"The document is nested more than {MAX_NESTING_DEPTH} levels deep.")


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
    """A compiled template (see :func:`_compile`).

    ``fill(leaves)`` returns the escaped literal leaves (computed once), the lines of the quads
    without blank nodes, one line per quad with blank nodes under the template's own labels (to
    detect statements that collapse), and for each blank node the lines its RDFC-1.0 first-degree
    hash is computed over. ``relabel(leaves, escaped, labels)`` returns the blank-node quads' lines
    under the canonical labels; ``quads(leaves)`` returns them as terms for the general algorithm.
    """

    fill: Callable[[list[str]], tuple[tuple[str, ...], list[str], list[str], tuple[list[str], ...]]]
    relabel: Callable[[list[str], tuple[str, ...], list[str]], list[str]]
    quads: Callable[[list[str]], list[Quad]]

    def canonicalize(self, leaves: list[str]) -> str:
        escaped, lines_with_duplicates, identity_lines, first_degree_lines = self.fill(leaves)
        # RDF is a set: statements that became equal (one institution both issuer and awarding
        # body, two equal values) count once.
        plain_lines = list(set(lines_with_duplicates))
        if len(set(identity_lines)) != len(identity_lines):
            # Statements about unnamed nodes collapsed: which quads belong to which node changed,
            # so take the general algorithm.
            return canonical_nquads_from_parts(list(set(self.quads(leaves))), plain_lines)
        if not first_degree_lines:
            plain_lines.sort()
            return "".join(plain_lines)
        hashes = []
        for lines in first_degree_lines:
            lines.sort()
            hashes.append(sha256("".join(lines).encode("utf-8")).hexdigest())
        if len(set(hashes)) != len(hashes):
            # Look-alike blank nodes: the general algorithm applies the limits and decides.
            return canonical_nquads_from_parts(self.quads(leaves), plain_lines)
        labels = [""] * len(hashes)
        for rank, node in enumerate(sorted(range(len(hashes)), key=hashes.__getitem__)):
            labels[node] = f"_:c14n{rank}"
        lines = plain_lines + self.relabel(leaves, escaped, labels)
        lines.sort()
        return "".join(lines)


_UNCACHEABLE = object()


class ShapeCache:
    """A bounded, thread-safe LRU of templates keyed by document shape."""

    def __init__(
        self, loader: OfflineDocumentLoader = document_loader, size: int = SHAPE_CACHE_SIZE
    ) -> None:
        self._loader = loader
        self._known_context_urls = loader.urls
        self._templates: LRUCache[tuple[Any, ...], Any] = LRUCache(maxsize=size)
        self._seen_once: LRUCache[tuple[Any, ...], bool] = LRUCache(maxsize=size)
        self._lock = threading.Lock()
        self._nonce = secrets.token_hex(8)
        self._scheme_tokens: dict[str, int] = {}
        self.hits = 0
        self.misses = 0

    def clear(self) -> None:
        with self._lock:
            self._templates.clear()
            self._seen_once.clear()
            self.hits = self.misses = 0

    def canonicalize(self, document: Any) -> str:
        """RDFC-1.0 N-Quads, byte-identical to :func:`canonicalize_with_pyld`.

        Any failure is a CredentialFormatError subclass, never another exception.
        """
        try:
            return self._canonicalize(document)
        except CredentialFormatError:
            raise
        except RecursionError:
            raise JsonLdProcessingError("The document is nested too deeply to process.") from None
        except Exception as error:  # every input gives a report, never a crash
            raise JsonLdProcessingError(
                f"The document cannot be processed as JSON-LD ({type(error).__name__})."
            ) from error

    def _canonicalize(self, document: Any) -> str:
        try:
            shape, leaves = self._shape_of(document)
        except _NotEligible:
            return canonicalize_with_pyld(document, self._loader)
        key: tuple[Any, ...] = shape
        pinned: frozenset[int] = frozenset()
        with self._lock:
            template = self._templates.get(shape)
            if isinstance(template, _Pinned):
                pinned = template.leaf_indices
                key = _pinned_key(shape, leaves, pinned)
                template = self._templates.get(key)
            if template is not None:
                self.hits += 1
        if template is None:
            with self._lock:
                self.misses += 1
                seen_before = self._seen_once.pop(key, False)
                if not seen_before:
                    self._seen_once[key] = True
            if not seen_before:
                # A shape met once (a one-off credential from elsewhere) does not repay building
                # and compiling a template: only its second sighting does.
                return canonicalize_with_pyld(document, self._loader)
            template, found = self._build_template(document, leaves, pinned)
            with self._lock:
                if found != pinned:
                    self._templates[shape] = _Pinned(found)
                    key = _pinned_key(shape, leaves, found)
                self._templates[key] = template
        if template is _UNCACHEABLE:
            return canonicalize_with_pyld(document, self._loader)
        assert isinstance(template, _Template)
        try:
            return template.canonicalize(leaves)
        except NeedsFullCanonicalization:
            return canonicalize_with_pyld(document, self._loader)

    # -- shape -------------------------------------------------------------------------------

    def _shape_of(self, document: Any) -> tuple[tuple[Any, ...], list[str]]:
        """The shape key and the string leaves in document order.

        The key is a flat token sequence that parses one way only: keys and structural values
        (``@context``, ``type``...) are strings, and every other token is an integer: container
        markers, a masked string's class (plain text, or an IRI of a given scheme), or a scalar
        marker followed by the scalar's repr. Written as closures with local bindings, since it
        runs for every document signed.
        """
        tokens: list[Any] = []
        leaves: list[str] = []
        add = tokens.append
        add_leaf = leaves.append
        iri_like = _IRI_LIKE.match
        structural_keys = _STRUCTURAL_KEYS
        scheme_tokens = self._scheme_tokens
        check_context = self._check_context
        masked_keywords = _MASKED_KEYWORDS
        text_leaf, dict_open, dict_close, list_open, list_close = (
            _TEXT_LEAF,
            _DICT_OPEN,
            _DICT_CLOSE,
            _LIST_OPEN,
            _LIST_CLOSE,
        )

        def scalar(value: Any) -> None:
            kind = type(value)
            if kind is float and value.is_integer() and abs(value) < 1e21:
                add(_SCALAR)
                add(repr(int(value)))
            elif kind is int or kind is float:
                check_portable_number(value)
                add(_SCALAR)
                add(kind.__name__ + repr(value))
            elif kind is bool or value is None:
                add(_SCALAR)
                add(kind.__name__ + repr(value))
            else:
                # Subclasses (OrderedDict, str enums...) are rare: the full path handles them.
                raise _NotEligible

        def walk_list(value: list[Any], depth: int, structural: bool) -> None:
            if depth > MAX_NESTING_DEPTH:
                raise _too_deep()
            add(list_open)
            for item in value:
                kind = type(item)
                if kind is str:
                    if structural:
                        add(item)
                    else:
                        iri = iri_like(item) if ":" in item else None
                        if iri is None:
                            add(text_leaf)
                        else:
                            scheme = iri.group(1)
                            add(scheme_tokens.get(scheme) or self._scheme_token(scheme))
                        add_leaf(item)
                elif kind is dict:
                    walk_dict(item, depth + 1)
                elif kind is list:
                    walk_list(item, depth + 1, structural)
                else:
                    scalar(item)
            add(list_close)

        def walk_dict(value: dict[str, Any], depth: int) -> None:
            if depth > MAX_NESTING_DEPTH:
                raise _too_deep()
            add(dict_open)
            for key, item in value.items():
                add(key)
                if key == "@context":
                    # Only the shipped contexts, named by URL: anything else takes the full path.
                    check_context(item)
                    add(repr(item))
                    continue
                kind = type(item)
                if kind is str:
                    if key in structural_keys or (key[:1] == "@" and key not in masked_keywords):
                        add(item)
                    else:
                        iri = iri_like(item) if ":" in item else None
                        if iri is None:
                            add(text_leaf)
                        else:
                            scheme = iri.group(1)
                            add(scheme_tokens.get(scheme) or self._scheme_token(scheme))
                        add_leaf(item)
                elif kind is dict:
                    walk_dict(item, depth + 1)
                elif kind is list:
                    walk_list(
                        item,
                        depth + 1,
                        key in structural_keys or (key[:1] == "@" and key not in masked_keywords),
                    )
                else:
                    scalar(item)
            add(dict_close)

        if type(document) is not dict:
            raise _NotEligible
        walk_dict(document, 0)
        return tuple(tokens), leaves

    def _scheme_token(self, scheme: str) -> int:
        with self._lock:
            return self._scheme_tokens.setdefault(scheme, _FIRST_SCHEME + len(self._scheme_tokens))

    @staticmethod
    def _structural_key(key: str) -> bool:
        return key in _STRUCTURAL_KEYS or (key[:1] == "@" and key not in _MASKED_KEYWORDS)

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

    def _template_document(
        self, value: Any, counter: list[int], *, structural: bool, pinned: frozenset[int]
    ) -> Any:
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                if key == "@context":
                    result[key] = item
                    continue
                result[key] = self._template_document(
                    item, counter, structural=self._structural_key(key), pinned=pinned
                )
            return result
        if isinstance(value, list):
            return [
                self._template_document(item, counter, structural=structural, pinned=pinned)
                for item in value
            ]
        if isinstance(value, str) and not structural:
            index = counter[0]
            counter[0] += 1
            return value if index in pinned else self._placeholder(index, value)
        return value

    def _build_template(
        self, document: Any, leaves: list[str], pinned: frozenset[int]
    ) -> tuple[Any, frozenset[int]]:
        """Compile the template for this shape, and the leaves that must stay in the key.

        A leaf whose placeholder does not come out of expansion unchanged (a value of an
        ``@type: @vocab`` term such as ``proofPurpose``, which expands to a vocabulary IRI) is
        *pinned*: its value joins the cache key and stays literal in the template.
        """
        placeholder_index = re.compile(rf"ph-{self._nonce}-(\d+)")
        for _attempt in range(MAX_PINNED_LEAVES + 1):
            if len(pinned) > MAX_PINNED_LEAVES:
                break
            counter = [0]
            template_document = self._template_document(
                document, counter, structural=False, pinned=pinned
            )
            try:
                dataset = expanded_to_dataset(expand_strictly(template_document, self._loader))
            except CredentialFormatError as error:
                implicated = {int(i) for i in placeholder_index.findall(str(error))}
                if not implicated:
                    break
                pinned = pinned | implicated
                continue
            compiled, implicated = self._template_quads(dataset, leaves, pinned, placeholder_index)
            if not implicated:
                return compiled, pinned
            pinned = pinned | implicated
        return _UNCACHEABLE, pinned

    def _template_quads(
        self,
        dataset: dict[str, list[dict[str, Any]]],
        leaves: list[str],
        pinned: frozenset[int],
        placeholder_index: re.Pattern[str],
    ) -> tuple[Any, set[int]]:
        """The compiled template, or the leaves whose placeholders did not survive intact."""
        placeholders = {
            self._placeholder(index, value): index
            for index, value in enumerate(leaves)
            if index not in pinned
        }
        seen: set[int] = set()
        implicated: set[int] = set()
        quads: list[_TemplateQuad] = []
        for graph_name, triples in dataset.items():
            graph_term = _graph_term(graph_name)
            implicated.update(int(i) for i in placeholder_index.findall(graph_term))
            for triple in triples:
                terms: list[_TemplateTerm] = []
                for position in ("subject", "predicate", "object"):
                    component = triple[position]
                    term = _template_term(component, placeholders, self._nonce)
                    if term is None:
                        implicated.update(
                            int(i) for i in placeholder_index.findall(repr(component))
                        )
                        term = ""
                    elif isinstance(term, _Slot):
                        seen.add(term.leaf_index)
                    terms.append(term)
                quads.append((terms[0], terms[1], terms[2], graph_term))
        implicated.update(set(placeholders.values()) - seen)
        if implicated:
            return _UNCACHEABLE, implicated
        return _compile(quads), implicated


def _pinned_key(
    shape: tuple[Any, ...], leaves: list[str], pinned: frozenset[int]
) -> tuple[Any, ...]:
    return (shape, tuple(leaves[index] for index in sorted(pinned)))


@dataclass(frozen=True)
class _Pinned:
    """Marks a shape whose templates also depend on the values of some leaves."""

    leaf_indices: frozenset[int]


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
    if value in placeholders and suffix == _DOUBLE_SUFFIX:
        # A string typed xsd:double is rewritten to its canonical form ("1.5" -> "1.5E0"), which
        # the placeholder does not show: pin the leaf (its value joins the key).
        return None
    if value in placeholders:
        return _Slot(placeholders[value], is_iri=False, suffix=suffix)
    if nonce in value:
        return None
    return '"' + escape_literal(value) + '"' + suffix


def _term_expression(term: _TemplateTerm, blank_node: Callable[[str], str]) -> str:
    """Python source for one term, as a separate value (for ``quads``)."""
    if isinstance(term, _Slot):
        if term.is_iri:
            return f"'<' + leaves[{term.leaf_index}] + '>'"
        closing = repr('"' + term.suffix)
        return f"'\"' + escape(leaves[{term.leaf_index}]) + {closing}"
    if term.startswith("_:"):
        return blank_node(term)
    return repr(term)


def _line_expression(
    quad: _TemplateQuad, blank_node: Callable[[str], str], escaped_position: dict[int, int]
) -> str:
    """Python source of an f-string that builds the quad's N-Quads line in one allocation.

    Constant text has its braces doubled; the only expressions are lookups of leaves, of escaped
    literal leaves (``escaped``, computed once per document) and of blank-node labels.
    """
    pattern = []
    for position, term in enumerate(quad):
        if position == 3 and not term:
            break
        if position:
            pattern.append(" ")
        if isinstance(term, _Slot):
            if term.is_iri:
                pattern.append(f"<{{leaves[{term.leaf_index}]}}>")
            else:
                suffix = term.suffix.replace("{", "{{").replace("}", "}}")
                pattern.append(f'"{{escaped[{escaped_position[term.leaf_index]}]}}"{suffix}')
        elif term.startswith("_:"):
            pattern.append(blank_node(term))
        else:
            pattern.append(term.replace("{", "{{").replace("}", "}}"))
    pattern.append(" .\n")
    return "f" + repr("".join(pattern))


def _first_degree_label(reference: str, node: str) -> str:
    return "_:a" if node == reference else "_:z"


def _compile(quads: list[_TemplateQuad]) -> Any:
    """Generate the template's functions (see :class:`_Template`).

    Only constants taken from pyld's own output (embedded with ``repr``) and leaf indexes go into
    the generated source, so document content cannot steer it.
    """
    blank_nodes = sorted(
        {term for quad in quads for term in quad if isinstance(term, str) and term[:2] == "_:"}
    )
    if len(blank_nodes) > MAX_BLANK_NODES:
        return _UNCACHEABLE
    number = {node: index for index, node in enumerate(blank_nodes)}
    literal_leaves = sorted(
        {t.leaf_index for quad in quads for t in quad if isinstance(t, _Slot) and not t.is_iri}
    )
    position = {leaf: index for index, leaf in enumerate(literal_leaves)}
    plain, identity, relabelled, as_terms = [], [], [], []
    first_degree: list[list[str]] = [[] for _ in blank_nodes]
    for quad in quads:
        mentioned = {t for t in quad if isinstance(t, str) and t[:2] == "_:"}
        if not mentioned:
            plain.append(_line_expression(quad, str, position))
            continue
        identity.append(_line_expression(quad, str, position))
        relabelled.append(
            _line_expression(quad, lambda node: f"{{labels[{number[node]}]}}", position)
        )
        as_terms.append(f"({', '.join(_term_expression(t, repr) for t in quad)})")
        for node in mentioned:
            first_degree[number[node]].append(
                _line_expression(quad, partial(_first_degree_label, node), position)
            )
    per_node = "".join(f"[{', '.join(lines)}], " for lines in first_degree)
    escapes = "".join(f"escape(leaves[{leaf}]), " for leaf in literal_leaves)
    source = (
        "def fill(leaves):\n"
        f"    escaped = ({escapes})\n"
        f"    return escaped, [{', '.join(plain)}], [{', '.join(identity)}], ({per_node})\n"
        "def relabel(leaves, escaped, labels):\n"
        f"    return [{', '.join(relabelled)}]\n"
        "def quads(leaves):\n"
        f"    return [{', '.join(as_terms)}]\n"
    )
    namespace: dict[str, Any] = {"escape": escape_literal}
    exec(compile(source, "<shape template>", "exec"), namespace)  # noqa: S102
    return _Template(fill=namespace["fill"], relabel=namespace["relabel"], quads=namespace["quads"])


default_shape_cache = ShapeCache()

canonicalize_cached: Callable[[Any], str] = default_shape_cache.canonicalize
