"""A credential issued for a programme written in English, Spanish and German carries its texts
in the three languages: the plain Open Badges values in English, the language maps with all three,
signed, and verifying with the portal's verifier."""

from __future__ import annotations

import pytest

from credential_format import builders
from credential_format.contexts import MICROCREDENTIAL_V2_PATH
from credential_format.jsonld import canonicalize
from credential_format.verification import verify_credential
from issuance import claims as claims_mapping
from issuance.models import Credential
from tests.catalogue.factories import ensure_esco_loaded, open_offering, published_programme
from tests.issuance.factories import enrol_all, issue_credential, record_pass

SCHEMA_NAME = "<https://schema.org/name>"


def test_a_credential_carries_the_programmes_texts_in_each_of_its_languages(
    alice, institution_a, dana, portal_fetcher
):
    document = issue_credential(alice, institution_a, dana).document
    achievement = document["credentialSubject"]["achievement"]

    assert document["@context"][-1].endswith(MICROCREDENTIAL_V2_PATH)
    assert document["name"] == achievement["name"] == "Data literacy for engineers"
    assert document["nameLanguages"] == {
        "de": "Datenkompetenz",
        "en": "Data literacy for engineers",
        "es": "Alfabetización de datos",
    }
    assert achievement["nameLanguages"] == document["nameLanguages"]
    assert achievement["descriptionLanguages"]["de"] == "Daten lesen und prüfen."
    assert achievement["assessmentTypeLanguages"]["es"] == "Proyecto con defensa oral"
    assert achievement["qualityAssuranceLanguages"]["de"].startswith("Interne QS, ESG 2015")
    narratives = achievement["criteria"]["narrativeLanguages"]
    assert narratives["en"] == achievement["criteria"]["narrative"]
    assert narratives["es"] == (
        "Alcanzar los resultados de aprendizaje de Alfabetización de datos y superar su "
        "evaluación: Proyecto con defensa oral"
    )
    assert narratives["de"].startswith("Die Lernergebnisse von Datenkompetenz erreichen")
    assert achievement["learningOutcome"][0]["nameLanguages"] == {
        "de": "Einen Datensatz analysieren",
        "en": "Analyse a data set and report its limits",
        "es": "Analizar un conjunto de datos",
    }

    canonical = canonicalize(document)
    assert f'{SCHEMA_NAME} "Datenkompetenz"@de .' in canonical
    assert f'{SCHEMA_NAME} "Entrenar un modelo sencillo"@es .' in canonical
    assert verify_credential(document, fetcher=portal_fetcher).verified


def test_a_programme_in_english_only_gets_plain_texts(alice, institution_a, dana):
    ensure_esco_loaded()
    programme = published_programme(
        alice,
        institution_a,
        slug="english-only",
        title={"en": "Data literacy"},
        summary={"en": "Read data."},
        assessment_type={"en": "Project"},
        quality_assurance={"en": "Internal QA"},
        languages=["en"],
    )
    offering = open_offering(alice, programme, code="english-only-1")
    result = record_pass(alice, enrol_all(offering, [dana])[0])
    document = Credential.objects.get(natural_key=f"result:{result.pk}").document
    achievement = document["credentialSubject"]["achievement"]
    assert "nameLanguages" not in document
    assert "nameLanguages" not in achievement
    assert "narrativeLanguages" not in achievement["criteria"]


@pytest.mark.parametrize("outcome", ["full", "partial", "conditional"])
def test_a_recognition_credentials_sentences_are_written_in_each_portal_language(outcome):
    claims = builders.RecognitionClaims(
        credential_id="urn:uuid:4b1a3c2e-0000-4000-8000-000000000003",
        issuer=builders.AwardingBody("did:web:portal.example:institutions:uni-a", "Uni A", "ES"),
        learner=builders.Learner("Dana Learner"),
        issued_on="2026-01-01T00:00:00Z",
        decision_date="2026-01-01T00:00:00Z",
        recognised_credentials=(builders.ConstituentCredential("urn:uuid:1", "uEiA"),),
        outcome=outcome,
        credits_granted=6,
        counts_towards="Free electives",
        receiving_programme="BSc Data Science",
        substantial_differences=None if outcome == "full" else "Less statistics.",
    )
    document = builders.build_recognition_credential(
        claims_mapping.with_recognition_translations(claims)
    )
    achievement = document["credentialSubject"]["achievement"]
    # The English the portal translates is exactly the English the builder writes.
    assert document["nameLanguages"]["en"] == document["name"]
    for node, term in [(achievement, "name"), (achievement, "description")]:
        assert node[f"{term}Languages"]["en"] == node[term], term
    criteria = achievement["criteria"]
    assert criteria["narrativeLanguages"]["en"] == criteria["narrative"]
    assert achievement["nameLanguages"]["es"] == "Reconocimiento para BSc Data Science"
    assert set(achievement["descriptionLanguages"]) == {"en", "es", "ca", "de", "fr"}
