"""Credentials of an external provider, built and signed with the credential library: the
demo's recognition cases and the benchmark use them (the portal's own issuance is a separate
pipeline). The provider is a did:key issuer, so its credentials verify offline."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from credential_format.builders import (
    AwardingBody,
    Grade,
    Learner,
    LearningOutcome,
    MicroCredentialClaims,
    Skill,
    build_micro_credential,
)
from credential_format.keys import did_key_for
from credential_format.signing import Ed25519Signer, add_proof


@dataclass(frozen=True)
class ExternalCourse:
    title: str
    ects: Decimal
    eqf_level: int
    outcomes: Sequence[tuple[str, Sequence[tuple[str, str]]]]  # (text, [(ESCO URI, label)])
    assessment_type: str = "Written exam and graded project"
    supervision: str | None = "supervised-with-identity-verification"
    quality_assurance: str = "Internal quality assurance certified under ISO 21001"
    grade: str | None = None
    achievement_id: str | None = None


def external_provider(
    private_key: Ed25519PrivateKey, name: str = "Open Learning Institute"
) -> AwardingBody:
    return AwardingBody(id=did_key_for(private_key), name=name, country_code="IE")


def sign_external_credential(
    private_key: Ed25519PrivateKey,
    course: ExternalCourse,
    *,
    learner_name: str,
    learner_email: str,
    issued_on: str = "2026-01-15T10:00:00Z",
    provider_name: str = "Open Learning Institute",
    learner_did: str | None = None,
) -> dict[str, object]:
    provider = external_provider(private_key, provider_name)
    claims = MicroCredentialClaims(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        achievement_id=course.achievement_id
        or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, course.title)}",
        title=course.title,
        description=f"{course.title}: an online course with a supervised final assessment.",
        criteria_narrative="Complete every unit and pass the final assessment.",
        issuer=provider,
        awarding_bodies=(provider,),
        learner=Learner(full_name=learner_name, did=learner_did, email=learner_email),
        issued_on=issued_on,
        learning_outcomes=tuple(
            LearningOutcome(text, tuple(Skill(uri, label) for uri, label in skills))
            for text, skills in course.outcomes
        ),
        ects_credits=course.ects,
        eqf_level=course.eqf_level,
        assessment_type=course.assessment_type,
        participation_form="online",
        quality_assurance=course.quality_assurance,
        supervision=course.supervision,
        grade=Grade(course.grade) if course.grade else None,
    )
    return add_proof(build_micro_credential(claims), Ed25519Signer(private_key), created=issued_on)
