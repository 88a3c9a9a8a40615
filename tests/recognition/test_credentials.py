"""The recognition credential built from a final decision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from credential_format.builders import build_recognition_credential
from credential_format.jsonld import canonicalize
from credential_format.keys import private_key_from_seed
from credential_format.signing import Ed25519Signer, add_proof
from credential_format.verification import NoNetworkFetcher, verify_credential
from recognition import services
from recognition.credentials import claims_for_issuance, recognition_claims
from tests.recognition.factories import RECEIVED, signed_credential, submit
from verification.summaries import summarise_credential

pytestmark = pytest.mark.django_db


def partial_decision(bob, dana, institution_a, course_a, documents=None):
    request = submit(dana, institution_a, course_a, documents=documents)
    decision = services.decide_request(
        officer=bob,
        case=request,
        outcome="partial",
        credits_granted=Decimal("3"),
        component_replaced="Lab part",
        differences=[services.DifferenceInput("learning_outcomes", "No model training.")],
        now=RECEIVED + timedelta(days=2),
    )
    services.accept_decision(learner=dana, case=request, now=RECEIVED + timedelta(days=3))
    decision.refresh_from_db()
    return decision


def test_the_claims_carry_the_decision_the_credential_and_the_institution(
    bob, dana, institution_a, course_a
):
    decision = partial_decision(bob, dana, institution_a, course_a)
    submitted = decision.request.credentials.get()
    claims = recognition_claims(decision)
    assert claims.credential_id == decision.credential_id
    assert claims.issuer.id == "did:web:portal.test:institutions:uni-a"
    assert claims.issuer.name == "Universitat A"
    assert claims.issuer.country_code == "ES"
    assert claims.learner.full_name == "Dana Learner"
    assert claims.outcome == "partial"
    assert claims.credits_granted == Decimal("3.0")
    assert claims.counts_towards == "DS101 Data science fundamentals"
    assert claims.receiving_programme == "BSc Computer Science"
    (recognised,) = claims.recognised_credentials
    assert recognised.credential_id == submitted.credential_id
    assert recognised.digest_multibase == submitted.digest_multibase
    assert claims.substantial_differences == "Learning outcomes: No model training."
    assert claims.decision_date == "2026-03-04T09:00:00Z"
    assert claims.issued_on == "2026-03-05T09:00:00Z"
    # The learner accepted before the appeal period ended: no period ran out.
    assert "no appeal" not in claims.appeal_information
    assert claims.appeal_information == (
        "Final: the learner accepted the decision on 2026-03-05 and waived the appeal."
    )


def test_the_unsigned_credential_has_every_field_and_signs(bob, dana, institution_a, course_a):
    decision = partial_decision(bob, dana, institution_a, course_a)
    document = build_recognition_credential(recognition_claims(decision))
    assert document["type"] == [
        "VerifiableCredential",
        "OpenBadgeCredential",
        "RecognitionDecisionCredential",
    ]
    assert document["id"] == decision.credential_id
    assert document["issuer"]["id"] == "did:web:portal.test:institutions:uni-a"
    assert document["validFrom"] == "2026-03-05T09:00:00Z"
    subject = document["credentialSubject"]
    for field in (
        "type",
        "name",
        "recognisedCredential",
        "decisionOutcome",
        "creditsGranted",
        "countsTowards",
        "receivingProgramme",
        "decisionDate",
        "substantialDifferences",
        "appealInformation",
    ):
        assert subject[field], field
    assert subject["creditsGranted"] == 3
    assert document["relatedResource"][:-1] == [  # the last one pins the context
        {
            "id": decision.request.credentials.get().credential_id,
            "digestMultibase": decision.request.credentials.get().digest_multibase,
        }
    ]
    # Every term expands (nothing silently dropped), so the document can be signed.
    assert "creditsGranted" in canonicalize(document)
    # Signed by a did:key stand-in for the institution's key, it verifies as a credential.
    signer = Ed25519Signer(private_key_from_seed(bytes([9]) * 32))
    document["issuer"]["id"] = signer.verification_method.split("#")[0]
    report = verify_credential(add_proof(document, signer), fetcher=NoNetworkFetcher())
    assert report.verified, report.to_dict()["errors"]


def test_a_request_with_two_credentials_references_both(bob, dana, institution_a, course_a):
    decision = partial_decision(
        bob, dana, institution_a, course_a, documents=[signed_credential(), signed_credential()]
    )
    document = build_recognition_credential(recognition_claims(decision))
    recognised = document["credentialSubject"]["recognisedCredential"]
    assert len(recognised) == 2
    assert {resource["id"] for resource in document["relatedResource"]} >= set(recognised)
    canonicalize(document)


def test_a_refusal_or_an_open_decision_is_not_issued(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    decision = services.decide_request(
        officer=bob,
        case=request,
        outcome="refused",
        differences=[services.DifferenceInput("level", "Lower level.")],
        now=RECEIVED,
    )
    with pytest.raises(ValueError, match="Only a recognition"):
        recognition_claims(decision)


def test_the_claims_for_issuance_are_json(bob, dana, institution_a, course_a):
    import json

    decision = partial_decision(bob, dana, institution_a, course_a)
    claims = claims_for_issuance(decision)
    assert claims["outcome"] == "partial"
    assert claims["credits_granted"] == "3.0"
    assert claims["recognised_credentials"][0]["digest"].startswith("u")
    assert json.loads(json.dumps(claims)) == claims


def test_a_final_recognition_is_issued_to_the_learners_wallet(bob, dana, institution_a, course_a):
    """The decision's credential goes through the issuing pipeline: signed with the receiving
    institution's did:web key, verifiable, and held by the learner."""
    from django.test import TestCase

    from issuance.models import Credential, CredentialKind
    from recognition.models import CredentialStatus
    from verification.resolver import PortalFetcher
    from wallet.selectors import held_credentials

    request = submit(dana, institution_a, course_a)
    with TestCase.captureOnCommitCallbacks(execute=True):
        decision = services.decide_request(
            officer=bob,
            case=request,
            outcome="full",
            credits_granted=Decimal("6"),
            reasons="Same outcomes.",
            now=RECEIVED + timedelta(days=1),
        )
    credential = Credential.objects.get(kind=CredentialKind.RECOGNITION)
    assert credential.natural_key == f"recognition:{decision.pk}"
    assert credential.credential_id == decision.credential_id
    assert credential.state == "issued", credential.failure_reason
    decision.refresh_from_db()
    assert decision.credential_status == CredentialStatus.ISSUED
    assert verify_credential(credential.document, fetcher=PortalFetcher()).verified
    assert credential.document["credentialSubject"]["decisionOutcome"] == "full"
    assert any(held.credential == credential for held in held_credentials(dana))


