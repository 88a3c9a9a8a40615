"""The one reader of a credential document's structure (credential_format.reading)."""

from __future__ import annotations

import pytest

from credential_format.builders import build_micro_credential
from credential_format.reading import (
    CredentialDocument,
    as_list,
    has_language,
    language_of,
    read_credential,
    text,
    text_in,
)
from tests.credential_format.sample_claims import micro_credential_claims


def test_our_micro_credential_reads_in_its_known_places():
    document = build_micro_credential(micro_credential_claims())
    credential = read_credential(document)
    assert credential.id == document["id"]
    assert credential.kind == "OpenBadgeCredential"
    assert credential.issuer == document["issuer"]
    assert credential.valid_from == document["validFrom"]
    assert credential.subject == document["credentialSubject"]
    assert credential.achievement == document["credentialSubject"]["achievement"]


def test_lists_and_older_names_are_read_the_same_way():
    credential = read_credential(
        {
            "id": "urn:uuid:1",
            "type": "VerifiableCredential",
            "issuanceDate": "2020-01-01T00:00:00Z",
            "expirationDate": "2030-01-01T00:00:00Z",
            "credentialSubject": [
                "not an object",
                {"id": "did:example:holder", "result": [{"value": "9"}, "x"]},
            ],
            "proof": [{"proofValue": "z1"}, 3, {"proofValue": "z2"}],
        }
    )
    assert credential.kind == ""
    assert credential.valid_from == "2020-01-01T00:00:00Z"
    assert credential.valid_until == "2030-01-01T00:00:00Z"
    assert credential.subject["id"] == "did:example:holder"
    assert credential.achievement is None
    assert [result["value"] for result in credential.results] == ["9"]
    assert [proof["proofValue"] for proof in credential.proofs] == ["z1", "z2"]


@pytest.mark.parametrize("document", [None, "text", [1, 2], 7])
def test_anything_but_an_object_reads_as_an_empty_document(document):
    assert read_credential(document) == CredentialDocument()


def test_one_or_many():
    assert as_list(None) == []
    assert as_list("a") == ["a"]
    assert as_list(["a", "b"]) == ["a", "b"]


# Field-level reading: one behaviour for the display (verification.summaries) and recognition
# (recognition.parsing), which used to read these fields differently.


def test_text_strips_reads_numbers_and_value_objects():
    assert text("  Data science \n") == "Data science"
    assert text(6) == "6"
    assert text(True) == ""
    assert text({"@value": " 7.5 ", "@language": "en"}) == "7.5"
    assert text(None) == ""


def test_text_reads_a_language_map_in_the_readers_language_then_english_then_sorted():
    names = {"fr": "Science", "de": "Wissenschaft", "en": "Science EN"}
    assert text(names, "de") == "Wissenschaft"
    assert text(names, "ca") == "Science EN"
    # Without English the choice does not depend on the document's key order.
    assert text({"fr": "Science", "de": "Wissenschaft"}, "ca") == "Wissenschaft"
    assert text({"de": "Wissenschaft", "fr": "Science"}, "ca") == "Wissenschaft"
    assert language_of({"fr": "Science", "de": "Wissenschaft"}, "fr") == "fr"


def test_text_reads_a_list_of_language_tagged_values():
    names = [
        {"@value": "Wissenschaft", "@language": "de"},
        {"@value": "Science", "@language": "en"},
    ]
    assert text(names) == "Science"
    assert text(names, "de") == "Wissenschaft"
    assert language_of(names) == "en"
    assert text(["", "  ", "first stated"]) == "first stated"


def test_learner_name_prefers_the_stated_name_over_identifiers():
    credential = read_credential(
        {
            "credentialSubject": {
                "name": "Dana Learner",
                "identifier": [
                    {"identityType": "name", "hashed": False, "identityHash": "D. L."},
                    {"identityType": "name", "hashed": False, "identityHash": "Dana L."},
                ],
            }
        }
    )
    assert credential.learner_name() == "Dana Learner"


