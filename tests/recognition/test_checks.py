"""Reading credentials and the pre-assessment rules, without the database."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from recognition import checks
from recognition.parsing import parse_credential
from recognition.texts import render
from tests.recognition.factories import signed_credential, without

pytestmark = pytest.mark.django_db  # gettext and the ESCO labels need settings only


def test_our_micro_credential_states_every_element_the_comparison_uses():
    parsed = parse_credential(signed_credential())
    assert parsed.title == "Applied data analysis"
    assert parsed.ects == Decimal("5.0")
    assert parsed.eqf_level == 6
    assert len(parsed.skill_uris) == 2
    assert parsed.learning_outcomes == ["Analyse large data sets", "Train machine-learning models"]
    assert parsed.supervision == "supervised-with-identity-verification"
    assert parsed.assessment_type
    assert parsed.quality_assurance
    assert parsed.grade == "8"
    assert parsed.issuer_id.startswith("did:key:")
    assert parsed.not_stated == []


def test_another_providers_minimal_badge_reports_what_it_does_not_state():
    document = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://badges.example.org/issuer", "name": "Badge Provider"},
        "credentialSubject": {
            "achievement": {
                "id": "https://badges.example.org/a/1",
                "name": {"@value": "Python basics", "@language": "en"},
                "alignment": [
                    {"targetUrl": "http://data.europa.eu/snb/eqf/5", "targetName": "EQF 5"},
                    {"targetUrl": "http://data.europa.eu/esco/skill/abc", "targetName": "x"},
                ],
                "creditsAvailable": "2.5",
            },
            "creditsEarned": 2,
        },
    }
    parsed = parse_credential(document)
    assert parsed.title == "Python basics"
    assert parsed.issuer_name == "Badge Provider"
    assert parsed.eqf_level == 5
    assert parsed.ects == Decimal("2.5")
    assert parsed.skill_uris == ["http://data.europa.eu/esco/skill/abc"]
    assert set(parsed.not_stated) == {
        "learning_outcomes",
        "assessment_type",
        "supervision",
        "quality_assurance",
    }
    assert "ECTS is assumed" in parsed.notes[0]


def test_credits_in_another_system_are_not_taken_for_ects():
    document = {"credentialSubject": {"achievement": {"creditSystem": "US", "creditsAvailable": 3}}}
    parsed = parse_credential(document)
    assert parsed.ects is None
    assert "workload" in parsed.not_stated


def test_garbage_never_breaks_the_parser():
    for document in ({}, {"credentialSubject": "x"}, {"issuer": 5, "credentialSubject": [1]}):
        parsed = parse_credential(document)
        assert parsed.title == ""
        assert "level" in parsed.not_stated


@pytest.mark.parametrize(
    ("minimum", "grade", "scheme", "meets"),
    [
        ("", "", "numeric_10", True),
        ("6", "8", "numeric_10", True),
        ("6", "5,5", "numeric_10", False),
        ("6", "", "numeric_10", False),
        ("C", "B", "ects", True),
        ("C", "D", "ects", False),
        ("C", "X", "ects", False),
        ("pass", "pass", "pass_fail", True),
        ("pass", "fail", "pass_fail", False),
        ("50", "abc", "percentage", False),
    ],
)
def test_grade_meets(minimum, grade, scheme, meets):
    assert checks.grade_meets(minimum, grade, scheme) is meets


def credential(**values):
    defaults = {
        "position": 1,
        "title": "C",
        "credential_id": "urn:x",
        "verdict": "verified",
        "verification": {},
        "eqf_level": 6,
        "ects": Decimal("5"),
        "skill_uris": ["s1", "s2"],
        "learning_outcomes": ["o"],
        "assessment_type": "Exam",
        "supervision": "supervised-with-identity-verification",
        "quality_assurance": "QA",
        "issuer_institution_id": None,
        "issuer_institution": None,
        "document": {"credentialSubject": {"name": "Dana Learner"}},
        # An issuer in the trust registry, and a holder who proved control of the subject.
        "issuer_trust": "registered",
        "holder_status": "presentation",
        "holder_note": "",
        "subject_id": "did:key:z6Mk",
    }
    defaults.update(values)
    defaults.setdefault(
        "holder_proven", defaults["holder_status"] in ("issued_here", "presentation", "officer")
    )
    return SimpleNamespace(**defaults)


def target(**values):
    defaults = {"eqf_level": 6, "ects": Decimal("5"), "skill_uris": ["s1", "s2"]}
    defaults.update(values)
    return SimpleNamespace(**defaults)


def run(credentials, course, holder_name="Dana Learner"):
    return checks.run_checks(
        credentials=credentials,
        target=course,
        agreements=[],
        precedents=[],
        skill_labels={"s1": "skill one"},
        holder_name=holder_name,
        now=timezone.now(),
    )


def test_everything_matching_recommends_full_recognition():
    report = run([credential()], target())
    assert report["recommendation"]["kind"] == "full"
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    assert outcomes["level"] == outcomes["workload"] == outcomes["learning-outcomes"] == "match"
    assert outcomes["quality"] == "warning"  # stated by the credential, not a registry


def test_a_lower_level_names_the_level_as_an_element_to_examine():
    report = run([credential(eqf_level=5)], target())
    assert report["recommendation"]["kind"] == "examine"
    assert report["recommendation"]["elements"] == ["level"]


def test_two_credentials_add_up_their_workload_and_skills():
    report = run(
        [
            credential(ects=Decimal("3"), skill_uris=["s1"]),
            credential(position=2, ects=Decimal("2"), skill_uris=["s2"]),
        ],
        target(),
    )
    assert report["recommendation"]["kind"] == "full"


def test_a_missing_skill_coverage_is_a_difference_with_the_missing_skills_named():
    report = run([credential(skill_uris=["s2", "s9"])], target(skill_uris=["s1", "s2", "s3"]))
    outcomes = next(c for c in report["checks"] if c["id"] == "learning-outcomes")
    assert outcomes["outcome"] == "difference"
    assert outcomes["evidence"]["missing"] == ["s3", "skill one"]


def test_unsupervised_assessment_is_a_possible_substantial_difference():
    report = run([credential(supervision="unsupervised-no-identity-verification")], target())
    assert report["recommendation"]["elements"] == ["profile"]


def test_free_elective_credits_recognise_the_credentials_workload():
    report = run([credential(ects=Decimal("2.5"))], None)
    recommendation = report["recommendation"]
    assert render(recommendation.pop("reason")) == "Recognise 2.5 ECTS as free-elective credits."
    assert recommendation == {
        "kind": "full",
        "ects": "2.5",
        "elements": [],
        "agreement": None,
        "automatic": False,
        "guidance": None,
    }


def test_a_credential_that_could_not_be_checked_is_a_warning_not_valid():
    report = run(
        [credential(verdict="not_checked", verification={"errors": [{"reason": "x"}]})], target()
    )
    authenticity = report["checks"][0]
    assert authenticity["outcome"] == "warning"
    assert "not confirmed as valid" in render(authenticity["reason"])


def test_stored_check_texts_are_shown_in_the_readers_language():
    from django.utils import translation

    report = run([credential(ects=Decimal("2.5"))], None)
    with translation.override("es"):
        spanish = render(report["recommendation"]["reason"])
    assert spanish != render(report["recommendation"]["reason"])
    assert "2.5" in spanish


def test_verification_without_network_reports_did_key_credentials_as_verified():
    outcome = checks.verify_submitted_document(signed_credential())
    assert outcome.verdict == "verified"
    broken = without(signed_credential(), "name")
    assert checks.verify_submitted_document(broken).verdict == "failed"


def _holder_check(report):
    return next(check for check in report["checks"] if check["id"] == "holder-name-1")


def test_a_credential_in_someone_elses_name_is_examined_for_authenticity():
    report = run([credential()], target(), holder_name="Eve Other")
    holder = _holder_check(report)
    assert holder["outcome"] == "difference"
    assert holder["reason"]["params"] == {"stated": "Dana Learner", "holder": "Eve Other"}
    assert report["recommendation"]["kind"] == "examine"
    assert "authenticity" in report["recommendation"]["elements"]


@pytest.mark.parametrize(
    ("stated", "holder"),
    [
        ("Dana Learner", "dana learner"),
        ("Léa Lefèvre", "Lea Lefevre"),
        ("María José García López", "María García"),
        ("García, María", "María García"),
    ],
)
def test_the_same_name_written_otherwise_matches(stated, holder):
    document = {"credentialSubject": {"name": stated}}
    report = run([credential(document=document)], target(), holder_name=holder)
    assert _holder_check(report)["outcome"] == "match"
    assert report["recommendation"]["kind"] == "full"


@pytest.mark.parametrize(
    ("stated", "holder"), [("Dana Learner", "Dana Smith"), ("Dana", "Dana Learner")]
)
def test_a_shared_first_name_is_not_the_same_name(stated, holder):
    assert not checks.names_agree(stated, holder)


def test_an_open_badges_name_identifier_is_read_and_a_hashed_one_is_not():
    plain = {"identityType": "name", "hashed": False, "identityHash": "Dana Learner"}
    hashed = {"identityType": "emailAddress", "hashed": True, "identityHash": "sha256$ab"}
    named = {"credentialSubject": {"identifier": [hashed, plain]}}
    assert _holder_check(run([credential(document=named)], target()))["outcome"] == "match"
    unnamed = {"credentialSubject": {"identifier": [hashed]}}
    report = run([credential(document=unnamed)], target())
    assert _holder_check(report)["outcome"] == "info"
    assert report["recommendation"]["kind"] == "full"


@pytest.mark.parametrize(
    ("verdict", "trust", "key"),
    [
        ("verified", "registered", "valid"),
        ("verified", "unknown", "unknown-issuer"),
        ("not_checked", "registered", "unconfirmed"),
        ("failed", "registered", "invalid"),
    ],
)
def test_authenticity_states_the_verification_apps_explanation_of_the_verdict(verdict, trust, key):
    from verification.check_messages import VERDICT_EXPLANATIONS

    report = run([credential(verdict=verdict, issuer_trust=trust, issuer_id="did:web:x")], target())
    authenticity = next(check for check in report["checks"] if check["id"] == "verification-1")
    assert authenticity["reason"] == {"template": VERDICT_EXPLANATIONS[key], "params": {}}


def test_an_authenticity_reason_stored_before_the_shared_catalogue_still_renders_translated():
    from django.utils import translation

    stored_earlier = {
        "template": "Verification failed: do not rely on this credential as submitted.",
        "params": {},
    }
    with translation.override("de"):
        rendered = render(stored_earlier)
    assert rendered
    assert rendered != stored_earlier["template"]
