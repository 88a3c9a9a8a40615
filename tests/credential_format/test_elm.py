"""The ELM / European Digital Credential export against the Commission's EDC generic shapes
(controlled vocabularies included), validated by pySHACL with the official context."""

import dataclasses

import pytest

from credential_format.builders import IncompleteClaimsError
from credential_format.elm import ElmDetails, OrganisationDetails, build_elm_credential

from .elm_shacl import official_sample, violations
from .sample_claims import COORDINATOR, ELM_DETAILS, PARTNER, micro_credential_claims

LANGUAGE = "http://publications.europa.eu/resource/authority/language/"


@pytest.fixture(scope="module")
def joint_edc():
    return build_elm_credential(micro_credential_claims(), ELM_DETAILS)


def test_a_joint_micro_credential_conforms_to_the_edc_generic_profile(joint_edc):
    assert violations(joint_edc) == []


def test_a_single_institution_credential_with_only_the_mandatory_elements_conforms():
    claims = dataclasses.replace(
        micro_credential_claims(learner_did=None),
        awarding_bodies=(COORDINATOR,),
        grade=None,
        supervision=None,
        integration=None,
        qf_ehea_cycle=None,
        prerequisites=None,
        workload_hours=None,
        field_of_study=None,
        further_information=None,
        participation_form="online",
    )
    details = ElmDetails(
        organisations={COORDINATOR.id: OrganisationDetails(legal_identifier="VATBE-0419052173")}
    )
    document = build_elm_credential(claims, details)
    assert violations(document) == []
    assessment = document["credentialSubject"]["hasClaim"][0]["provenBy"][0]
    assert assessment["grade"]["noteLiteral"] == {"en": "Passed"}


def test_the_validator_catches_what_the_earlier_export_got_wrong(joint_edc):
    """Negative controls: the shapes do fail documents missing what the profile requires."""
    broken = dict(joint_edc)
    broken["displayParameter"] = {
        key: value
        for key, value in joint_edc["displayParameter"].items()
        if key != "individualDisplay"
    }
    assert any("individualDisplay" in line for line in violations(broken))
    english_as_en = dict(joint_edc)
    english_as_en["displayParameter"] = dict(joint_edc["displayParameter"])
    english_as_en["displayParameter"]["primaryLanguage"] = {
        "id": LANGUAGE + "EN",
        "type": "Concept",
        "prefLabel": {"en": "English"},
    }
    assert any("primaryLanguage" in line for line in violations(english_as_en))


def test_the_commissions_unsigned_sample_lacks_only_what_the_sealing_step_adds():
    """The official sample goes through the same validator: the issue date and the issuer's
    eIDAS identifier are added by the EDC issuer when sealing, and are reported missing."""
    reported = violations(official_sample())
    assert any("credentials#issued" in line for line in reported)
    assert any("eidasLegalIdentifier" in line for line in reported)
    assert len([line for line in reported if line.startswith("urn:credential")]) == 2


def test_languages_use_the_eu_vocabulary_and_texts_are_in_every_language(joint_edc):
    display = joint_edc["displayParameter"]
    assert display["primaryLanguage"]["id"] == LANGUAGE + "ENG"
    assert [language["id"] for language in display["language"]] == [
        LANGUAGE + "ENG",
        LANGUAGE + "SPA",
    ]
    assert {d["language"]["id"] for d in display["individualDisplay"]} == {
        LANGUAGE + "ENG",
        LANGUAGE + "SPA",
    }
    specification = joint_edc["credentialSubject"]["hasClaim"][0]["specifiedBy"]
    assert specification["title"] == {
        "en": "Data Literacy for Public Policy",
        "es": "Alfabetización de datos para políticas públicas",
    }
    assert set(specification["learningOutcome"][1]["title"]) == {"en", "es"}


def test_every_annex_i_element_is_in_the_export(joint_edc):
    issuer = joint_edc["issuer"]
    assert issuer["eIDASIdentifier"]["notation"] == "VATBE-0419052173"
    assert issuer["location"]["spatialCode"]["id"] == "http://data.europa.eu/nuts/code/BE242"
    assert [(i["schemeName"], i["notation"]) for i in issuer["identifier"]] == [
        ("Erasmus institution code", "B LEUVEN01"),
        ("PIC", "999986096"),
    ]
    claim = joint_edc["credentialSubject"]["hasClaim"][0]
    bodies = claim["awardedBy"]["awardingBody"]
    assert [body["id"] for body in bodies] == [COORDINATOR.id, PARTNER.id]
    assert [body["location"]["address"]["countryCode"]["id"][-3:] for body in bodies] == [
        "BEL",
        "POL",
    ]
    specification = claim["specifiedBy"]
    assert specification["eqfLevel"]["id"] == "http://data.europa.eu/snb/eqf/6"
    assert specification["creditPoint"][0]["point"] == "5"
    assert specification["volumeOfLearning"] == "PT140H"
    assert specification["mode"][0]["prefLabel"] == {"en": "Blended"}
    assert specification["thematicArea"][0]["id"] == "http://data.europa.eu/snb/isced-f/0688"
    assert specification["isPartOf"][0]["id"].endswith("/pathways/public-data-science")
    assert specification["isPartialQualification"] is True
    notes = " | ".join(note["noteLiteral"]["en"] for note in specification["additionalNote"])
    for expected in ("NVAO", "QF-EHEA first cycle", "Stackable towards a larger credential"):
        assert expected in notes
    assessment = claim["provenBy"][0]
    assert assessment["grade"]["noteLiteral"] == {"en": "B"}
    assert assessment["additionalNote"][0]["noteLiteral"]["en"].startswith("Supervised, with")
    assert joint_edc["credentialSubject"]["fullName"] == {"en": "Zoë Ångström-Łukasiewicz"}
    assert "contactPoint" not in joint_edc["credentialSubject"]  # the e-mail stays private


def test_the_integrated_option_is_carried():
    claims = dataclasses.replace(micro_credential_claims(), integration="integrated")
    specification = build_elm_credential(claims, ELM_DETAILS)["credentialSubject"]["hasClaim"][0][
        "specifiedBy"
    ]
    notes = [note["noteLiteral"]["en"] for note in specification["additionalNote"]]
    assert "Integrated into a larger credential" in notes


def test_an_issuer_without_an_eidas_identifier_cannot_be_exported():
    with pytest.raises(IncompleteClaimsError, match="eIDAS legal identifier"):
        build_elm_credential(micro_credential_claims(), ElmDetails())
