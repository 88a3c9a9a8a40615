"""What a credential says, in the terms a person reads: the EU Council Recommendation's
elements, the skills, who awarded it and to whom.

Works on any Open Badges 3.0 / VC document (ours, or another provider's), reading only what the
document states; a missing element is simply absent. Nothing here decides whether the document
is genuine: that is `verification.verify`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation

from credential_format.reading import (
    DEFAULT_LANGUAGE,
    as_list,
    has_language,
    language_of,
    read_credential,
    text,
    text_in,
)
from issuance import identity


@dataclass(frozen=True)
class Party:
    id: str
    name: str
    country: str = ""


@dataclass(frozen=True)
class Outcome:
    text: str
    skills: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skill:
    uri: str
    label: str
    framework: str = ""


@dataclass(frozen=True)
class RecognitionDecision:
    """What a recognition (credit transfer) decision credential states."""

    outcome: str
    credits: str
    counts_towards: str
    receiving_programme: str
    substantial_differences: str
    appeal_information: str
    recognised_credentials: tuple[str, ...]


@dataclass
class CredentialSummary:
    title: str = ""
    description: str = ""
    credential_id: str = ""
    kind: str = ""
    issuer: Party = field(default_factory=lambda: Party("", ""))
    awarding_bodies: list[Party] = field(default_factory=list)
    learner_name: str = ""
    holder_did: str = ""
    valid_from: str = ""
    awarded_on: str = ""
    valid_until: str = ""
    ects: str = ""
    workload: str = ""
    eqf_level: str = ""
    qf_ehea_cycle: str = ""
    assessment_type: str = ""
    participation_form: str = ""
    quality_assurance: str = ""
    prerequisites: str = ""
    supervision: str = ""
    grade: str = ""
    integration: str = ""
    further_information: str = ""
    field_of_study: str = ""
    language: str = ""
    # The language the texts above are written in, when the document says so (a language map
    # or a value object) or the caller knows it (this portal issues in English); else "".
    text_language: str = ""
    outcomes: list[Outcome] = field(default_factory=list)
    skills: list[Skill] = field(default_factory=list)
    constituent_credentials: list[str] = field(default_factory=list)
    # Set for a recognition decision, which states a decision instead of the EU elements.
    recognition: RecognitionDecision | None = None
    # The achievement's badge image as pages may load it: a path of this portal or a data:
    # image (the pages' content security policy loads nothing else).
    image_src: str = ""

    @property
    def countries(self) -> list[str]:
        found = [body.country for body in [self.issuer, *self.awarding_bodies] if body.country]
        return list(dict.fromkeys(found))

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "credentialId": self.credential_id,
            "kind": self.kind,
            "issuer": {"id": self.issuer.id, "name": self.issuer.name},
            "awardingBodies": [
                {"id": body.id, "name": body.name, "country": body.country}
                for body in self.awarding_bodies
            ],
            "learner": self.learner_name,
            "validFrom": self.valid_from,
            "awardedDate": self.awarded_on,
            "validUntil": self.valid_until,
            "countries": self.countries,
            "ects": self.ects,
            "workload": self.workload,
            "eqfLevel": self.eqf_level,
            "qfEheaCycle": self.qf_ehea_cycle,
            "assessmentType": self.assessment_type,
            "participationForm": self.participation_form,
            "qualityAssurance": self.quality_assurance,
            "prerequisites": self.prerequisites,
            "supervisionAndIdentityVerification": self.supervision,
            "grade": self.grade,
            "integration": self.integration,
            "furtherInformation": self.further_information,
            "learningOutcomes": [
                {"text": outcome.text, "skills": list(outcome.skills)} for outcome in self.outcomes
            ],
            "skills": [
                {"uri": skill.uri, "label": skill.label, "framework": skill.framework}
                for skill in self.skills
            ],
        }


def _party(value: Any) -> Party:
    if isinstance(value, str):
        return Party(value, "")
    if not isinstance(value, dict):
        return Party("", "")
    address = value.get("address") if isinstance(value.get("address"), dict) else {}
    return Party(
        id=str(value.get("id", "")),
        name=text(value.get("name")) or text(value.get("legalName")),
        country=str(address.get("addressCountryCode", "")) if address else "",
    )


def reader_language() -> str:
    """The active language's primary subtag: the language a page is read in."""
    return (translation.get_language() or DEFAULT_LANGUAGE).split("-")[0].lower()


