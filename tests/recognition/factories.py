"""Building recognition objects for tests through the services, so tests exercise the same
rules as the portal."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from issuance.vc.builders import AwardingBody
from issuance.vc.keys import private_key_from_seed
from issuance.vc.signing import Ed25519Signer, add_proof
from recognition import services
from recognition.models import RecognitionTarget, RequestKind
from recognition.samples import ExternalCourse, sign_external_credential
from tests.catalogue.factories import DATA_SKILL, ML_SKILL, ensure_esco_loaded

PROVIDER_KEY = private_key_from_seed(bytes(range(32)))
RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

DATA_COURSE = ExternalCourse(
    title="Applied data analysis",
    ects=Decimal("5"),
    eqf_level=6,
    outcomes=[
        ("Analyse large data sets", [(DATA_SKILL, "analyse big data")]),
        ("Train machine-learning models", [(ML_SKILL, "utilise machine learning")]),
    ],
    grade="8",
)


def signed_credential(course: ExternalCourse = DATA_COURSE, **kwargs: Any) -> dict[str, Any]:
    return sign_external_credential(
        PROVIDER_KEY,
        course,
        learner_name="Dana Learner",
        learner_email="dana@learner.example",
        **kwargs,
    )


def without(document: dict[str, Any], *achievement_keys: str) -> dict[str, Any]:
    """An unsigned copy of a credential lacking some achievement elements."""
    copied = copy.deepcopy(document)
    copied.pop("proof", None)
    for key in achievement_keys:
        copied["credentialSubject"]["achievement"].pop(key, None)
    return add_proof(copied, Ed25519Signer(PROVIDER_KEY), created="2026-01-15T10:00:00Z")


def policy(actor, institution, **overrides: Any):
    values = {
        "time_limit_days": 30,
        "appeal_period_days": 14,
        "appeals_decided_by": "other_officer",
    }
    values.update(overrides)
    return services.save_policy(actor=actor, institution=institution, **values)


def target(actor, institution, **overrides: Any) -> RecognitionTarget:
    ensure_esco_loaded()
    data: dict[str, Any] = {
        "code": "DS101",
        "title": "Data science fundamentals",
        "programme_title": "BSc Computer Science",
        "ects": Decimal("5"),
        "eqf_level": 6,
        "assessment_type": "Written exam",
        "learning_outcomes": ["Analyse data", "Train models"],
        "skill_uris": [DATA_SKILL, ML_SKILL],
    }
    data.update(overrides)
    return services.create_target(actor=actor, institution=institution, data=data)


def submit(
    learner, institution, course_target=None, *, documents=None, now=RECEIVED, **kwargs: Any
):
    documents = documents if documents is not None else [signed_credential()]
    return services.submit_request(
        learner=learner,
        institution=institution,
        kind=RequestKind.COURSE if course_target is not None else RequestKind.FREE_ELECTIVE,
        target=course_target,
        motivation=kwargs.pop("motivation", "I took this course last year."),
        credentials=[services.CredentialInput(document=d) for d in documents],
        now=now,
        **kwargs,
    )


def institution_body(slug: str) -> AwardingBody:
    return AwardingBody(id=f"did:web:portal.test:institutions:{slug}", name=slug, country_code="ES")