def test_learner_name_then_given_and_family_then_the_first_unhashed_name_identifier():
    given = read_credential({"credentialSubject": {"givenName": "Dana", "familyName": "Learner"}})
    assert given.learner_name() == "Dana Learner"
    identified = read_credential(
        {
            "credentialSubject": {
                "identifier": [
                    {"identityType": "name", "hashed": True, "identityHash": "sha256$abc"},
                    {"identityType": "name", "hashed": False, "identityHash": "First"},
                    {"identityType": "name", "hashed": False, "identityHash": "Second"},
                ]
            }
        }
    )
    assert identified.learner_name() == "First"
    hashed_only = read_credential(
        {"credentialSubject": {"identifier": {"identityType": "name", "hashed": True}}}
    )
    assert hashed_only.learner_name() == ""


def test_grade_is_the_result_for_the_first_result_description_else_the_first_result():
    subject = {
        "achievement": {"resultDescription": [{"id": "urn:rd:grade"}, {"id": "urn:rd:rank"}]},
        "result": [
            {"resultDescription": "urn:rd:rank", "value": "3rd"},
            {"resultDescription": "urn:rd:grade", "value": "9.1"},
        ],
    }
    assert read_credential({"credentialSubject": subject}).grade == "9.1"
    plain = {"result": [{"value": ""}, {"value": "A"}, {"value": "B"}]}
    assert read_credential({"credentialSubject": plain}).grade == "A"
    assert read_credential({"credentialSubject": {}}).grade == ""


def test_credits_and_eqf_level():
    credential = read_credential(
        {
            "credentialSubject": {
                "creditsEarned": 3,
                "achievement": {
                    "creditsAvailable": 5,
                    "creditSystem": " ECTS ",
                    "eqfLevel": "http://data.europa.eu/snb/eqf/6",
                },
            }
        }
    )
    assert credential.credits == 5
    assert credential.credit_system == "ECTS"
    assert credential.eqf_level == 6
    earned = read_credential({"credentialSubject": {"creditsEarned": 3, "achievement": {}}})
    assert earned.credits == 3
    aligned = read_credential(
        {
            "credentialSubject": {
                "achievement": {
                    "eqfLevel": "level six",
                    "alignment": [{"targetFramework": "eqf", "targetCode": "5"}],
                }
            }
        }
    )
    assert aligned.eqf_level == 5
    assert (
        read_credential({"credentialSubject": {"achievement": {"eqfLevel": 9}}}).eqf_level is None
    )


def test_display_and_recognition_read_the_same_fields_the_same_way():
    from recognition.parsing import parse_credential, stated_holder_name
    from verification.summaries import summarise_credential

    document = {
        "credentialSubject": {
            "name": "  Dana Learner ",
            "identifier": {"identityType": "name", "hashed": False, "identityHash": "D. L."},
            "result": [{"value": "A"}, {"value": "B"}],
            "achievement": {
                "name": {"fr": "Chimie", "de": "Chemie"},
                "eqfLevel": "http://data.europa.eu/snb/eqf/5",
            },
        }
    }
    summary = summarise_credential(document)
    parsed = parse_credential(document)
    assert summary.learner_name == stated_holder_name(document) == "Dana Learner"
    assert summary.grade == parsed.grade == "A"
    assert summary.title == parsed.title == "Chemie"
    assert summary.eqf_level == str(parsed.eqf_level) == "5"


def test_text_in_reads_the_language_map_and_falls_back_to_the_plain_value():
    node = {"name": "Data literacy", "nameLanguages": {"es": " Alfabetización ", "de": ""}}
    assert text_in(node, "name", "es") == "Alfabetización"
    assert text_in(node, "name", "de") == "Data literacy"  # an empty translation is none
    assert text_in(node, "name", "fr") == "Data literacy"
    assert has_language(node, "name", "es")
    assert not has_language(node, "name", "de")


def test_text_in_ignores_language_maps_of_the_wrong_shape():
    for translations in (["es", "x"], "Alfabetización", {"es": {"@value": "x"}}, {"es": 3}):
        node = {"name": "Data literacy", "nameLanguages": translations}
        assert text_in(node, "name", "es") == "Data literacy"
        assert not has_language(node, "name", "es")
    assert text_in(None, "name", "es") == ""
    assert text_in({"name": {"es": "Mapa"}}, "name", "es") == "Mapa"
