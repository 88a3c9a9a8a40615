"""An adversarial set of credentials, generated at test time and signed with a test key.

Each case is what a holder or a forger could send: the status entry or the validity dates moved
out of the plain keys (into ``@nest``, under the full IRI, into ``@included``, under an alias
from an inline context) without changing the signed dataset; a status list signed by someone
else; values changed after signing; a blank-node clique; and, for contrast, valid credentials.
The verifier must refuse every hidden, forged, tampered or expired one and accept the valid
ones, without ever raising. ``tests/credential_format/test_adversarial.py`` runs the set through the library,
``tests/verification/test_adversarial_verify.py`` through the public verify API and page.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from credential_format.builders import AwardingBody, build_micro_credential
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.status_list import (
    StatusBitstring,
    build_status_list_credential,
    status_entry,
)
from tests.credential_format.sample_claims import micro_credential_claims

ISSUER_SEED = bytes([41]) * 32
FORGER_SEED = bytes([42]) * 32
STATUS_URL = "https://issuer.example.org/status/1"
FORGED_STATUS_URL = "https://forger.example.org/status/1"
REVOKED_INDEX = 4242
GOOD_INDEX = 17
CREDENTIALS = "https://www.w3.org/2018/credentials#"
CREATED = "2025-01-15T10:00:00Z"
ISSUED_ON = "2025-02-01T09:00:00Z"
PAST = "2025-03-01T00:00:00Z"
FUTURE = "2099-01-01T00:00:00Z"
CLIQUE_SIZE = 8

ACCEPTED, REFUSED = "accepted", "refused"


@dataclass(frozen=True)
class Case:
    name: str
    document: Any
    expected: str
    # The clique costs factorial time to canonicalise unless canonicalisation has a work budget.
    needs_work_budget: bool = False
    codes: frozenset[str] = field(default_factory=frozenset)


def issuer_signer() -> Ed25519Signer:
    return Ed25519Signer.from_seed(ISSUER_SEED)


def forger_signer() -> Ed25519Signer:
    return Ed25519Signer.from_seed(FORGER_SEED)


def _did(signer: Ed25519Signer) -> str:
    return signer.verification_method.split("#")[0]


def _status_list(signer: Ed25519Signer, url: str, revoked: tuple[int, ...]) -> dict[str, Any]:
    bits = StatusBitstring()
    for index in revoked:
        bits.set(index)
    unsigned = build_status_list_credential(
        list_credential_url=url,
        issuer=_did(signer),
        purpose="revocation",
        bitstring=bits,
        valid_from=ISSUED_ON,
    )
    return add_proof(unsigned, signer, created=CREATED)


def hostile_status_lists() -> list[tuple[str, dict[str, Any]]]:
    """Status lists the issuer signed, with parameters no real list has."""
    import gzip

    bomb = (
        "u"
        + __import__("base64")
        .urlsafe_b64encode(gzip.compress(b"\0" * (64 * 1024 * 1024), mtime=0))
        .rstrip(b"=")
        .decode()
    )
    changes: list[tuple[str, Callable[[dict[str, Any]], None]]] = [
        ("encodedList is a number", lambda s: s.update(encodedList=5)),
        ("encodedList is not base64", lambda s: s.update(encodedList="u!!!")),
        ("encodedList is not gzip", lambda s: s.update(encodedList="uAAAA")),
        ("encodedList is a compression bomb", lambda s: s.update(encodedList=bomb)),
        ("statusPurpose is nested lists", lambda s: s.update(statusPurpose=[["revocation"]])),
        ("list is too short", lambda s: s.update(encodedList=StatusBitstring(8).encode())),
    ]
    result = []
    for name, change in changes:
        signer = issuer_signer()
        bits = StatusBitstring()
        unsigned = build_status_list_credential(
            list_credential_url=STATUS_URL,
            issuer=_did(signer),
            purpose="revocation",
            bitstring=bits,
            valid_from=ISSUED_ON,
        )
        change(unsigned["credentialSubject"])
        result.append((name, add_proof(unsigned, signer, created=CREATED)))
    return result


def documents() -> dict[str, Any]:
    """What the verifier can fetch: the issuer's status list, and one a forger signed."""
    return {
        STATUS_URL: _status_list(issuer_signer(), STATUS_URL, (REVOKED_INDEX,)),
        FORGED_STATUS_URL: _status_list(forger_signer(), FORGED_STATUS_URL, ()),
    }


Mutation = Callable[[dict[str, Any]], None]


