import dataclasses

import pytest

from credential_format.builders import (
    AwardingBody,
    ConstituentCredential,
    IncompleteClaimsError,
    Learner,
    PathwayClaims,
    RecognitionClaims,
    build_micro_credential,
    build_pathway_credential,
    build_recognition_credential,
    credential_digest_multibase,
)
from credential_format.jsonld import canonicalize
from credential_format.signing import Ed25519Signer, add_proof

from .sample_claims import COORDINATOR, micro_credential_claims

OB = "https://purl.imsglobal.org/spec/vc/ob/vocab.html#"
PORTAL = "https://w3id.org/alliance-credentials/vocab#"

# Each Annex I element (and the optional ones) -> a predicate that must be in the signed data.
EU_ELEMENTS = {
    "learner identification": f"<{OB}identifier>",
    "title": "<https://schema.org/name>",
    "country of the awarding bodies": f"<{OB}CountryCode>",
    "awarding bodies": f"<{PORTAL}awardingBody>",
    "date of issuing": "<https://www.w3.org/2018/credentials#validFrom>",
    "learning outcomes": f"<{PORTAL}learningOutcome>",
    "ESCO skills": f"<{OB}alignment>",
    "ECTS workload": f"<{OB}creditsAvailable>",
    "credit system": f"<{PORTAL}creditSystem>",
    "volume of learning": f"<{PORTAL}volumeOfLearning>",
    "EQF level": f"<{PORTAL}eqfLevel>",
    "QF-EHEA cycle": f"<{PORTAL}qfEheaCycle>",
    "assessment type": f"<{PORTAL}assessmentType>",
    "participation form": f"<{PORTAL}participationForm>",
    "quality assurance": f"<{PORTAL}qualityAssurance>",
    "prerequisites": f"<{PORTAL}prerequisites>",
    "supervision and identity verification": f"<{PORTAL}supervisionAndIdentityVerification>",
    "grade": f"<{OB}result>",
    "integration / stackability": f"<{PORTAL}integration>",
    "stackable towards": f"<{PORTAL}stackableTowards>",
    "further information": f"<{PORTAL}furtherInformation>",
    "achievement type": f'<{OB}achievementType> "MicroCredential"',
    "credits earned": f"<{OB}creditsEarned>",
    "status": "<https://www.w3.org/ns/credentials/status#statusPurpose>",
}


def test_every_eu_element_survives_json_ld_expansion():
    canonical = canonicalize(build_micro_credential(micro_credential_claims()))
    missing = [name for name, predicate in EU_ELEMENTS.items() if predicate not in canonical]
    assert missing == []


def test_micro_credential_follows_open_badges_structure():
    document = build_micro_credential(micro_credential_claims())
    assert document["@context"][:2] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    achievement = document["credentialSubject"]["achievement"]
    assert achievement["achievementType"] == "MicroCredential"
    alignment = achievement["alignment"][0]
    assert alignment["targetFramework"] == "ESCO"
    assert alignment["targetUrl"].startswith("http://data.europa.eu/esco/skill/")
    assert achievement["eqfLevel"] == "http://data.europa.eu/snb/eqf/6"
    assert document["credentialSubject"]["creditsEarned"] == 5


def test_hashed_identifiers_do_not_reveal_the_email():
    document = build_micro_credential(micro_credential_claims())
    identifiers = document["credentialSubject"]["identifier"]
    email = next(i for i in identifiers if i["identityType"] == "emailAddress")
    assert email["hashed"] is True
    assert "zoe@example.org" not in str(document)


def test_missing_mandatory_elements_block_issuance():
    claims = dataclasses.replace(
        micro_credential_claims(), learning_outcomes=(), quality_assurance="", eqf_level=0
    )
    with pytest.raises(IncompleteClaimsError) as raised:
        build_micro_credential(claims)
    message = str(raised.value)
    for element in ("learning outcomes", "quality assurance", "EQF level"):
        assert element in message


def test_pathway_credential_references_constituents_by_id_and_digest():
    parts = [build_micro_credential(micro_credential_claims()) for _ in range(2)]
    signer = Ed25519Signer.from_seed(bytes(32))
    signed_parts = [add_proof(part, signer) for part in parts]
    constituents = tuple(
        ConstituentCredential(p["id"], credential_digest_multibase(p)) for p in signed_parts
    )
    pathway = build_pathway_credential(
        PathwayClaims(
            credential_id="urn:uuid:4b1a3c2e-0000-4000-8000-000000000001",
            achievement_id="https://portal.example.eu/pathways/public-data-science",
            title="Public Data Science pathway",
            description="Two stacked micro-credentials.",
            criteria_narrative="Hold both constituent micro-credentials.",
            issuer=COORDINATOR,
            learner=Learner("Zoë", did="did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
            issued_on="2025-06-01T00:00:00Z",
            constituents=constituents,
            ects_credits=10,
            eqf_level=6,
        )
    )
    canonical = canonicalize(pathway)
    # the two constituents, and the pinned micro-credential context
    assert canonical.count("<https://www.w3.org/2018/credentials#relatedResource>") == 3
    assert all(c.digest_multibase in canonical for c in constituents)
    assert constituents[0].digest_multibase.startswith("uEi")


def test_recognition_decision_credential_expands_and_requires_reasons_for_partial():
    claims = RecognitionClaims(
        credential_id="urn:uuid:4b1a3c2e-0000-4000-8000-000000000002",
        issuer=AwardingBody("did:web:uni-b.example.eu", "Uni B", "DE"),
        learner=Learner("Zoë", did="did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"),
        issued_on="2025-07-01T00:00:00Z",
        decision_date="2025-06-30T12:00:00Z",
        recognised_credentials=(
            ConstituentCredential("urn:uuid:4b1a3c2e-0000-4000-8000-000000000003", "uEiDummy"),
        ),
        outcome="partial",
        credits_granted=3,
        counts_towards="Elective module DS-201",
        receiving_programme="MSc Data Science",
        substantial_differences="No assessed group work.",
        appeal_information="Appeal to the faculty board within 30 days.",
    )
    canonical = canonicalize(build_recognition_credential(claims))
    for term in (
        "recognisedCredential",
        "creditsGranted",
        "countsTowards",
        "decisionOutcome",
        "substantialDifferences",
        "appealInformation",
    ):
        assert f"<https://w3id.org/alliance-credentials/vocab#{term}>" in canonical
    with pytest.raises(IncompleteClaimsError, match="substantial differences"):
        build_recognition_credential(dataclasses.replace(claims, substantial_differences=None))
