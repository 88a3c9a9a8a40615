"""Reading an issued credential document: one typed view of where its parts are.

A Verifiable Credentials 2.0 / Open Badges 3.0 document (ours, or another provider's) is JSON
in which most parts may be a value or a list, a string or an object. `read_credential` finds
them once, the same way for every reader: the credential's id and types, the issuer, the first
subject that is an object, its achievement, its results and the proofs. What the parts mean to
a person (display) or to a comparison (recognition) is read from this view by those apps.

Pure Python over dicts: no validation, never raises, nothing is guessed (an absent part is
empty). Whether the document is genuine is `credential_format.verification`'s question.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def as_list(value: Any) -> list[Any]:
    """JSON-LD's "one or many": None -> [], a list as is, anything else -> [value]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


@dataclass(frozen=True)
class CredentialDocument:
    """Where the parts of a credential document are (each as the document states it)."""

    # The document's `id` as stated (any JSON value; None when absent).
    id: Any = None
    types: tuple[str, ...] = ()
    # `issuer`: a string (its id) or an object with `id`, `name`...
    issuer: Any = None
    # `name` of the credential itself.
    name: Any = None
    # `validFrom` (VC 2.0), else `issuanceDate` (VC 1.1); `validUntil`, else `expirationDate`.
    valid_from: Any = None
    valid_until: Any = None
    # The first `credentialSubject` that is an object ({} when none is).
    subject: dict[str, Any] = field(default_factory=dict)
    # The subject's `achievement` when it is an object, else None.
    achievement: dict[str, Any] | None = None
    # The subject's `result` entries that are objects.
    results: tuple[dict[str, Any], ...] = ()
    # The `proof` entries that are objects (a proof set or one proof).
    proofs: tuple[dict[str, Any], ...] = ()

    @property
    def kind(self) -> str:
        """The first type other than `VerifiableCredential` ("" when none)."""
        return next((kind for kind in self.types if kind != "VerifiableCredential"), "")


def read_credential(document: Any) -> CredentialDocument:
    """The view of `document`; anything but a JSON object reads as an empty document."""
    if not isinstance(document, dict):
        return CredentialDocument()
    subject: dict[str, Any] = next(
        (s for s in as_list(document.get("credentialSubject")) if isinstance(s, dict)), {}
    )
    achievement = subject.get("achievement")
    return CredentialDocument(
        id=document.get("id"),
        types=tuple(str(kind) for kind in as_list(document.get("type"))),
        issuer=document.get("issuer"),
        name=document.get("name"),
        valid_from=document.get("validFrom") or document.get("issuanceDate"),
        valid_until=document.get("validUntil") or document.get("expirationDate"),
        subject=subject,
        achievement=achievement if isinstance(achievement, dict) else None,
        results=tuple(r for r in as_list(subject.get("result")) if isinstance(r, dict)),
        proofs=tuple(p for p in as_list(document.get("proof")) if isinstance(p, dict)),
    )
