"""The statements a verdict rests on must be the statements that were signed.

A Data Integrity proof signs the RDF dataset of a credential, not its JSON text, and JSON-LD
offers many spellings of one dataset: a property can sit under ``@nest``, under its full IRI,
under a compact IRI or an alias from an inline context, or on a copy of the node in
``@included``. The verifier reads the plain JSON keys (``credentialStatus``, ``validUntil``...),
so a holder could move the status entry or the expiry date to another spelling: the signature
still holds, the plain key is gone, and a revoked or expired credential would verify.

So a credential is judged only when it is in the plain form its own contexts produce
(docs/decisions/verdicts-from-the-signed-dataset.md):

1. :func:`unplain_keys` refuses, anywhere in the document, the JSON-LD keywords that move
   statements to another node or another spelling (``@nest``, ``@included``, ``@reverse``,
   ``@graph``, ``@id``/``@type`` instead of ``id``/``type``), and in a proof any key that is not a
   plain Data Integrity proof option;
2. :func:`hidden_statements` compares what the verifier reads from the plain keys with what the
   signed dataset (the canonical N-Quads the proof covers) states about the credential: its id,
   types, issuer, subjects, validity dates and status entries. Any difference (a value only in
   the dataset, or only in the JSON) means the document is not in plain form, and it is refused.

Both are pure functions of the document and its canonical N-Quads, so they cost a pass over the
JSON and a scan of the N-Quads lines; no second JSON-LD run.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CRED = "https://www.w3.org/2018/credentials#"
STATUS = "https://www.w3.org/ns/credentials/status#"
OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"

# Types the verifier acts on, by the term a plain document uses for them.
KNOWN_TYPES = {
    "VerifiableCredential": CRED + "VerifiableCredential",
    "OpenBadgeCredential": OB + "OpenBadgeCredential",
    "AchievementCredential": OB + "OpenBadgeCredential",
    "BitstringStatusListCredential": STATUS + "BitstringStatusListCredential",
}
DATE_TERMS = ("validFrom", "validUntil", "issuanceDate", "expirationDate")
STATUS_TERMS = ("statusPurpose", "statusListIndex", "statusListCredential", "statusSize")

# Keys that move statements to another node, or spell a checked term another way.
_UNPLAIN_KEYWORDS = frozenset({"@nest", "@included", "@reverse", "@graph", "@id"})
# The options of a Data Integrity proof (and of an Ed25519Signature2020 proof), in plain form.
PROOF_KEYS = frozenset(
    {
        "@context",
        "id",
        "type",
        "cryptosuite",
        "created",
        "expires",
        "verificationMethod",
        "proofPurpose",
        "proofValue",
        "challenge",
        "domain",
        "nonce",
        "previousProof",
    }
)

_TERM = r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:\^\^<[^>]*>|@[A-Za-z0-9-]+)?)'
_LITERAL = re.compile(r'^"((?:[^"\\]|\\.)*)"(?:\^\^<[^>]*>|@[A-Za-z0-9-]+)?$')
_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")
_SIMPLE_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "\\": "\\"}

Quad = tuple[str, str, str, str | None]


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE_ESCAPES.get(code, code)


def _value(term: str) -> str:
    """An IRI, a blank node label or a literal's lexical form, without N-Quads syntax."""
    if term.startswith("<"):
        return _ESCAPE.sub(_unescape, term[1:-1]) if "\\" in term else term[1:-1]
    literal = _LITERAL.match(term)
    if literal is not None:
        text = literal.group(1)
        return _ESCAPE.sub(_unescape, text) if "\\" in text else text
    return term


_CHECKED_PREDICATES = frozenset(
    f"<{iri}>"
    for iri in (
        RDF_TYPE,
        CRED + "issuer",
        CRED + "credentialSubject",
        CRED + "credentialStatus",
        OB + "endorsement",
        *(CRED + term for term in DATE_TERMS),
        *(STATUS + term for term in STATUS_TERMS),
    )
)


# One pass over the N-Quads text picks the statements with a checked predicate.
_CHECKED_QUAD = re.compile(
    rf"^(\S+) ({'|'.join(re.escape(p) for p in sorted(_CHECKED_PREDICATES))}) {_TERM}"
    rf"(?: (\S+))? \.$",
    re.MULTILINE,
)


def is_plain(document: Any) -> bool:
    """True when :func:`unplain_keys` finds nothing (the fast check every verification makes)."""
    stack: list[Any] = [document]
    while stack:
        value = stack.pop()
        if type(value) is dict:
            if not _UNPLAIN_KEYWORDS.isdisjoint(value) or (
                "@type" in value and "@value" not in value
            ):
                return False
            if "@context" in value or "proof" in value:
                stack.extend(v for k, v in value.items() if k != "@context")
            else:
                stack.extend(value.values())
        elif type(value) is list:
            stack.extend(value)
    proofs = document.get("proof") if isinstance(document, dict) else None
    for proof in _as_list(proofs):
        if isinstance(proof, dict) and not PROOF_KEYS.issuperset(proof):
            return False
    return True


