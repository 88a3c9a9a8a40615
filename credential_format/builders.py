"""Credential builders: Open Badges 3.0 micro-credentials, stacked pathways, recognition decisions.

The Django side converts its models into the plain dataclasses below; the builders return
unsigned JSON-LD documents (sign them with :mod:`credential_format.signing`). Every EU Council
Recommendation (2022) Annex I element is carried by a term that expands (Open Badges 3.0 terms
where they exist, the portal's micro-credential context otherwise); the mapping table is in
``docs/credential-format.md``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from credential_format.contexts import (
    CREDENTIALS_V2_URL,
    MICROCREDENTIAL_CONTEXT_URL,
    OPEN_BADGES_V3_URL,
    authored_context_bytes,
    digest_multibase,
)
from credential_format.jsonld import canonicalize

MICRO_CREDENTIAL_CONTEXT = [CREDENTIALS_V2_URL, OPEN_BADGES_V3_URL, MICROCREDENTIAL_CONTEXT_URL]
MICROCREDENTIAL_CONTEXT_DIGEST = digest_multibase(
    authored_context_bytes(MICROCREDENTIAL_CONTEXT_URL)
)
EQF_LEVEL_URI = "http://data.europa.eu/snb/eqf/{level}"
QF_EHEA_CYCLES = {"short": 5, "first": 6, "second": 7, "third": 8}
PARTICIPATION_FORMS = ("online", "onsite", "blended", "work_based")
SUPERVISION_VALUES = (
    "unsupervised-no-identity-verification",
    "supervised-no-identity-verification",
    "supervised-with-identity-verification",
)
INTEGRATION_VALUES = ("stand-alone", "stackable", "integrated")
RECOGNITION_OUTCOMES = ("full", "partial", "conditional")

Number = int | float | Decimal
# One text in several languages: BCP 47 language tag -> text, as the portal stores programme
# texts. The credential keeps the plain text in its default language under the Open Badges term
# (whose JSON Schema wants a string) and adds every language under the portal context's
# `<term>Languages` language map, which names the same property (docs/credential-format.md).
Translations = Mapping[str, str]


@dataclass(frozen=True)
class AwardingBody:
    """An institution (issuer or co-awarding body); ``id`` is its DID or URL."""

    id: str
    name: str
    country_code: str
    url: str | None = None
    # Other identifiers as (Open Badges identifierType, value), e.g. ("ext:ErasmusCode", ...).
    identifiers: tuple[tuple[str, str], ...] = ()
    region: str | None = None  # NUTS code of the body's region


@dataclass(frozen=True)
class Skill:
    """A skill: ESCO (``uri`` = http://data.europa.eu/esco/skill/<uuid>) or another framework."""

    uri: str
    label: str
    framework: str = "ESCO"


@dataclass(frozen=True)
class LearningOutcome:
    text: str
    skills: tuple[Skill, ...] = ()
    text_languages: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class Learner:
    """At least one of ``did`` or ``full_name``/``email`` identifies the learner."""

    full_name: str
    did: str | None = None
    email: str | None = None
    student_id: str | None = None


@dataclass(frozen=True)
class Grade:
    value: str
    result_type: str = "LetterGrade"
    scale_name: str = "Grade"


@dataclass(frozen=True)
class MicroCredentialClaims:
    credential_id: str
    achievement_id: str
    title: str
    description: str
    criteria_narrative: str
    issuer: AwardingBody
    awarding_bodies: tuple[AwardingBody, ...]
    learner: Learner
    issued_on: str
    learning_outcomes: tuple[LearningOutcome, ...]
    ects_credits: Number
    eqf_level: int
    assessment_type: str
    participation_form: str
    quality_assurance: str
    language: str = "en"
    qf_ehea_cycle: str | None = None
    workload_hours: int | None = None
    field_of_study: str | None = None
    valid_until: str | None = None
    prerequisites: str | None = None
    supervision: str | None = None
    grade: Grade | None = None
    integration: str | None = None
    stackable_towards: tuple[str, ...] = ()
    further_information: str | None = None
    # Open Badges 3.0 `awardedDate` (xsd:dateTime): when the achievement was awarded, as
    # distinct from `validFrom`, when the credential was issued.
    awarded_on: str | None = None
    credential_status: tuple[dict[str, Any], ...] = ()
    credits_earned: Number | None = None
    email_salt: str | None = field(default=None, repr=False)
    # Where this deployment publishes the micro-credential context (docs/credential-format.md).
    vocabulary_context_url: str = MICROCREDENTIAL_CONTEXT_URL
    # The achievement's badge image (Open Badges 3.0 ``Image``), by URL.
    image_url: str | None = None
    # The texts above in every language of the programme (the default language included).
    title_languages: Translations = field(default_factory=dict)
    description_languages: Translations = field(default_factory=dict)
    criteria_languages: Translations = field(default_factory=dict)
    assessment_type_languages: Translations = field(default_factory=dict)
    quality_assurance_languages: Translations = field(default_factory=dict)
    prerequisites_languages: Translations = field(default_factory=dict)
    further_information_languages: Translations = field(default_factory=dict)


class IncompleteClaimsError(ValueError):
    """A mandatory element is missing; the message lists every missing element."""


def json_number(value: Number) -> int | float:
    """A JSON number that every JSON-LD processor turns into the same RDF literal."""
    if isinstance(value, bool):
        raise TypeError("A boolean is not a number of credits.")
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def language_map(plain: str, texts: Translations) -> dict[str, str] | None:
    """The value of a ``<term>Languages`` JSON-LD language map: every language's text, or None
    when the texts add nothing to the plain value (no text, or only that same text)."""
    tagged = {tag: texts[tag] for tag in sorted(texts) if texts[tag]}
    if not tagged or list(tagged.values()) == [plain]:
        return None
    return tagged


def with_languages(
    node: dict[str, Any], term: str, plain: str, texts: Translations
) -> dict[str, Any]:
    """``node`` with ``term`` as the plain text and ``<term>Languages`` as its language map."""
    node[term] = plain
    tagged = language_map(plain, texts)
    if tagged:
        node[f"{term}Languages"] = tagged
    return node


def credential_context(vocabulary_context_url: str) -> list[str]:
    """The ``@context`` of every credential the portal issues."""
    return [CREDENTIALS_V2_URL, OPEN_BADGES_V3_URL, vocabulary_context_url]


def context_pin(vocabulary_context_url: str) -> dict[str, str]:
    """A VC 2.0 ``relatedResource`` entry pinning the micro-credential context by the digest of
    its bytes, so its meaning is fixed even when a deployment moves the URL."""
    return {"id": vocabulary_context_url, "digestMultibase": MICROCREDENTIAL_CONTEXT_DIGEST}


def profile(body: AwardingBody, *, with_identifiers: bool = True) -> dict[str, Any]:
    result: dict[str, Any] = {"id": body.id, "type": ["Profile"], "name": body.name}
    if body.url:
        result["url"] = body.url
    # A named address keeps credentials free of look-alike blank nodes when one institution is
    # both issuer and awarding body (two identical unnamed addresses would need RDFC-1.0's slow
    # N-degree hashing).
    result["address"] = {
        "id": f"{body.id}#address",
        "type": ["Address"],
        "addressCountryCode": body.country_code,
    }
    if body.region:
        result["address"]["addressRegion"] = body.region
    # Identifier entries are blank nodes: stated once per body (the issuer's profile when the
    # issuer is also an awarding body), as two identical copies slow RDFC-1.0 down.
    if body.identifiers and with_identifiers:
        result["otherIdentifier"] = [
            {"type": "IdentifierEntry", "identifier": value, "identifierType": kind}
            for kind, value in body.identifiers
        ]
    return result


def _identity_hash(value: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((value + salt).encode("utf-8")).hexdigest()


def learner_identifiers(learner: Learner, salt: str | None) -> list[dict[str, Any]]:
    """OB 3.0 IdentityObjects: the learner's name in clear, e-mail and student id hashed."""
    salt = salt or secrets.token_hex(8)
    identifiers: list[dict[str, Any]] = [
        {
            "type": "IdentityObject",
            "identityHash": learner.full_name,
            "identityType": "name",
            "hashed": False,
        }
    ]
    if learner.email:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityHash": _identity_hash(learner.email.strip().lower(), salt),
                "identityType": "emailAddress",
                "hashed": True,
                "salt": salt,
            }
        )
    if learner.student_id:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityHash": _identity_hash(learner.student_id, salt),
                "identityType": "studentId",
                "hashed": True,
                "salt": salt,
            }
        )
    return identifiers