def _unsigned(
    *, index: int | None = GOOD_INDEX, valid_until: str | None = None, status_url: str = STATUS_URL
) -> dict[str, Any]:
    signer = issuer_signer()
    issuer = AwardingBody(_did(signer), "Hogeschool Proef", "NL")
    claims = micro_credential_claims(
        issuer=issuer,
        status_index=None,
        learner_did=None,
        issued_on=ISSUED_ON,
        valid_until=valid_until,
    )
    document = build_micro_credential(claims)
    if index is not None:
        document["credentialStatus"] = status_entry(list_credential_url=status_url, index=index)
    return document


def _signed(document: dict[str, Any], mutate: Mutation | None = None) -> dict[str, Any]:
    if mutate is not None:
        mutate(document)
    return add_proof(document, issuer_signer(), created=CREATED)


def _in_nest(key: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document["@nest"] = {key: document.pop(key)}

    return mutate


def _under_full_iri(key: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document[CREDENTIALS + key] = document.pop(key)

    return mutate


def _in_included(key: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document["@included"] = [
            {"id": document["id"], "type": "VerifiableCredential", key: document.pop(key)}
        ]

    return mutate


def _under_alias(key: str) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        document["@context"] = [*document["@context"], {"hiddenTerm": CREDENTIALS + key}]
        document["hiddenTerm"] = document.pop(key)

    return mutate


def _with_alias_for_keyword(key: str) -> Mutation:
    """An inline context makes a harmless-looking term mean ``@nest``."""

    def mutate(document: dict[str, Any]) -> None:
        document["@context"] = [*document["@context"], {"extras": "@nest"}]
        document["extras"] = {key: document.pop(key)}

    return mutate


def _in_graph_container(key: str) -> Mutation:
    """An alias whose values are named graphs: the statements leave the default graph."""

    def mutate(document: dict[str, Any]) -> None:
        document["@context"] = [
            *document["@context"],
            {"graphTerm": {"@id": CREDENTIALS + key, "@container": "@graph"}},
        ]
        value = document.pop(key)
        document["graphTerm"] = value if isinstance(value, dict) else {"@value": value}

    return mutate


HIDINGS: dict[str, Callable[[str], Mutation]] = {
    "@nest": _in_nest,
    "full IRI": _under_full_iri,
    "@included": _in_included,
    "inline alias": _under_alias,
    "term aliased to @nest": _with_alias_for_keyword,
    "graph container alias": _in_graph_container,
}


def _tampered(document: dict[str, Any], change: Mutation) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    change(changed)
    return changed


def _clique() -> dict[str, Any]:
    """A small credential whose subject links to CLIQUE_SIZE blank nodes that all link to each
    other: every node looks alike, so RDFC-1.0 without a work budget tries every permutation."""
    document = _unsigned(index=None)
    document["@context"] = [
        *document["@context"],
        {"linksTo": {"@id": "https://example.org/vocab#linksTo", "@type": "@id"}},
    ]
    nodes = [f"_:n{i}" for i in range(CLIQUE_SIZE)]
    document["credentialSubject"]["linksTo"] = [
        {"id": node, "linksTo": [other for other in nodes if other != node]} for node in nodes
    ]
    # Signing it would mean canonicalising it; a forger needs no valid signature either: the
    # cost is paid before any proof is checked. Borrow the proof of a valid credential.
    document["proof"] = _signed(_unsigned(index=None))["proof"]
    return document


@functools.cache
def cases() -> list[Case]:
    valid = _signed(_unsigned())
    result = [
        Case("valid, with status", valid, ACCEPTED),
        Case("valid, without status", _signed(_unsigned(index=None)), ACCEPTED),
        Case("valid, expires in the future", _signed(_unsigned(valid_until=FUTURE)), ACCEPTED),
        Case(
            "valid, with an extension property under its full IRI",
            _signed(_unsigned(), lambda d: d.update({"https://example.org/vocab#note": "extra"})),
            ACCEPTED,
        ),
        Case(
            "valid, with an inline context for an extension term",
            _signed(
                _unsigned(),
                lambda d: d.update(
                    {
                        "@context": [*d["@context"], {"note": "https://example.org/vocab#note"}],
                        "note": "extra",
                    }
                ),
            ),
            ACCEPTED,
        ),
        Case("revoked, plain", _signed(_unsigned(index=REVOKED_INDEX)), REFUSED),
        Case("expired, plain", _signed(_unsigned(valid_until=PAST)), REFUSED),
    ]
    for name, hide in HIDINGS.items():
        result.append(
            Case(
                f"revoked, status hidden by {name}",
                _signed(_unsigned(index=REVOKED_INDEX), hide("credentialStatus")),
                REFUSED,
            )
        )
        result.append(
            Case(
                f"expired, validUntil hidden by {name}",
                _signed(_unsigned(valid_until=PAST), hide("validUntil")),
                REFUSED,
            )
        )
    result += [
        Case(
            "status list signed by another issuer",
            _signed(_unsigned(index=REVOKED_INDEX, status_url=FORGED_STATUS_URL)),
            REFUSED,
            codes=frozenset({"STATUS_ISSUER_MISMATCH"}),
        ),
        Case(
            "revoked, status index changed after signing",
            _tampered(
                _signed(_unsigned(index=REVOKED_INDEX)),
                lambda d: d["credentialStatus"].update(statusListIndex=str(GOOD_INDEX)),
            ),
            REFUSED,
        ),
        Case(
            "expired, validUntil removed after signing",
            _tampered(_signed(_unsigned(valid_until=PAST)), lambda d: d.pop("validUntil")),
            REFUSED,
        ),
        Case(
            "achievement name changed after signing",
            _tampered(
                valid,
                lambda d: d["credentialSubject"]["achievement"].update(name="Doctor of Medicine"),
            ),
            REFUSED,
        ),
        Case(
            "issuer changed after signing",
            _tampered(valid, lambda d: d["issuer"].update(id=_did(forger_signer()))),
            REFUSED,
        ),
        Case(
            "a second issuer hidden in @included",
            _signed(
                _unsigned(),
                lambda d: d.update(
                    {
                        "@included": [
                            {
                                "id": d["id"],
                                "type": "VerifiableCredential",
                                "issuer": _did(forger_signer()),
                            }
                        ]
                    }
                ),
            ),
            REFUSED,
        ),
        Case(
            "statusSize far beyond any list",
            _signed(
                _unsigned(),
                lambda d: d["credentialStatus"].update(statusSize=10**15),
            ),
            REFUSED,
            codes=frozenset({"STATUS_VERIFICATION_ERROR"}),
        ),
        Case("blank-node clique", _clique(), REFUSED, needs_work_budget=True),
    ]
    return result


# Inputs that are not credentials at all, or are malformed in every way a JSON value can be.
def hostile_inputs() -> list[tuple[str, Any]]:
    valid = _signed(_unsigned())
    deep: Any = "x"
    for _ in range(5000):
        deep = [deep]
    return [
        ("id is a keyword", {**valid, "id": "@foo"}),
        (
            "subject id is a keyword",
            _tampered(valid, lambda d: d["credentialSubject"].update(id="@foo")),
        ),
        ("lone surrogate in text", '{"@context": "x", "name": "\\ud800"}'),
        ("lone surrogate in a dict", {**valid, "name": "\ud800"}),
        ("a JSON array", "[1, 2, 3]"),
        ("a JSON string", '"credential"'),
        ("a JSON number", "42"),
        ("null", "null"),
        ("empty text", ""),
        ("huge nesting", {**valid, "evidence": deep}),
        ("huge nesting as text", "[" * 100_000 + "]" * 100_000),
        ("context is a number", {**valid, "@context": 7}),
        ("context list of numbers", {**valid, "@context": [1, 2]}),
        ("type is an object", {**valid, "type": {"a": 1}}),
        ("issuer is a list", {**valid, "issuer": [1, 2]}),
        ("subject is a number", {**valid, "credentialSubject": 5}),
        ("status is a string", {**valid, "credentialStatus": "revoked"}),
        (
            "status entry with wrong types",
            {**valid, "credentialStatus": {"type": 5, "statusListIndex": []}},
        ),
        ("proof is a string", {**valid, "proof": "signed"}),
        (
            "proof with wrong types",
            {**valid, "proof": {"type": [], "proofValue": 5, "verificationMethod": {}}},
        ),
        ("validUntil is an object", {**valid, "validUntil": {"@value": 3}}),
        (
            "huge status index",
            _signed(
                _unsigned(), lambda d: d["credentialStatus"].update(statusListIndex="9" * 5000)
            ),
        ),
        (
            "status message not a list",
            _signed(
                _unsigned(index=REVOKED_INDEX),
                lambda d: d["credentialStatus"].update(statusMessage=5),
            ),
        ),
        ("number too large", {**valid, "extra": 10**5000}),
        (
            "language tag crafted",
            _tampered(valid, lambda d: d.update(name={"@value": "x", "@language": "en\n"})),
        ),
    ]