def unplain_keys(document: Any, *, proof: bool = False) -> list[str]:
    """The keys that are not in plain compact form, as dotted paths (empty when plain)."""
    if not proof and is_plain(document):
        return []
    found: list[str] = []
    stack: list[tuple[Any, str, bool]] = [(document, "", proof)]
    while stack:
        value, path, in_proof = stack.pop()
        if isinstance(value, list):
            stack.extend((item, path, in_proof) for item in value)
            continue
        if not isinstance(value, dict):
            continue
        is_value_object = "@value" in value
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key == "@context":
                continue
            unplain = key in _UNPLAIN_KEYWORDS or (key == "@type" and not is_value_object)
            if unplain or (in_proof and key not in PROOF_KEYS):
                found.append(where)
            elif not path and key == "proof":
                stack.extend((p, "proof", True) for p in _as_list(item))
            else:
                stack.append((item, where, False))
    return sorted(found)


class _Dataset:
    """The default graph of the signed dataset, indexed by subject."""

    def __init__(self, quads: Iterable[Quad]) -> None:
        self.by_subject: dict[str, list[tuple[str, str]]] = {}
        for subject, predicate, obj, graph in quads:
            if graph is None:
                self.by_subject.setdefault(subject, []).append((predicate, obj))

    def objects(self, subject: str, predicate: str) -> list[str]:
        target = f"<{predicate}>"
        return [obj for p, obj in self.by_subject.get(subject, ()) if p == target]

    def values(self, subject: str, predicate: str) -> list[str]:
        return sorted(_value(obj) for obj in self.objects(subject, predicate))

    def subjects_of_type(self, type_iri: str) -> list[str]:
        target = f"<{type_iri}>"
        return [
            subject
            for subject, statements in self.by_subject.items()
            if (f"<{RDF_TYPE}>", target) in statements
        ]


def _scalar_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json_values(node: dict[str, Any], key: str) -> list[str]:
    return sorted(
        _scalar_text(v) for v in _as_list(node.get(key)) if not isinstance(v, dict | list)
    )


def _json_id(node: Any) -> str | None:
    if isinstance(node, str):
        return node
    if isinstance(node, dict) and isinstance(node.get("id"), str):
        return str(node["id"])
    return None


def _node_term(node_id: str | None) -> str | None:
    return None if node_id is None else f"<{node_id}>"


def hidden_statements(document: dict[str, Any], nquads: str) -> list[str]:
    """The checked terms whose plain JSON reading differs from the signed dataset.

    ``nquads`` are the canonical N-Quads of ``document`` without its proof (what the proof
    signs). An empty list means every verdict read from the plain keys is what was signed.
    """
    dataset = _Dataset(
        (subject, predicate, obj, graph or None)
        for subject, predicate, obj, graph in _CHECKED_QUAD.findall(nquads)
    )
    # Embedded endorsements are credentials of their own (verified on their own); the credential
    # judged here is the one nothing endorses.
    embedded = {
        obj
        for subject in dataset.subjects_of_type(CRED + "VerifiableCredential")
        for obj in dataset.objects(subject, OB + "endorsement")
    }
    credentials = [
        node
        for node in dataset.subjects_of_type(CRED + "VerifiableCredential")
        if node not in embedded
    ]
    if len(credentials) != 1:
        return [f"a single credential (the signed data describes {len(credentials)})"]
    node = credentials[0]
    hidden: list[str] = []
    json_id = document.get("id")
    if isinstance(json_id, str):
        if _value(node) != json_id or not node.startswith("<"):
            hidden.append("id")
    elif not node.startswith("_:"):
        hidden.append("id")
    signed_types = {_value(obj) for obj in dataset.objects(node, RDF_TYPE)}
    json_types = {KNOWN_TYPES[t] for t in _as_list(document.get("type")) if t in KNOWN_TYPES}
    if signed_types & set(KNOWN_TYPES.values()) != json_types:
        hidden.append("type")
    issuer = _json_id(document.get("issuer"))
    if dataset.values(node, CRED + "issuer") != ([issuer] if issuer else []):
        hidden.append("issuer")
    for term in DATE_TERMS:
        if dataset.values(node, CRED + term) != _json_values(document, term):
            hidden.append(term)
    subjects = _as_list(document.get("credentialSubject"))
    signed_subjects = dataset.objects(node, CRED + "credentialSubject")
    if len(signed_subjects) != len(subjects) or sorted(
        _value(s) for s in signed_subjects if s.startswith("<")
    ) != sorted(i for i in map(_json_id, subjects) if i is not None):
        hidden.append("credentialSubject")
    if _status_differs(document, dataset, node):
        hidden.append("credentialStatus")
    return hidden


def _status_differs(document: dict[str, Any], dataset: _Dataset, node: str) -> bool:
    entries = _as_list(document.get("credentialStatus"))
    signed = dataset.objects(node, CRED + "credentialStatus")
    if len(signed) != len(entries):
        return True
    signed_entries: Counter[tuple[Any, ...]] = Counter()
    for entry in signed:
        if STATUS + "BitstringStatusListEntry" not in dataset.values(entry, RDF_TYPE):
            continue
        signed_entries[
            (
                _value(entry) if entry.startswith("<") else None,
                tuple(tuple(dataset.values(entry, STATUS + term)) for term in STATUS_TERMS),
            )
        ] += 1
    json_entries: Counter[tuple[Any, ...]] = Counter()
    for entry in entries:
        # A status mechanism the verifier cannot check fails on its own; for those only the
        # number of entries (compared above) matters here.
        if not isinstance(entry, dict) or entry.get("type") != "BitstringStatusListEntry":
            continue
        json_entries[
            (
                entry.get("id") if isinstance(entry.get("id"), str) else None,
                tuple(tuple(_json_values(entry, term)) for term in STATUS_TERMS),
            )
        ] += 1
    return signed_entries != json_entries
