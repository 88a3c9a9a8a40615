"""Credentials carry their texts in every language of the programme: the plain Open Badges value
in the default language (the 1EdTech schema wants a string), and a JSON-LD language map that
names the same property, so each translation is signed as a language-tagged value of it."""

from __future__ import annotations

import dataclasses

from credential_format.builders import (
    ConstituentCredential,
    Learner,
    LearningOutcome,
    PathwayClaims,
    build_micro_credential,
    build_pathway_credential,
    credential_digest_multibase,
    language_map,
)
from credential_format.jsonld import canonicalize
from credential_format.verification import verify_credential

from .sample_claims import COORDINATOR, micro_credential_claims
from .test_verification import COORDINATOR_SIGNER, NOW, _world, add_proof

SCHEMA_NAME = "<https://schema.org/name>"
SCHEMA_DESCRIPTION = "<https://schema.org/description>"
NARRATIVE = "<https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative>"
ASSESSMENT = "<https://w3id.org/alliance-credentials/vocab#assessmentType>"

TITLE = {"en": "Open data literacy", "es": "Alfabetización en datos", "de": "Datenkompetenz"}
OUTCOME = {
    "en": "Clean open data sets.",
    "es": "Limpiar conjuntos de datos abiertos.",
    "de": "Offene Datensätze bereinigen.",
}


def _multilingual_claims():
    claims = micro_credential_claims()
    return dataclasses.replace(
        claims,
        title=TITLE["en"],
        title_languages=TITLE,
        description_languages={"en": claims.description, "es": "Una microcredencial."},
        criteria_languages={"en": claims.criteria_narrative, "de": "Die Prüfung bestehen."},
        assessment_type_languages={"en": claims.assessment_type, "es": "Examen escrito"},
        learning_outcomes=(
            LearningOutcome(text=OUTCOME["en"], text_languages=OUTCOME),
            *claims.learning_outcomes[1:],
        ),
    )


def test_the_default_language_stays_the_plain_string_and_every_language_is_in_the_map():
    document = build_micro_credential(_multilingual_claims())
    achievement = document["credentialSubject"]["achievement"]
    assert document["name"] == achievement["name"] == "Open data literacy"
    assert document["nameLanguages"] == achievement["nameLanguages"] == TITLE
    assert achievement["inLanguage"] == "en"
    assert achievement["descriptionLanguages"]["es"] == "Una microcredencial."
    assert achievement["criteria"]["narrativeLanguages"]["de"] == "Die Prüfung bestehen."
    assert achievement["assessmentTypeLanguages"]["es"] == "Examen escrito"
    outcome = achievement["learningOutcome"][0]
    assert outcome["name"] == OUTCOME["en"]
    assert outcome["nameLanguages"] == OUTCOME


def test_each_translation_is_signed_as_a_language_tagged_value_of_the_same_property():
    canonical = canonicalize(build_micro_credential(_multilingual_claims()))
    assert f'{SCHEMA_NAME} "Open data literacy" .' in canonical
    assert f'{SCHEMA_NAME} "Alfabetización en datos"@es .' in canonical
    assert f'{SCHEMA_NAME} "Datenkompetenz"@de .' in canonical
    assert f'{SCHEMA_NAME} "Offene Datensätze bereinigen."@de .' in canonical
    assert f'{SCHEMA_DESCRIPTION} "Una microcredencial."@es .' in canonical
    assert f'{NARRATIVE} "Die Prüfung bestehen."@de .' in canonical
    assert f'{ASSESSMENT} "Examen escrito"@es .' in canonical


def test_a_programme_in_one_language_gets_no_language_maps():
    claims = dataclasses.replace(
        micro_credential_claims(), title_languages={"en": micro_credential_claims().title}
    )
    document = build_micro_credential(claims)
    assert "nameLanguages" not in document
    assert "nameLanguages" not in document["credentialSubject"]["achievement"]
    assert language_map("Title", {}) is None
    assert language_map("Title", {"en": "Title"}) is None
    assert language_map("Title", {"es": "Título", "en": "Title", "de": ""}) == {
        "en": "Title",
        "es": "Título",
    }


def test_a_multilingual_credential_signs_and_verifies():
    signed = add_proof(build_micro_credential(_multilingual_claims()), COORDINATOR_SIGNER)
    report = verify_credential(signed, fetcher=_world(), now=NOW)
    assert report.verified, report.to_dict()


def test_a_translation_changed_after_signing_fails_verification():
    signed = add_proof(build_micro_credential(_multilingual_claims()), COORDINATOR_SIGNER)
    signed["credentialSubject"]["achievement"]["nameLanguages"]["es"] = "Otro título"
    assert not verify_credential(signed, fetcher=_world(), now=NOW).verified


def test_a_pathway_credential_carries_its_title_in_every_language():
    part = add_proof(build_micro_credential(micro_credential_claims()), COORDINATOR_SIGNER)
    pathway = build_pathway_credential(
        PathwayClaims(
            credential_id="urn:uuid:4b1a3c2e-0000-4000-8000-000000000002",
            achievement_id="https://portal.example.eu/pathways/open-data",
            title=TITLE["en"],
            description="Two stacked micro-credentials.",
            criteria_narrative="Hold both constituent micro-credentials.",
            issuer=COORDINATOR,
            learner=Learner("Zoë"),
            issued_on="2025-06-01T00:00:00Z",
            constituents=(ConstituentCredential(part["id"], credential_digest_multibase(part)),),
            ects_credits=5,
            title_languages=TITLE,
            learning_outcomes=(LearningOutcome(text=OUTCOME["en"], text_languages=OUTCOME),),
        )
    )
    achievement = pathway["credentialSubject"]["achievement"]
    assert pathway["nameLanguages"] == achievement["nameLanguages"] == TITLE
    assert achievement["learningOutcome"][0]["nameLanguages"] == OUTCOME
    assert f'{SCHEMA_NAME} "Datenkompetenz"@de .' in canonicalize(pathway)
