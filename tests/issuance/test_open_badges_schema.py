"""Every credential the portal issues validates against the official 1EdTech Open Badges 3.0
JSON Schemas (vendored in tests/standards/openbadges/, draft 2019-09), checked with the
`jsonschema` package: the credential against the AchievementCredential schema, each embedded
endorsement against the EndorsementCredential schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft201909Validator

from tests.issuance.every_kind import issue_every_kind
from tests.recognition.conftest import course_a  # noqa: F401 (fixture)

SCHEMAS = Path(__file__).resolve().parents[1] / "standards" / "openbadges"


def _validator(name: str) -> Draft201909Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


ACHIEVEMENT_CREDENTIAL = _validator("ob_v3p0_achievementcredential_schema.json")
ENDORSEMENT_CREDENTIAL = _validator("ob_v3p0_endorsementcredential_schema.json")


def _errors(validator: Draft201909Validator, document: dict) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


@pytest.fixture
def every_kind(alice, bob, charlie, institution_a, institution_b, dana, eve, course_a):  # noqa: F811
    return issue_every_kind(
        alice=alice,
        bob=bob,
        charlie=charlie,
        institution_a=institution_a,
        institution_b=institution_b,
        dana=dana,
        eve=eve,
        course_a=course_a,
    )


def test_every_kind_of_issued_credential_validates(every_kind):
    for kind, credential in every_kind.valid().items():
        assert _errors(ACHIEVEMENT_CREDENTIAL, credential.document) == [], kind
    assert _errors(ACHIEVEMENT_CREDENTIAL, every_kind.revoked.document) == []


def test_texts_in_several_languages_keep_the_schema_valid(every_kind):
    """The programmes and the pathway are written in English, Spanish and German: the language
    maps sit beside the plain strings the schema requires."""
    for kind in ("micro-credential", "joint micro-credential", "pathway"):
        document = every_kind.valid()[kind].document
        achievement = document["credentialSubject"]["achievement"]
        assert isinstance(document["name"], str), kind
        assert isinstance(achievement["name"], str), kind
        assert set(document["nameLanguages"]) == {"en", "es", "de"}, kind
        assert set(achievement["criteria"]["narrativeLanguages"]) == {"en", "es", "de"}, kind
        assert "nameLanguages" in achievement["learningOutcome"][0], kind
        assert _errors(ACHIEVEMENT_CREDENTIAL, document) == [], kind
    # The recognition decision's sentences are written in each of the portal's languages.
    recognition = every_kind.recognition.document
    assert set(recognition["nameLanguages"]) == {"en", "es", "ca", "de", "fr"}
    assert _errors(ACHIEVEMENT_CREDENTIAL, recognition) == []
    # A language map where the schema wants the plain string is refused: the check can fail.
    document = dict(every_kind.micro.document)
    document["name"] = document["nameLanguages"]
    assert any(error.startswith("name:") for error in _errors(ACHIEVEMENT_CREDENTIAL, document))


def test_the_status_entry_is_one_credential_status_of_the_schema(every_kind):
    entry_schema = {
        "$schema": "https://json-schema.org/draft/2019-09/schema",
        **ACHIEVEMENT_CREDENTIAL.schema["$defs"]["CredentialStatus"],
    }
    for credential in every_kind.valid().values():
        entry = credential.document["credentialStatus"]
        assert entry["statusPurpose"] == "revocation"
        assert _errors(Draft201909Validator(entry_schema), entry) == []


def test_each_partner_endorsement_validates(every_kind):
    endorsements = every_kind.joint.document["endorsement"]
    assert endorsements
    for endorsement in endorsements:
        assert _errors(ENDORSEMENT_CREDENTIAL, endorsement) == []


def test_the_schema_refuses_what_the_portal_used_to_issue(every_kind):
    """The checks can fail: the earlier shapes (a grade type outside the enumeration, a
    revocation and a suspension entry as a list) are refused."""
    document = dict(every_kind.micro.document)
    achievement = document["credentialSubject"]["achievement"]
    old = {
        **achievement,
        "resultDescription": [{**achievement["resultDescription"][0], "resultType": "PassFail"}],
    }
    document["credentialSubject"] = {**document["credentialSubject"], "achievement": old}
    revocation = document["credentialStatus"]
    document["credentialStatus"] = [revocation, {**revocation, "statusPurpose": "suspension"}]
    errors = _errors(ACHIEVEMENT_CREDENTIAL, document)
    assert any("resultType" in error for error in errors), errors
    assert any(error.startswith("credentialStatus") for error in errors), errors