def test_the_wallet_reads_the_decision_a_recognition_credential_states(
    bob, dana, institution_a, course_a
):
    decision = partial_decision(bob, dana, institution_a, course_a)
    document = build_recognition_credential(recognition_claims(decision))
    summary = summarise_credential(document, text_language="en")
    assert summary.recognition is not None
    assert summary.recognition.outcome == "partial"
    assert summary.recognition.credits == "3"
    assert summary.recognition.recognised_credentials == (
        decision.request.credentials.get().credential_id,
    )
    page = render_to_string("verification/_elements.html", {"summary": summary})
    assert "Recognised in part" in page
    assert "No model training." in page
    # A decision has no workload or assessment of its own: those rows are left out, not "—".
    assert "Workload" not in page
    assert "Type of assessment" not in page


def test_no_appeal_lodged_is_claimed_only_when_the_appeal_period_ran_out(
    bob, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    decision = services.decide_request(
        officer=bob,
        case=request,
        outcome="partial",
        credits_granted=Decimal("3"),
        differences=[services.DifferenceInput("learning_outcomes", "No model training.")],
        now=RECEIVED + timedelta(days=2),
    )
    # Fourteen days' appeal period from 4 March ends on 18 March (Brussels time).
    assert services.finalise_unappealed(request_id=request.pk, now=RECEIVED + timedelta(days=17))
    decision.refresh_from_db()
    assert recognition_claims(decision).appeal_information == (
        "Final: no appeal was lodged within the appeal period, which ended on 2026-03-18."
    )


def test_a_full_recognition_never_claims_an_appeal_period(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    decision = services.decide_request(
        officer=bob, case=request, outcome="full", now=RECEIVED + timedelta(days=2)
    )
    decision.refresh_from_db()
    information = recognition_claims(decision).appeal_information
    assert "no appeal was lodged" not in information
    assert information == "Final when taken: recognised in full, so there was nothing to appeal."