def missing_mandatory_elements(claims: MicroCredentialClaims) -> list[str]:
    """The Annex I mandatory elements (and OB required fields) that are empty."""
    checks = {
        "learner identification": claims.learner.did or claims.learner.full_name,
        "title": claims.title,
        "description": claims.description,
        "criteria": claims.criteria_narrative,
        "awarding bodies": claims.awarding_bodies,
        "country of every awarding body": all(b.country_code for b in claims.awarding_bodies)
        and claims.issuer.country_code,
        "date of issuing": claims.issued_on,
        "learning outcomes": claims.learning_outcomes,
        "notional workload (ECTS)": claims.ects_credits is not None and claims.ects_credits > 0,
        "EQF level": 1 <= claims.eqf_level <= 8,
        "type of assessment": claims.assessment_type,
        "form of participation": claims.participation_form in PARTICIPATION_FORMS,
        "type of quality assurance": claims.quality_assurance,
    }
    missing = [name for name, present in checks.items() if not present]
    if claims.qf_ehea_cycle is not None and claims.qf_ehea_cycle not in QF_EHEA_CYCLES:
        missing.append("QF-EHEA cycle (short, first, second or third)")
    if claims.supervision is not None and claims.supervision not in SUPERVISION_VALUES:
        missing.append(f"supervision (one of {', '.join(SUPERVISION_VALUES)})")
    if claims.integration is not None and claims.integration not in INTEGRATION_VALUES:
        missing.append(f"integration (one of {', '.join(INTEGRATION_VALUES)})")
    return missing


