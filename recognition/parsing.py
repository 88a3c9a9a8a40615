"""Reading what a credential states about the learning it certifies.

Our own Open Badges 3.0 micro-credentials carry every EU element in known places
(docs/credential-format.md section 3); other providers' Open Badges 3.0 / VC credentials are
read on a best-effort basis. An element a credential does not state is never guessed: it is
listed in `not_stated` so that officers see it as a named element to examine.

Pure functions over the credential's JSON; nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from credential_format.reading import CredentialDocument, as_list, read_credential, text

ESCO_SKILL_PREFIX = "http://data.europa.eu/esco/skill/"
SUPERVISION_VALUES = {
    "unsupervised-no-identity-verification",
    "supervised-no-identity-verification",
    "supervised-with-identity-verification",
}
MAX_TEXT = 2000
MAX_ITEMS = 100

# Elements the comparison needs; each missing one is reported by this key.
ELEMENT_WORKLOAD = "workload"
ELEMENT_LEVEL = "level"
ELEMENT_OUTCOMES = "learning_outcomes"
ELEMENT_SKILLS = "skills"
ELEMENT_ASSESSMENT = "assessment_type"
ELEMENT_SUPERVISION = "supervision"
ELEMENT_QUALITY = "quality_assurance"


@dataclass
class ParsedCredential:
    credential_id: str = ""
    title: str = ""
    description: str = ""
    issuer_id: str = ""
    issuer_name: str = ""
    achievement_id: str = ""
    issued_on: str = ""
    ects: Decimal | None = None
    eqf_level: int | None = None
    learning_outcomes: list[str] = field(default_factory=list)
    skill_uris: list[str] = field(default_factory=list)
    assessment_type: str = ""
    supervision: str = ""
    quality_assurance: str = ""
    participation_form: str = ""
    grade: str = ""
    subject_id: str = ""
    proof_value: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def not_stated(self) -> list[str]:
        present = {
            ELEMENT_WORKLOAD: self.ects is not None,
            ELEMENT_LEVEL: self.eqf_level is not None,
            ELEMENT_OUTCOMES: bool(self.learning_outcomes),
            ELEMENT_SKILLS: bool(self.skill_uris),
            ELEMENT_ASSESSMENT: bool(self.assessment_type),
            ELEMENT_SUPERVISION: bool(self.supervision),
            ELEMENT_QUALITY: bool(self.quality_assurance),
        }
        return [element for element, stated in present.items() if not stated]


def _text(value: Any) -> str:
    """The reader's text of a value, cut to what a stored field holds."""
    return text(value)[:MAX_TEXT]


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0 or number > 999:
        return None
    return number.quantize(Decimal("0.1"))


def _skills(achievement: dict[str, Any]) -> list[str]:
    found: dict[str, None] = {}
    for alignment in as_list(achievement.get("alignment")):
        if isinstance(alignment, dict):
            url = _text(alignment.get("targetUrl"))
            if url.startswith(ESCO_SKILL_PREFIX):
                found.setdefault(url, None)
    for outcome in as_list(achievement.get("learningOutcome")):
        if isinstance(outcome, dict):
            for uri in as_list(outcome.get("relatedSkill")):
                text = _text(uri) if not isinstance(uri, dict) else _text(uri.get("id"))
                if text.startswith(ESCO_SKILL_PREFIX):
                    found.setdefault(text, None)
    return list(found)[:MAX_ITEMS]


def _credits(credential: CredentialDocument, parsed: ParsedCredential) -> None:
    system = credential.credit_system
    if system and system.upper() != "ECTS":
        parsed.notes.append(f"Credits are stated in {system}, not in ECTS.")
        return
    credits = _decimal(credential.credits)
    if credits is not None and not system:
        parsed.notes.append("The credential does not name its credit system; ECTS is assumed.")
    parsed.ects = credits


def stated_holder_name(document: Any) -> str:
    """The name the credential gives its subject (credential_format.reading's one rule)."""
    return read_credential(document).learner_name()[:300]


def parse_credential(document: dict[str, Any]) -> ParsedCredential:
    parsed = ParsedCredential()
    credential = read_credential(document)
    parsed.credential_id = _text(credential.id)[:500]
    issuer = credential.issuer
    if isinstance(issuer, dict):
        parsed.issuer_id = _text(issuer.get("id"))[:500]
        parsed.issuer_name = _text(issuer.get("name"))[:500]
    else:
        parsed.issuer_id = _text(issuer)[:500]
    parsed.issued_on = _text(credential.valid_from)[:40]
    subject = credential.subject
    parsed.subject_id = _text(subject.get("id"))[:500]
    # The signature identifies a copy even when the credential has no id.
    parsed.proof_value = next(
        (
            str(p["proofValue"])[:200]
            for p in credential.proofs
            if isinstance(p.get("proofValue"), str)
        ),
        "",
    )
    achievement = credential.achievement
    if achievement is None:
        achievement = {}
        parsed.notes.append("The credential describes no achievement (not an Open Badge).")
    parsed.achievement_id = _text(achievement.get("id"))[:500]
    parsed.title = (_text(achievement.get("name")) or _text(credential.name))[:500]
    parsed.description = _text(achievement.get("description"))
    _credits(credential, parsed)
    parsed.eqf_level = credential.eqf_level
    parsed.learning_outcomes = [
        text
        for text in (
            _text(outcome.get("name")) if isinstance(outcome, dict) else _text(outcome)
            for outcome in as_list(achievement.get("learningOutcome"))[:MAX_ITEMS]
        )
        if text
    ]
    parsed.skill_uris = _skills(achievement)
    parsed.assessment_type = _text(achievement.get("assessmentType"))
    supervision = _text(achievement.get("supervisionAndIdentityVerification"))
    if supervision and supervision not in SUPERVISION_VALUES:
        parsed.notes.append(f"Unknown supervision value: {supervision}.")
        supervision = ""
    parsed.supervision = supervision
    parsed.quality_assurance = _text(achievement.get("qualityAssurance"))
    parsed.participation_form = _text(achievement.get("participationForm"))[:20]
    parsed.grade = credential.grade[:40]
    return parsed
