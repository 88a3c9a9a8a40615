"""Reading an issued credential document: one typed view of where its parts are.

A Verifiable Credentials 2.0 / Open Badges 3.0 document (ours, or another provider's) is JSON
in which most parts may be a value or a list, a string or an object. `read_credential` finds
them once, the same way for every reader: the credential's id and types, the issuer, the first
subject that is an object, its achievement, its results and the proofs. The fields both the
display (verification.summaries) and recognition (recognition.parsing) need are read here too,
one way for both: the text of a value in a preferred language (`text`), the learner's stated
name, the grade, the credits and the EQF level.

Pure Python over dicts: no validation, never raises, nothing is guessed (an absent part is
empty). Whether the document is genuine is `credential_format.verification`'s question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

DEFAULT_LANGUAGE = "en"
EQF_URI = re.compile(r"^https?://data\.europa\.eu/snb/eqf/([1-8])$")


def as_list(value: Any) -> list[Any]:
    """JSON-LD's "one or many": None -> [], a list as is, anything else -> [value]."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _language_order(value: dict[str, Any], language: str) -> list[str]:
    """Keys of a language map in reading order: the preferred language, then English, then
    the others sorted (so that the choice never depends on the document's key order)."""
    return list(dict.fromkeys([language, DEFAULT_LANGUAGE, *sorted(map(str, value))]))


def _chosen(value: Any, language: str) -> tuple[str, str]:
    """(text, its language) of `value`; see `text`."""
    if isinstance(value, str):
        return value.strip(), ""
    if isinstance(value, bool):
        return "", ""
    if isinstance(value, int | float):
        return str(value), ""
    if isinstance(value, dict):
        if "@value" in value:
            found, _ = _chosen(value["@value"], language)
            tag = value.get("@language")
            return found, (str(tag) if found and isinstance(tag, str) else "")
        for key in _language_order(value, language):
            if isinstance(value.get(key), str) and value[key].strip():
                return value[key].strip(), key
        return "", ""
    if isinstance(value, list):
        tagged = {str(v["@language"]): v for v in value if isinstance(v, dict) and "@language" in v}
        ordered = [tagged[key] for key in _language_order(tagged, language) if key in tagged]
        for candidate in [*ordered, *value]:
            chosen = _chosen(candidate, language)
            if chosen[0]:
                return chosen
    return "", ""


def text(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """Plain text of a JSON-LD value, stripped: a string; a number (as written); a value
    object's `@value`; from a language map (`{"en": ..., "de": ...}`) or a list of value
    objects, the `language` asked for, else English, else the first language in sorted order.
    Anything else (absent, an object without a value, true/false) is ""."""
    return _chosen(value, language)[0]


def language_of(value: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """The language `text(value, language)` was read in, when the document states it
    ("" for plain text)."""
    return _chosen(value, language)[1]


def _translations(node: Any, term: str) -> dict[str, Any]:
    """A node's ``<term>Languages`` JSON-LD language map (the texts of ``term`` in each
    language, as the portal issues them), or {}."""
    if not isinstance(node, dict):
        return {}
    found = node.get(f"{term}Languages")
    return found if isinstance(found, dict) else {}


def has_language(node: Any, term: str, language: str) -> bool:
    """Whether the node states ``term`` in ``language`` in its language map."""
    value = _translations(node, term).get(language)
    return isinstance(value, str) and bool(value.strip())


def text_in(node: Any, term: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The text of ``node[term]`` in ``language`` when the node's ``<term>Languages`` map has
    it, else the plain value (the credential's default language; see `text`)."""
    if not isinstance(node, dict):
        return ""
    if has_language(node, term, language):
        return str(_translations(node, term)[language]).strip()
    return text(node.get(term), language)


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
    # Open Badges 3.0 `awardedDate`: when the achievement was awarded (None when not stated).
    awarded_date: Any = None
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

    def learner_name(self, language: str = DEFAULT_LANGUAGE) -> str:
        """The name the credential states for its subject: `name`; else `givenName` and
        `familyName`; else the first Open Badges identifier of type name that is not hashed.
        "" when it states none (a hashed name is never a name)."""
        subject = self.subject
        name = text(subject.get("name"), language)
        if name:
            return name
        name = " ".join(
            part
            for part in (
                text(subject.get("givenName"), language),
                text(subject.get("familyName"), language),
            )
            if part
        )
        if name:
            return name
        for identifier in as_list(subject.get("identifier")):
            if (
                isinstance(identifier, dict)
                and identifier.get("identityType") == "name"
                and identifier.get("hashed") is False
            ):
                name = text(identifier.get("identityHash"), language)
                if name:
                    return name
        return ""

    @property
    def grade(self) -> str:
        """The stated result: the result for the achievement's first `resultDescription` when
        the results name one, else the first result with a value ("" when none)."""
        described = [
            d.get("id")
            for d in as_list((self.achievement or {}).get("resultDescription"))
            if isinstance(d, dict) and d.get("id")
        ]
        with_value = [r for r in self.results if text(r.get("value"))]
        if described:
            for result in with_value:
                if result.get("resultDescription") == described[0]:
                    return text(result.get("value"))
        return text(with_value[0].get("value")) if with_value else ""

    @property
    def credits(self) -> Any:
        """The credits as stated: the achievement's `creditsAvailable`, else the subject's
        `creditsEarned` (None when neither is stated). The credit system is `credit_system`."""
        stated = (self.achievement or {}).get("creditsAvailable")
        return stated if stated is not None else self.subject.get("creditsEarned")

    @property
    def credit_system(self) -> str:
        return text((self.achievement or {}).get("creditSystem"))

    @property
    def eqf_level(self) -> int | None:
        """The EQF level (1-8) of the achievement: `eqfLevel` as the EU's level URI or a
        number, else an alignment to the EQF (its URI, or framework EQF with a code)."""
        achievement = self.achievement or {}
        for candidate in as_list(achievement.get("eqfLevel")):
            if isinstance(candidate, int) and not isinstance(candidate, bool):
                if 1 <= candidate <= 8:
                    return candidate
                continue
            match = EQF_URI.match(text(candidate))
            if match:
                return int(match.group(1))
        for alignment in as_list(achievement.get("alignment")):
            if not isinstance(alignment, dict):
                continue
            match = EQF_URI.match(text(alignment.get("targetUrl")))
            if match:
                return int(match.group(1))
            framework = text(alignment.get("targetFramework")).upper()
            code = text(alignment.get("targetCode"))
            if framework == "EQF" and code.isdigit() and 1 <= int(code) <= 8:
                return int(code)
        return None


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
        awarded_date=document.get("awardedDate"),
        subject=subject,
        achievement=achievement if isinstance(achievement, dict) else None,
        results=tuple(r for r in as_list(subject.get("result")) if isinstance(r, dict)),
        proofs=tuple(p for p in as_list(document.get("proof")) if isinstance(p, dict)),
    )