def _achievement(claims: MicroCredentialClaims) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": claims.achievement_id,
        "type": ["Achievement"],
        "achievementType": "MicroCredential",
    }
    with_languages(achievement, "name", claims.title, claims.title_languages)
    with_languages(achievement, "description", claims.description, claims.description_languages)
    achievement["criteria"] = with_languages(
        {}, "narrative", claims.criteria_narrative, claims.criteria_languages
    )
    achievement["creditsAvailable"] = json_number(claims.ects_credits)
    # The language of the plain texts; the language maps carry the others.
    achievement["inLanguage"] = claims.language
    if claims.image_url:
        achievement["image"] = {"id": claims.image_url, "type": "Image", "caption": claims.title}
    if claims.field_of_study:
        achievement["fieldOfStudy"] = claims.field_of_study
    skills = {skill.uri: skill for outcome in claims.learning_outcomes for skill in outcome.skills}
    if skills:
        achievement["alignment"] = [
            {
                "type": ["Alignment"],
                "targetName": skill.label,
                "targetUrl": skill.uri,
                "targetFramework": skill.framework,
            }
            for skill in skills.values()
        ]
    if claims.grade:
        achievement["resultDescription"] = [
            {
                "id": f"{claims.achievement_id}#grade",
                "type": ["ResultDescription"],
                "name": claims.grade.scale_name,
                "resultType": claims.grade.result_type,
            }
        ]
    achievement["awardingBody"] = [
        profile(body, with_identifiers=body.id != claims.issuer.id)
        for body in claims.awarding_bodies
    ]
    achievement["learningOutcome"] = [
        learning_outcome_node(outcome) for outcome in claims.learning_outcomes
    ]
    achievement["creditSystem"] = "ECTS"
    if claims.workload_hours:
        achievement["volumeOfLearning"] = f"PT{claims.workload_hours}H"
    achievement["eqfLevel"] = EQF_LEVEL_URI.format(level=claims.eqf_level)
    if claims.qf_ehea_cycle:
        achievement["qfEheaCycle"] = claims.qf_ehea_cycle
    with_languages(
        achievement, "assessmentType", claims.assessment_type, claims.assessment_type_languages
    )
    achievement["participationForm"] = claims.participation_form
    with_languages(
        achievement,
        "qualityAssurance",
        claims.quality_assurance,
        claims.quality_assurance_languages,
    )
    if claims.prerequisites:
        with_languages(
            achievement, "prerequisites", claims.prerequisites, claims.prerequisites_languages
        )
    if claims.supervision:
        achievement["supervisionAndIdentityVerification"] = claims.supervision
    if claims.integration:
        achievement["integration"] = claims.integration
    if claims.stackable_towards:
        achievement["stackableTowards"] = list(claims.stackable_towards)
    if claims.further_information:
        with_languages(
            achievement,
            "furtherInformation",
            claims.further_information,
            claims.further_information_languages,
        )
    return achievement