def summarise_credential(
    document: Any, *, text_language: str = "", language: str | None = None
) -> CredentialSummary:
    """Read the EU elements and skills a credential document states (never raises).
    `text_language` is the language of plain-text values when the caller knows it. The texts
    are read in `language` (by default the reader's) where the credential states them in it
    (its language maps), else in the credential's default language."""
    summary = CredentialSummary(text_language=text_language)
    if not isinstance(document, dict):
        return summary
    credential = read_credential(document)
    achievement: dict[str, Any] = credential.achievement or {}
    wanted = language or reader_language()
    translated = has_language(document, "name", wanted) or has_language(achievement, "name", wanted)
    shown = wanted if translated else DEFAULT_LANGUAGE
    summary.credential_id = credential.id if isinstance(credential.id, str) else ""
    summary.kind = credential.kind
    summary.issuer = _party(credential.issuer)
    summary.title = text_in(document, "name", shown)
    summary.valid_from = text(credential.valid_from)
    summary.awarded_on = text(credential.awarded_date)
    summary.valid_until = text(credential.valid_until)
    subject = credential.subject
    summary.holder_did = str(subject.get("id", "")) if isinstance(subject.get("id"), str) else ""
    summary.learner_name = credential.learner_name()
    summary.title = summary.title or text_in(achievement, "name", shown)
    summary.text_language = (
        shown
        if translated
        else language_of(credential.name or achievement.get("name")) or summary.text_language
    )
    summary.description = text_in(achievement, "description", shown)
    summary.awarding_bodies = [_party(body) for body in as_list(achievement.get("awardingBody"))]
    summary.ects = text(credential.credits)
    workload = text(achievement.get("volumeOfLearning"))
    if workload.startswith("PT") and workload.endswith("H"):
        workload = workload[2:-1]
    summary.workload = workload
    summary.eqf_level = str(credential.eqf_level or "")
    summary.qf_ehea_cycle = text(achievement.get("qfEheaCycle"))
    summary.assessment_type = text_in(achievement, "assessmentType", shown)
    summary.participation_form = text(achievement.get("participationForm"))
    summary.quality_assurance = text_in(achievement, "qualityAssurance", shown)
    summary.prerequisites = text_in(achievement, "prerequisites", shown)
    summary.supervision = text(achievement.get("supervisionAndIdentityVerification"))
    summary.integration = text(achievement.get("integration"))
    summary.further_information = text_in(achievement, "furtherInformation", shown)
    summary.field_of_study = text(achievement.get("fieldOfStudy"))
    summary.language = text(achievement.get("inLanguage"))
    summary.grade = credential.grade
    for outcome in as_list(achievement.get("learningOutcome")):
        if isinstance(outcome, dict):
            summary.outcomes.append(
                Outcome(
                    text=text_in(outcome, "name", shown),
                    skills=tuple(str(uri) for uri in as_list(outcome.get("relatedSkill"))),
                )
            )
    for alignment in as_list(achievement.get("alignment")):
        if isinstance(alignment, dict) and alignment.get("targetUrl"):
            summary.skills.append(
                Skill(
                    uri=str(alignment["targetUrl"]),
                    label=text(alignment.get("targetName")),
                    framework=text(alignment.get("targetFramework")),
                )
            )
    summary.image_src = _displayable_image(achievement.get("image"))
    summary.constituent_credentials = [
        str(uri) for uri in as_list(achievement.get("constituentCredential"))
    ]
    if "RecognitionDecision" in as_list(subject.get("type")):
        summary.recognition = _recognition_decision(subject)
    return summary


_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml);base64,[A-Za-z0-9+/=]+$")
MAX_DATA_IMAGE_CHARS = 300_000


def _displayable_image(image: Any) -> str:
    url = image.get("id") if isinstance(image, dict) else image
    if not isinstance(url, str):
        return ""
    if len(url) <= MAX_DATA_IMAGE_CHARS and _DATA_IMAGE.match(url):
        return url
    path = identity.portal_path(url) if url.startswith(("https://", "http://")) else None
    return path if path and path.startswith("/badges/") else ""


def _recognition_decision(subject: dict[str, Any]) -> RecognitionDecision:
    return RecognitionDecision(
        outcome=text(subject.get("decisionOutcome")),
        credits=text(subject.get("creditsGranted")),
        counts_towards=text(subject.get("countsTowards")),
        receiving_programme=text(subject.get("receivingProgramme")),
        substantial_differences=text(subject.get("substantialDifferences")),
        appeal_information=text(subject.get("appealInformation")),
        recognised_credentials=tuple(
            str(uri) for uri in as_list(subject.get("recognisedCredential")) if isinstance(uri, str)
        ),
    )
