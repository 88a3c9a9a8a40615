"""Building recognition objects for tests through the services, so tests exercise the same
rules as the portal."""

from __future__ import annotations

import copy
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from credential_format.builders import AwardingBody
from credential_format.keys import private_key_from_seed
from credential_format.signing import Ed25519Signer, add_proof
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


# --- credentials issued on this portal ---------------------------------------------------

INSTITUTION_KEY = private_key_from_seed(bytes([7]) * 32)


def issued_here_credential(version, institution, *, grade: str = "8", learner_name="Dana Learner"):
    """A micro-credential signed by the institution's did:web key for a programme version."""
    from credential_format.builders import (
        Grade,
        Learner,
        LearningOutcome,
        MicroCredentialClaims,
        Skill,
        build_micro_credential,
    )
    from issuance.identity import achievement_id, institution_did

    snapshot = version.snapshot
    did = institution_did(institution)
    body = AwardingBody(id=did, name=institution.legal_name, country_code=str(institution.country))
    claims = MicroCredentialClaims(
        credential_id=f"urn:uuid:{uuid.uuid4()}",
        achievement_id=achievement_id(version.pk),
        title=snapshot["title"]["en"],
        description=snapshot["summary"]["en"],
        criteria_narrative="Pass the assessment.",
        issuer=body,
        awarding_bodies=(body,),
        learner=Learner(full_name=learner_name, email="dana@learner.example"),
        issued_on="2026-01-20T10:00:00Z",
        learning_outcomes=tuple(
            LearningOutcome(
                outcome["text"]["en"], tuple(Skill(s["uri"], s["label"]) for s in outcome["skills"])
            )
            for outcome in snapshot["learning_outcomes"]
        ),
        ects_credits=Decimal(snapshot["workload"]["ects"]),
        eqf_level=snapshot["eqf_level"],
        assessment_type=snapshot["assessment_type"]["en"],
        participation_form=snapshot["participation_form"],
        quality_assurance=snapshot["quality_assurance"]["en"],
        supervision="supervised-with-identity-verification",
        grade=Grade(grade),
    )
    signer = Ed25519Signer(INSTITUTION_KEY, verification_method=f"{did}#key-1")
    return add_proof(build_micro_credential(claims), signer, created="2026-01-20T10:00:00Z")


class PortalFetcher:
    """Serves the did:web documents of the given institutions, as the portal's own resolver
    would; anything else cannot be fetched."""

    def __init__(self, *institutions):
        from credential_format.keys import (
            PublishedKey,
            build_did_web_document,
            did_web_document_url,
            public_key_multibase,
        )
        from issuance.identity import institution_did

        self.documents = {}
        for institution in institutions:
            did = institution_did(institution)
            key = PublishedKey("key-1", public_key_multibase(INSTITUTION_KEY))
            self.documents[did_web_document_url(did)] = build_did_web_document(did, [key], [])

    def fetch_json(self, url):
        from credential_format.verification import FetchError

        if url not in self.documents:
            raise FetchError(f"{url} is not published")
        return self.documents[url]


def record_issued(document, learner, institution, version=None):
    """Record `document` as issued by the portal to `learner` (as the issuance pipeline does),
    so the holder check can find who it was issued to."""
    import json

    from credential_format.builders import credential_digest_multibase
    from issuance.models import Credential, CredentialKind, CredentialState

    return Credential.objects.create(
        uuid=uuid.UUID(document["id"].removeprefix("urn:uuid:")),
        natural_key=f"test:{document['id']}",
        kind=CredentialKind.MICRO,
        state=CredentialState.ISSUED,
        learner=learner,
        issuer=institution,
        programme_version=version,
        document_json=json.dumps(document),
        digest_multibase=credential_digest_multibase(document),
    )


def issued_to(learner, version, institution, **kwargs: Any) -> dict[str, Any]:
    """A credential issued on this portal to `learner` (signed and recorded)."""
    document = issued_here_credential(
        version, institution, learner_name=learner.full_name, **kwargs
    )
    record_issued(document, learner, institution, version)
    return document


def trust_provider(name: str = "Provider University"):
    """Register the test provider (a did:key issuer) in the trust registry."""
    from credential_format.keys import did_key_for
    from recognition.models import TrustedIssuer

    return TrustedIssuer.objects.get_or_create(
        did=did_key_for(PROVIDER_KEY), defaults={"name": name, "country": "IE"}
    )[0]


def vouch(officer, request, position: int = 1):
    """The officer records an identity check for the request's credential."""
    return services.record_identity_check(
        officer=officer, case=request, position=position, note="Passport checked in person."
    )
