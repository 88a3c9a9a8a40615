"""A corpus of bad credentials: the negative cases of the W3C eddsa-rdfc-2022 and Bitstring
Status List test suites re-expressed against a did:key issuer, plus hostile documents (size,
depth, unknown contexts, blank-node floods, wrong JSON types, broken encodings, duplicate
keys, NaN). Each case is the raw JSON text a client would send."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

from credential_format.contexts import CREDENTIALS_V2_URL
from credential_format.signing import Ed25519Signer, add_proof
from tests.credential_format.foreign import foreign_credential, foreign_status_list

CREATED = "2026-01-15T10:00:00Z"
OTHER_SIGNER = Ed25519Signer.from_seed(bytes([99]) * 32)


def _signed(**overrides: Any) -> dict[str, Any]:
    return foreign_credential(with_status=True, **overrides)


def _edit(change: Callable[[dict[str, Any]], None]) -> bytes:
    document = copy.deepcopy(_signed())
    change(document)
    return json.dumps(document).encode()


def _resigned(change: Callable[[dict[str, Any]], None], *, created: str = CREATED, **kw) -> bytes:
    """Change the unsigned credential, then sign it properly: only the change is wrong."""
    document = copy.deepcopy(_signed())
    document.pop("proof")
    change(document)
    signer = kw.get("signer") or Ed25519Signer.from_seed(bytes([21]) * 32)
    return json.dumps(
        add_proof(
            document, signer, created=created, proof_purpose=kw.get("purpose", "assertionMethod")
        )
    ).encode()


def _proof(document: dict[str, Any]) -> dict[str, Any]:
    proof = document["proof"]
    return proof[0] if isinstance(proof, list) else proof


def _set_proof(key: str, value: Any) -> Callable[[dict[str, Any]], None]:
    return lambda document: _proof(document).__setitem__(key, value)


def _drop_proof(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda document: _proof(document).pop(key, None)


def _flip_last_character(document: dict[str, Any]) -> None:
    value = _proof(document)["proofValue"]
    _proof(document)["proofValue"] = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]


def _nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def _blank_node_flood(document: dict[str, Any]) -> None:
    document["credentialSubject"]["achievement"]["alignment"] = [
        {"type": ["Alignment"], "targetName": "x"} for _ in range(6000)
    ]


def _status(document: dict[str, Any]) -> dict[str, Any]:
    status = document["credentialStatus"]
    return status[0] if isinstance(status, list) else status


# Status lists the verifier will fetch for the status cases, by case name.
REVOKED_LIST = foreign_status_list(revoked=(1234,))
CLEAN_LIST = foreign_status_list()


def _bad_encoded_list() -> dict[str, Any]:
    status_list = copy.deepcopy(CLEAN_LIST)
    status_list.pop("proof")
    status_list["credentialSubject"]["encodedList"] = "u!!!not-base64url-gzip"
    return add_proof(status_list, Ed25519Signer.from_seed(bytes([21]) * 32), created=CREATED)


STATUS_LISTS: dict[str, dict[str, Any]] = {
    "status: bit set (revoked)": REVOKED_LIST,
    "status: bad encodedList": _bad_encoded_list(),
    "status: list signed by someone else": add_proof(
        {k: v for k, v in CLEAN_LIST.items() if k != "proof"}, OTHER_SIGNER, created=CREATED
    ),
}

# A good credential: the status cases differ only in the list the verifier fetches.
SIGNED = json.dumps(_signed()).encode()

CORPUS: dict[str, bytes] = {
    # eddsa-rdfc-2022 negative cases
    "proof: tampered value": _edit(lambda d: d["credentialSubject"].__setitem__("name", "Mallory")),
    "proof: tampered proofValue": _edit(_flip_last_character),
    "proof: wrong cryptosuite": _edit(_set_proof("cryptosuite", "eddsa-jcs-2022")),
    "proof: unknown cryptosuite": _edit(_set_proof("cryptosuite", "rot13-2025")),
    "proof: wrong type": _edit(_set_proof("type", "Ed25519Signature2018")),
    "proof: wrong proofPurpose": _resigned(lambda d: None, purpose="authentication"),
    "proof: missing verificationMethod": _edit(_drop_proof("verificationMethod")),
    "proof: unknown verificationMethod": _edit(
        _set_proof("verificationMethod", OTHER_SIGNER.verification_method)
    ),
    "proof: verificationMethod of another issuer": _resigned(lambda d: None, signer=OTHER_SIGNER),
    "proof: created in the future": _resigned(lambda d: None, created="2999-01-01T00:00:00Z"),
    "proof: proofValue not multibase": _edit(_set_proof("proofValue", "not-multibase!")),
    "proof: proofValue bad base58": _edit(_set_proof("proofValue", "z0OIl")),
    "proof: proofValue too short": _edit(_set_proof("proofValue", "z3FXQ")),
    "proof: missing": _edit(lambda d: d.pop("proof")),
    "proof: proof is a string": _edit(lambda d: d.__setitem__("proof", "signed, honestly")),
    # Bitstring Status List negative cases (served by STATUS_LISTS)
    "status: bit set (revoked)": SIGNED,
    "status: bad encodedList": SIGNED,
    "status: list signed by someone else": SIGNED,
    "status: list unreachable": _resigned(
        lambda d: _status(d).__setitem__("statusListCredential", "https://status.invalid/lists/1")
    ),
    "status: wrong statusPurpose": _resigned(
        lambda d: _status(d).__setitem__("statusPurpose", "suspension")
    ),
    "status: index out of range": _resigned(
        lambda d: _status(d).__setitem__("statusListIndex", "99999999999")
    ),
    "status: index not a number": _resigned(
        lambda d: _status(d).__setitem__("statusListIndex", "one")
    ),
    # hostile documents
    "oversized": json.dumps({**_signed(), "padding": "x" * 1_100_000}).encode(),
    "deeply nested": b'{"@context": ' + _nested(5000) + b"}",
    "unknown context": _edit(
        lambda d: d["@context"].append("https://contexts.invalid/evil.jsonld")
    ),
    "context not a list": _edit(lambda d: d.__setitem__("@context", 42)),
    "blank-node flood": _edit(_blank_node_flood),
    "type is an object": _edit(lambda d: d.__setitem__("type", {"a": 1})),
    "issuer is a number": _edit(lambda d: d.__setitem__("issuer", 7)),
    "credentialSubject is a list of numbers": _edit(
        lambda d: d.__setitem__("credentialSubject", [1, 2, 3])
    ),
    "validFrom is not a date": _resigned(lambda d: d.__setitem__("validFrom", "yesterday")),
    "not an object": b"[1, 2, 3]",
    "a JSON string": b'"a credential"',
    "null": b"null",
    "empty": b"",
    "not JSON": b"{this is not json",
    "invalid UTF-8": b'{"@context": ["' + CREDENTIALS_V2_URL.encode() + b'"], "x": "\xff\xfe"}',
    "UTF-16": json.dumps(_signed()).encode("utf-16"),
    "duplicate keys": (
        json.dumps(_signed())[:-1]
        + ', "issuer": "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK"}'
    ).encode(),
    "NaN": (json.dumps(_signed())[:-1] + ', "grade": NaN}').encode(),
    "Infinity": (json.dumps(_signed())[:-1] + ', "grade": Infinity}').encode(),
    "huge number": (json.dumps(_signed())[:-1] + ', "grade": 1' + "0" * 5000 + "}").encode(),
}