def learning_outcome_node(outcome: LearningOutcome) -> dict[str, Any]:
    entry = with_languages(
        {"type": "LearningOutcome"}, "name", outcome.text, outcome.text_languages
    )
    if outcome.skills:
        entry["relatedSkill"] = [skill.uri for skill in outcome.skills]
    return entry


def build_micro_credential(claims: MicroCredentialClaims) -> dict[str, Any]:
    """An unsigned Open Badges 3.0 ``OpenBadgeCredential`` for a micro-credential."""
    missing = missing_mandatory_elements(claims)
    if missing:
        raise IncompleteClaimsError(
            "The micro-credential cannot be issued; missing: " + ", ".join(missing)
        )
    subject: dict[str, Any] = {}
    if claims.learner.did:
        subject["id"] = claims.learner.did
    subject["type"] = ["AchievementSubject"]
    subject["identifier"] = learner_identifiers(claims.learner, claims.email_salt)
    subject["achievement"] = _achievement(claims)
    earned = claims.credits_earned if claims.credits_earned is not None else claims.ects_credits
    subject["creditsEarned"] = json_number(earned)
    if claims.grade:
        subject["result"] = [
            {
                "type": ["Result"],
                "resultDescription": f"{claims.achievement_id}#grade",
                "value": claims.grade.value,
            }
        ]
    credential: dict[str, Any] = {
        "@context": credential_context(claims.vocabulary_context_url),
        "id": claims.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    with_languages(credential, "name", claims.title, claims.title_languages)
    credential["issuer"] = profile(claims.issuer)
    credential["validFrom"] = claims.issued_on
    if claims.awarded_on:
        credential["awardedDate"] = claims.awarded_on
    if claims.valid_until:
        credential["validUntil"] = claims.valid_until
    credential["credentialSubject"] = subject
    if claims.credential_status:
        credential["credentialStatus"] = status_value(claims.credential_status)
    credential["relatedResource"] = [context_pin(claims.vocabulary_context_url)]
    return credential


def status_value(entries: tuple[dict[str, Any], ...]) -> dict[str, Any] | list[dict[str, Any]]:
    """``credentialStatus``: one entry is written as an object (as the Open Badges 3.0 schema
    requires), several as a list."""
    if len(entries) == 1:
        return dict(entries[0])
    return [dict(entry) for entry in entries]


# -- stacked pathways --------------------------------------------------------------------------


def credential_digest_multibase(credential: dict[str, Any]) -> str:
    """``digestMultibase`` of a credential: base64url multibase of the sha2-256 multihash of its
    RDFC-1.0 canonical form (so re-serialising the JSON does not change it)."""
    return digest_multibase(canonicalize(credential).encode("utf-8"))


@dataclass(frozen=True)
class ConstituentCredential:
    credential_id: str
    digest_multibase: str


@dataclass(frozen=True)
class PathwayClaims:
    credential_id: str
    achievement_id: str
    title: str
    description: str
    criteria_narrative: str
    issuer: AwardingBody
    learner: Learner
    issued_on: str
    constituents: tuple[ConstituentCredential, ...]
    ects_credits: Number
    eqf_level: int | None = None
    email_salt: str | None = field(default=None, repr=False)
    vocabulary_context_url: str = MICROCREDENTIAL_CONTEXT_URL
    # The achievement's badge image (Open Badges 3.0 ``Image``), by URL.
    image_url: str | None = None
    # The pathway's own Annex I content, gathered from its constituents.
    awarding_bodies: tuple[AwardingBody, ...] = ()
    learning_outcomes: tuple[LearningOutcome, ...] = ()
    workload_hours: int | None = None
    qf_ehea_cycle: str | None = None
    assessment_type: str | None = None
    participation_form: str | None = None
    quality_assurance: str | None = None
    # The texts above in every language of the pathway (the default language included).
    title_languages: Translations = field(default_factory=dict)
    description_languages: Translations = field(default_factory=dict)
    criteria_languages: Translations = field(default_factory=dict)


def build_pathway_credential(claims: PathwayClaims) -> dict[str, Any]:
    """An unsigned OB 3.0 credential for a completed pathway of stacked micro-credentials.

    The constituent credentials are referenced by id and digest (VC 2.0 ``relatedResource``),
    so a verifier can check that the stack is made of exactly those credentials.
    """
    if len(claims.constituents) < 1:
        raise IncompleteClaimsError("A pathway credential needs at least one constituent.")
    achievement: dict[str, Any] = {
        "id": claims.achievement_id,
        "type": ["Achievement"],
        "achievementType": "Certificate",
    }
    with_languages(achievement, "name", claims.title, claims.title_languages)
    with_languages(achievement, "description", claims.description, claims.description_languages)
    achievement["criteria"] = with_languages(
        {}, "narrative", claims.criteria_narrative, claims.criteria_languages
    )
    achievement["creditsAvailable"] = json_number(claims.ects_credits)
    achievement["creditSystem"] = "ECTS"
    achievement["integration"] = "stackable"
    achievement["constituentCredential"] = [c.credential_id for c in claims.constituents]
    if claims.image_url:
        achievement["image"] = {"id": claims.image_url, "type": "Image", "caption": claims.title}
    if claims.eqf_level is not None:
        achievement["eqfLevel"] = EQF_LEVEL_URI.format(level=claims.eqf_level)
    if claims.awarding_bodies:
        achievement["awardingBody"] = [
            profile(body, with_identifiers=body.id != claims.issuer.id)
            for body in claims.awarding_bodies
        ]
    if claims.learning_outcomes:
        achievement["learningOutcome"] = [
            learning_outcome_node(outcome) for outcome in claims.learning_outcomes
        ]
    if claims.workload_hours:
        achievement["volumeOfLearning"] = f"PT{claims.workload_hours}H"
    if claims.qf_ehea_cycle:
        achievement["qfEheaCycle"] = claims.qf_ehea_cycle
    if claims.assessment_type:
        achievement["assessmentType"] = claims.assessment_type
    if claims.participation_form:
        achievement["participationForm"] = claims.participation_form
    if claims.quality_assurance:
        achievement["qualityAssurance"] = claims.quality_assurance
    subject: dict[str, Any] = {}
    if claims.learner.did:
        subject["id"] = claims.learner.did
    subject["type"] = ["AchievementSubject"]
    subject["identifier"] = learner_identifiers(claims.learner, claims.email_salt)
    subject["achievement"] = achievement
    subject["creditsEarned"] = json_number(claims.ects_credits)
    credential: dict[str, Any] = {
        "@context": credential_context(claims.vocabulary_context_url),
        "id": claims.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
    }
    with_languages(credential, "name", claims.title, claims.title_languages)
    credential["issuer"] = profile(claims.issuer)
    credential["validFrom"] = claims.issued_on
    credential["credentialSubject"] = subject
    credential["relatedResource"] = [
        {"id": c.credential_id, "digestMultibase": c.digest_multibase} for c in claims.constituents
    ] + [context_pin(claims.vocabulary_context_url)]
    return credential


# -- recognition decisions ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecognitionClaims:
    credential_id: str
    issuer: AwardingBody
    learner: Learner
    issued_on: str
    decision_date: str
    recognised_credentials: tuple[ConstituentCredential, ...]
    outcome: str
    credits_granted: Number
    counts_towards: str
    receiving_programme: str
    substantial_differences: str | None = None
    appeal_information: str | None = None
    vocabulary_context_url: str = MICROCREDENTIAL_CONTEXT_URL
    email_salt: str | None = field(default=None, repr=False)
    # The texts the builder writes (`recognition_texts`), in further languages.
    title_languages: Translations = field(default_factory=dict)
    name_languages: Translations = field(default_factory=dict)
    description_languages: Translations = field(default_factory=dict)
    criteria_languages: Translations = field(default_factory=dict)


@dataclass(frozen=True)
class RecognitionTexts:
    title: str
    name: str
    description: str
    criteria: str


def recognition_texts(claims: RecognitionClaims) -> RecognitionTexts:
    """The English texts of a recognition credential: its title, and its achievement's name,
    description and criteria."""
    return RecognitionTexts(
        title=f"Recognition decision: {claims.receiving_programme}",
        name=f"Recognition towards {claims.receiving_programme}",
        description=(
            f"{claims.issuer.name} recognises the learning of the credentials named in this "
            f"decision ({claims.outcome} recognition) towards {claims.counts_towards}."
        ),
        criteria=(
            "Recognised under the Lisbon Recognition Convention: the receiving institution "
            "compared the learning outcomes and found no substantial difference, or stated "
            "those it found."
        ),
    )


def build_recognition_credential(claims: RecognitionClaims) -> dict[str, Any]:
    """An unsigned credential recording a recognition (credit transfer) decision."""
    if claims.outcome not in RECOGNITION_OUTCOMES:
        raise IncompleteClaimsError(
            f"The recognition outcome must be one of {', '.join(RECOGNITION_OUTCOMES)}."
        )
    if not claims.recognised_credentials:
        raise IncompleteClaimsError("A recognition credential names the credential(s) recognised.")
    if claims.outcome != "full" and not claims.substantial_differences:
        raise IncompleteClaimsError(
            "A partial or conditional recognition must state the substantial differences found."
        )
    subject: dict[str, Any] = {}
    if claims.learner.did:
        subject["id"] = claims.learner.did
    # An Open Badges AchievementSubject too, so Open Badges 3.0 verifiers and schemas accept it;
    # the decision itself is in the portal's terms.
    subject["type"] = ["AchievementSubject", "RecognitionDecision"]
    subject["name"] = claims.learner.full_name
    subject["identifier"] = learner_identifiers(claims.learner, claims.email_salt)
    texts = recognition_texts(claims)
    achievement: dict[str, Any] = {
        "id": f"{claims.credential_id}#achievement",
        "type": ["Achievement"],
    }
    with_languages(achievement, "name", texts.name, claims.name_languages)
    with_languages(achievement, "description", texts.description, claims.description_languages)
    achievement["criteria"] = with_languages(
        {}, "narrative", texts.criteria, claims.criteria_languages
    )
    achievement["creditsAvailable"] = json_number(claims.credits_granted)
    subject["achievement"] = achievement
    recognised_ids = [credential.credential_id for credential in claims.recognised_credentials]
    subject["recognisedCredential"] = (
        recognised_ids[0] if len(recognised_ids) == 1 else recognised_ids
    )
    subject["decisionOutcome"] = claims.outcome
    subject["creditsGranted"] = json_number(claims.credits_granted)
    subject["countsTowards"] = claims.counts_towards
    subject["receivingProgramme"] = claims.receiving_programme
    subject["decisionDate"] = claims.decision_date
    if claims.substantial_differences:
        subject["substantialDifferences"] = claims.substantial_differences
    if claims.appeal_information:
        subject["appealInformation"] = claims.appeal_information
    credential: dict[str, Any] = {
        "@context": credential_context(claims.vocabulary_context_url),
        "id": claims.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential", "RecognitionDecisionCredential"],
    }
    with_languages(credential, "name", texts.title, claims.title_languages)
    credential["issuer"] = profile(claims.issuer)
    credential["validFrom"] = claims.issued_on
    credential["credentialSubject"] = subject
    credential["relatedResource"] = [
        {"id": recognised.credential_id, "digestMultibase": recognised.digest_multibase}
        for recognised in claims.recognised_credentials
    ] + [context_pin(claims.vocabulary_context_url)]
    return credential
