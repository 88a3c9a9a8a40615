"""The recognition workflow's rules: each state transition, who may take it, and what the
Lisbon Recognition Convention requires of a decision."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.http import Http404

from portal.errors import ConflictError, DomainError
from portal.models import AuditEvent
from recognition import checks, clock, services
from recognition.models import (
    AppealStatus,
    ChecksStatus,
    ClockPause,
    CredentialStatus,
    Decision,
    RecognitionRequest,
    RequestStatus,
    VerificationVerdict,
)
from tests.catalogue.factories import published_programme
from tests.recognition.factories import (
    DATA_COURSE,
    RECEIVED,
    PortalFetcher,
    issued_here_credential,
    issued_to,
    policy,
    signed_credential,
    submit,
    target,
    trust_provider,
    vouch,
    without,
)

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def end_of_day(moment, institution):
    """Deadlines are the end of their calendar day in the institution's time zone."""
    return clock.end_of_local_day(moment, institution.zone)


def refused(request, officer, **kwargs):
    return services.decide_request(
        officer=officer,
        case=request,
        outcome="refused",
        differences=[services.DifferenceInput("level", "EQF 5 is below the course's level 6.")],
        now=kwargs.pop("now", RECEIVED + DAY),
        **kwargs,
    )


# --- policy and targets ------------------------------------------------------------------


def test_an_institution_admin_publishes_the_procedure(alice, institution_a):
    saved = policy(alice, institution_a, time_limit_days=21)
    assert saved.time_limit_days == 21
    assert AuditEvent.objects.filter(action="recognition.policy_saved").exists()


def test_an_officer_cannot_change_the_procedure(bob, institution_a):
    with pytest.raises(Http404):
        policy(bob, institution_a)


def test_charlie_cannot_publish_alices_procedure(charlie, institution_a):
    with pytest.raises(Http404):
        policy(charlie, institution_a)


def test_carol_cannot_add_a_target_at_institution_a(carol, institution_a):
    with pytest.raises(Http404):
        target(carol, institution_a)


def test_a_target_code_is_unique_per_institution(bob, institution_a):
    target(bob, institution_a)
    with pytest.raises(DomainError) as error:
        target(bob, institution_a)
    assert error.value.field == "code"


def test_target_skills_must_be_esco_addresses(bob, institution_a):
    with pytest.raises(DomainError, match="ESCO"):
        target(bob, institution_a, skill_uris=["https://example.org/skill/1"])


# --- the targets CSV import ----------------------------------------------------------------

TARGETS_CSV = (
    "code,title,programme,ects,eqf_level,assessment_type,learning_outcomes,skills\n"
    "DS101,Data science,BSc CS,5,6,Exam,Analyse|Model,"
    "http://data.europa.eu/esco/skill/47a49cd6-097d-457a-9f7b-c290c14930d5\n"
    "DS102,Statistics,BSc CS,abc,6,Exam,,\n"
    "=HYPERLINK(1),Evil,,5,6,,,\n"
    "DS101,Again,,5,6,,,\n"
    "DS103,Bad level,,5,9,,,\n"
)


def test_the_csv_preview_reports_each_rows_problems_and_saves_nothing(bob, institution_a):
    preview = services.preview_targets_upload(
        actor=bob,
        institution=institution_a,
        filename="targets.csv",
        size=len(TARGETS_CSV),
        data=TARGETS_CSV.encode(),
    )
    assert [row.valid for row in preview.rows] == [True, False, False, False, False]
    assert "ECTS" in preview.rows[1].errors[0]
    assert "formula" in preview.rows[2].errors[0]
    assert "Duplicate" in preview.rows[3].errors[0]
    assert "EQF" in preview.rows[4].errors[0]
    assert not institution_a.recognition_targets.exists()


def test_confirming_saves_the_valid_rows_and_updates_known_codes(bob, institution_a):
    target(bob, institution_a, code="DS101", title="Old title")
    preview = services.preview_targets_upload(
        actor=bob, institution=institution_a, filename="t.csv", size=1, data=TARGETS_CSV.encode()
    )
    services.confirm_targets_upload(actor=bob, upload=preview.upload)
    saved = institution_a.recognition_targets.get(code="DS101")
    assert saved.title == "Data science"
    assert saved.learning_outcomes == ["Analyse", "Model"]
    assert institution_a.recognition_targets.count() == 1
    with pytest.raises(ConflictError):
        services.confirm_targets_upload(actor=bob, upload=preview.upload)


def test_a_csv_in_another_encoding_is_refused_with_advice(bob, institution_a):
    with pytest.raises(DomainError, match="UTF-8"):
        services.preview_targets_upload(
            actor=bob,
            institution=institution_a,
            filename="t.csv",
            size=10,
            data="code,title,ects,eqf_level\nX,Ünïcode,5,6\n".encode("utf-16"),
        )


def test_a_csv_over_the_size_or_row_cap_is_refused(bob, institution_a, settings):
    settings.RECOGNITION_TARGETS_UPLOAD_MAX_ROWS = 2
    with pytest.raises(DomainError, match="more than 2 rows"):
        services.preview_targets_upload(
            actor=bob, institution=institution_a, filename="t", size=1, data=TARGETS_CSV.encode()
        )
    with pytest.raises(DomainError, match="limit"):
        services.preview_targets_upload(
            actor=bob, institution=institution_a, filename="t", size=10**8, data=b""
        )


def test_a_csv_without_the_required_columns_is_refused(bob, institution_a):
    with pytest.raises(DomainError, match="missing: ects, eqf_level"):
        services.preview_targets_upload(
            actor=bob, institution=institution_a, filename="t", size=1, data=b"code,title\nA,B\n"
        )


# --- submitting ----------------------------------------------------------------------------


def test_a_request_gets_its_deadline_from_the_published_time_limit(dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    assert request.deadline_at == end_of_day(RECEIVED + 30 * DAY, institution_a)
    assert request.status == RequestStatus.SUBMITTED
    credential = request.credentials.get()
    assert credential.title == DATA_COURSE.title
    assert credential.ects == Decimal("5.0")
    assert credential.eqf_level == 6
    assert credential.digest_multibase.startswith("u")
    assert credential.source == "uploaded"


def test_the_checks_run_when_the_request_arrives(
    bob, dana, institution_a, course_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(dana, institution_a, course_a)
    request.refresh_from_db()
    assert request.checks_status == ChecksStatus.DONE
    assert request.credentials.get().verdict == VerificationVerdict.VERIFIED
    # An unknown issuer and a holder nobody proved: never recommended for recognition.
    assert request.checks["recommendation"]["kind"] == checks.RECOMMEND_EXAMINE
    # A second delivery of the task changes nothing.
    assert services.run_preassessment(request_id=request.pk) is None
    # Once the issuer is registered and an officer checked the learner's identity, it is.
    trust_provider()
    with django_capture_on_commit_callbacks(execute=True):
        vouch(bob, request)
    request.refresh_from_db()
    assert request.checks["recommendation"]["kind"] == checks.RECOMMEND_FULL


def test_an_institution_without_a_published_procedure_takes_no_requests(dana, institution_b):
    with pytest.raises(DomainError, match="does not take recognition requests"):
        submit(dana, institution_b)


def test_a_course_of_another_institution_cannot_be_chosen(dana, institution_a, course_a, course_b):
    with pytest.raises(DomainError) as error:
        submit(dana, institution_a, course_b)
    assert error.value.field == "target"


def test_the_same_credential_cannot_be_submitted_twice_for_the_same_course(
    dana, institution_a, course_a
):
    document = signed_credential()
    submit(dana, institution_a, course_a, documents=[document])
    with pytest.raises(ConflictError, match="already asked"):
        submit(dana, institution_a, course_a, documents=[document])


def test_malformed_json_is_refused_with_a_clear_message(settings):
    with pytest.raises(DomainError, match="not valid JSON"):
        services.parse_credential_json(b'{"@context": [')
    with pytest.raises(DomainError, match="one JSON object"):
        services.parse_credential_json(b"[1, 2]")
    settings.RECOGNITION_CREDENTIAL_MAX_BYTES = 1024
    with pytest.raises(DomainError, match="at most 1 KB"):
        services.parse_credential_json(b" " * 2048)


def test_attachments_are_limited_by_type_and_size(dana, institution_a, course_a, settings):
    with pytest.raises(DomainError, match="PDF, PNG or JPEG"):
        submit(
            dana,
            institution_a,
            course_a,
            attachments=[services.AttachmentInput("x.exe", b"MZ\x90\x00")],
        )
    settings.RECOGNITION_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(DomainError, match="at most 0 KB"):
        submit(
            dana,
            institution_a,
            course_a,
            attachments=[services.AttachmentInput("big.pdf", b"%PDF-" + b"0" * 200)],
        )
    assert not RecognitionRequest.objects.exists()


def test_a_pdf_attachment_is_stored_under_a_name_of_our_choosing(dana, institution_a, course_a):
    request = submit(
        dana,
        institution_a,
        course_a,
        attachments=[services.AttachmentInput("../../etc/passwd.pdf", b"%PDF-1.7 test")],
    )
    attachment = request.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "../../etc/passwd.pdf"
    assert attachment.file.name.startswith(f"recognition/{request.pk}/")
    assert ".." not in attachment.file.name


# --- taking a case, information requests and the clock ------------------------------------


def test_a_second_officer_cannot_take_a_case_someone_holds(
    bob, brian, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    services.take_case(officer=bob, case=request, now=RECEIVED)
    with pytest.raises(ConflictError, match="Bob Officer is assessing this case"):
        services.take_case(officer=brian, case=request, now=RECEIVED + timedelta(hours=1))
    with pytest.raises(ConflictError, match="Bob Officer"):
        services.decide_request(
            officer=brian, case=request, outcome="full", now=RECEIVED + timedelta(hours=1)
        )
    # Once the lease ran out, another officer may take over.
    taken = services.take_case(officer=brian, case=request, now=RECEIVED + timedelta(hours=3))
    assert taken.assigned_to == brian


def test_asking_the_learner_pauses_the_clock_and_answering_moves_the_deadline(
    bob, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    assert request.deadline_at == end_of_day(RECEIVED + 30 * DAY, institution_a)
    services.request_information(
        officer=bob, case=request, question="Course description?", now=RECEIVED + 5 * DAY
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_LEARNER
    assert request.paused_since == RECEIVED + 5 * DAY
    services.answer_information(
        learner=dana, case=request, answer="Attached.", now=RECEIVED + 12 * DAY
    )
    request.refresh_from_db()
    assert request.deadline_at == end_of_day(RECEIVED + 37 * DAY, institution_a)
    assert request.paused_since is None
    assert request.status == RequestStatus.IN_REVIEW
    assert ClockPause.objects.get(request=request).duration == 7 * DAY
    assert [m.kind for m in request.messages.all()] == ["information_request", "answer"]


def test_the_learner_is_emailed_the_question(
    bob, dana, institution_a, course_a, django_capture_on_commit_callbacks
):
    request = submit(dana, institution_a, course_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_information(officer=bob, case=request, question="Which edition?")
    assert mail.outbox[-1].to == ["dana@learner.example"]
    assert "Which edition?" in mail.outbox[-1].body


def test_a_case_waiting_for_the_learner_cannot_be_decided(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    services.request_information(officer=bob, case=request, question="?", now=RECEIVED)
    with pytest.raises(ConflictError, match="cannot be decided now"):
        services.decide_request(officer=bob, case=request, outcome="full", now=RECEIVED)


def test_only_the_learner_answers_and_only_when_asked(bob, dana, eve, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(ConflictError):
        services.answer_information(learner=dana, case=request, answer="x")
    services.request_information(officer=bob, case=request, question="?", now=RECEIVED)
    with pytest.raises(Http404):
        services.answer_information(learner=eve, case=request, answer="x")
    with pytest.raises(Http404):
        services.answer_information(learner=bob, case=request, answer="x")


# --- decisions -----------------------------------------------------------------------------


def test_a_learner_cannot_decide(dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(Http404):
        services.decide_request(officer=dana, case=request, outcome="full")


def test_an_officer_of_another_institution_gets_404(carol, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(Http404):
        services.decide_request(officer=carol, case=request, outcome="full")
    with pytest.raises(Http404):
        services.take_case(officer=carol, case=request)


def test_an_officer_cannot_decide_their_own_request(bob, institution_a, course_a):
    request = submit(bob, institution_a, course_a)
    with pytest.raises(Http404):
        services.decide_request(officer=bob, case=request, outcome="full")


def test_a_refusal_without_substantial_differences_is_rejected(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(DomainError) as error:
        services.decide_request(officer=bob, case=request, outcome="refused", reasons="No.")
    assert error.value.code == "reasons_required"
    with pytest.raises(DomainError, match="Give the reason"):
        services.decide_request(
            officer=bob,
            case=request,
            outcome="refused",
            differences=[services.DifferenceInput("level", "   ")],
        )
    assert not Decision.objects.exists()
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED


def test_a_partial_recognition_needs_differences_and_fewer_credits(
    bob, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    with pytest.raises(DomainError, match="partial recognition must name"):
        services.decide_request(
            officer=bob, case=request, outcome="partial", credits_granted=Decimal("3")
        )
    with pytest.raises(DomainError, match="fewer than"):
        services.decide_request(
            officer=bob,
            case=request,
            outcome="partial",
            credits_granted=Decimal("5"),
            differences=[services.DifferenceInput("workload", "Less work.")],
        )
    decision = services.decide_request(
        officer=bob,
        case=request,
        outcome="partial",
        credits_granted=Decimal("3"),
        component_replaced="Lab part",
        differences=[services.DifferenceInput("learning_outcomes", "No model training.")],
        compensatory_measures="An extra assignment on model training.",
        now=RECEIVED + 3 * DAY,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.DECIDED
    assert request.appeal_deadline_at == end_of_day(RECEIVED + 17 * DAY, institution_a)
    assert decision.within_time_limit
    assert decision.credential_status == CredentialStatus.NOT_DUE


def test_recognition_in_full_is_final_at_once_and_its_credential_is_issued(
    bob, dana, institution_a, course_a, django_capture_on_commit_callbacks
):
    request = submit(dana, institution_a, course_a)
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.decide_request(
            officer=bob, case=request, outcome="full", now=RECEIVED + 40 * DAY
        )
    request.refresh_from_db()
    decision.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.final_decision == decision
    assert decision.credits_granted == Decimal("5.0")
    assert not decision.within_time_limit
    # Issued by the pipeline (in-process here) once the decision is final.
    assert decision.credential_status == CredentialStatus.ISSUED
    assert decision.credential_id.startswith("urn:uuid:")
    assert any("Recognised in full" in message.body for message in mail.outbox)


def test_a_second_decision_gets_a_clear_conflict(bob, brian, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    refused(request, bob)
    with pytest.raises(ConflictError, match="already decided by Bob Officer") as error:
        services.decide_request(officer=brian, case=request, outcome="full")
    assert error.value.code == "already_decided"
    assert Decision.objects.count() == 1


def test_the_learner_withdraws_an_open_request(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    services.request_information(officer=bob, case=request, question="?", now=RECEIVED)
    services.withdraw_request(learner=dana, case=request, now=RECEIVED + DAY)
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert not ClockPause.objects.filter(ended_at__isnull=True).exists()
    with pytest.raises(ConflictError):
        services.withdraw_request(learner=dana, case=request)


# --- after the decision: acceptance, finality, appeals ------------------------------------


def test_accepting_a_decision_makes_it_final(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    decision = refused(request, bob)
    services.accept_decision(learner=dana, case=request, now=RECEIVED + 2 * DAY)
    request.refresh_from_db()
    decision.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert decision.final_at == RECEIVED + 2 * DAY
    # A refusal is not issued as a credential.
    assert decision.credential_status == CredentialStatus.NOT_DUE


def test_a_decision_not_appealed_in_time_becomes_final(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    services.decide_request(
        officer=bob,
        case=request,
        outcome="partial",
        credits_granted=Decimal("3"),
        differences=[services.DifferenceInput("workload", "3 of 5 ECTS.")],
        now=RECEIVED + DAY,
    )
    assert not services.finalise_unappealed(request_id=request.pk, now=RECEIVED + 10 * DAY)
    assert services.finalise_unappealed(request_id=request.pk, now=RECEIVED + 16 * DAY)
    decision = Decision.objects.get()
    assert decision.final_at == RECEIVED + 16 * DAY
    assert decision.credential_status == CredentialStatus.DUE


def test_an_appeal_after_the_appeal_period_is_refused(bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    refused(request, bob)
    with pytest.raises(DomainError, match="appeal period ended"):
        services.lodge_appeal(
            learner=dana, case=request, grounds="Please.", now=RECEIVED + 20 * DAY
        )


def test_the_officer_who_decided_cannot_decide_the_appeal(
    bob, brian, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    refused(request, bob)
    appeal = services.lodge_appeal(
        learner=dana, case=request, grounds="I disagree.", now=RECEIVED + 2 * DAY
    )
    with pytest.raises(services.ConflictOfInterestError, match="You made the decision"):
        services.decide_appeal(reviewer=bob, appeal=appeal, outcome="upheld", reasons="Fine.")
    with pytest.raises(services.ConflictOfInterestError):
        services.take_appeal(reviewer=bob, appeal=appeal)
    appeal = services.decide_appeal(
        reviewer=brian,
        appeal=appeal,
        outcome="upheld",
        reasons="The level difference is shown.",
        now=RECEIVED + 3 * DAY,
    )
    assert appeal.status == AppealStatus.DECIDED
    request.refresh_from_db()
    assert request.status == RequestStatus.CLOSED
    assert request.final_decision == appeal.decision


def test_an_appeal_can_overturn_the_decision_with_a_new_one(
    bob, brian, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    original = refused(request, bob)
    appeal = services.lodge_appeal(
        learner=dana, case=request, grounds="Level 6 in fact.", now=RECEIVED + 2 * DAY
    )
    services.take_appeal(reviewer=brian, appeal=appeal)
    appeal = services.decide_appeal(
        reviewer=brian,
        appeal=appeal,
        outcome="overturned",
        reasons="The credential states EQF 6; the refusal misread it.",
        new_outcome="full",
    )
    request.refresh_from_db()
    new = appeal.new_decision
    assert new.supersedes == original
    assert new.decided_by == brian
    assert request.final_decision == new
    assert request.status == RequestStatus.CLOSED
    assert new.credential_status == CredentialStatus.DUE


def test_appeals_go_to_the_admin_when_the_policy_says_so(
    alice, bob, brian, dana, institution_a, course_a
):
    policy(alice, institution_a, appeals_decided_by="institution_admin")
    request = submit(dana, institution_a, course_a)
    refused(request, bob)
    appeal = services.lodge_appeal(
        learner=dana, case=request, grounds="Please look again.", now=RECEIVED + 2 * DAY
    )
    with pytest.raises(services.ConflictOfInterestError, match="administration"):
        services.decide_appeal(reviewer=brian, appeal=appeal, outcome="upheld", reasons="x")
    services.decide_appeal(reviewer=alice, appeal=appeal, outcome="upheld", reasons="Shown.")


def test_another_institutions_staff_cannot_touch_an_appeal(
    bob, carol, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    refused(request, bob)
    appeal = services.lodge_appeal(learner=dana, case=request, grounds="x", now=RECEIVED + 2 * DAY)
    with pytest.raises(Http404):
        services.decide_appeal(reviewer=carol, appeal=appeal, outcome="upheld", reasons="x")


# --- agreements: automatic recognition ----------------------------------------------------


@pytest.fixture
def agreement_setup(alice, charlie, carol, institution_a, institution_b, course_b, monkeypatch):
    """Institution A's programme is recognised by B's course under an agreement; the portal's
    resolver serves A's did:web document."""
    monkeypatch.setattr(checks, "verification_fetcher", lambda: PortalFetcher(institution_a))
    programme = published_programme(alice, institution_a)
    agreement = services.create_agreement(
        actor=carol,
        target=course_b,
        programme=programme,
        ects=Decimal("5"),
        minimum_grade="6",
    )
    return programme.published_version, agreement


def test_a_request_covered_by_an_agreement_is_decided_automatically(
    dana,
    institution_a,
    institution_b,
    course_b,
    agreement_setup,
    django_capture_on_commit_callbacks,
):
    version, agreement = agreement_setup
    document = issued_to(dana, version, institution_a, grade="8")
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(dana, institution_b, course_b, documents=[document])
    request.refresh_from_db()
    decision = request.final_decision
    assert decision is not None
    assert decision.automatic
    assert decision.decided_by is None
    assert decision.agreement == agreement
    assert decision.outcome == "full"
    assert request.status == RequestStatus.CLOSED
    assert decision.credential_status == CredentialStatus.ISSUED
    credential = request.credentials.get()
    assert credential.programme_version == version
    assert credential.issuer_institution == institution_a
    assert AuditEvent.objects.filter(action="recognition.decided_automatically").exists()


def test_an_officer_reviews_an_automatic_decision(
    carol, dana, institution_a, institution_b, course_b, agreement_setup
):
    version, _agreement = agreement_setup
    request = submit(
        dana, institution_b, course_b, documents=[issued_to(dana, version, institution_a)]
    )
    services.run_preassessment(request_id=request.pk)
    decision = Decision.objects.get(request=request)
    services.review_automatic_decision(officer=carol, decision=decision, note="Fine.")
    decision.refresh_from_db()
    assert decision.reviewed_by == carol
    with pytest.raises(ConflictError):
        services.review_automatic_decision(officer=carol, decision=decision)


def test_a_grade_below_the_agreements_minimum_goes_to_an_officer(
    dana, institution_a, institution_b, course_b, agreement_setup
):
    version, _agreement = agreement_setup
    request = submit(
        dana,
        institution_b,
        course_b,
        documents=[issued_to(dana, version, institution_a, grade="5")],
    )
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == RequestStatus.SUBMITTED
    assert not Decision.objects.exists()


def test_a_registered_issuers_key_that_does_not_resolve_is_a_failure(
    dana, institution_a, institution_b, course_b, agreement_setup, monkeypatch
):
    from credential_format.verification import NoNetworkFetcher

    version, _agreement = agreement_setup
    # The issuer's DID document cannot be reached at all.
    monkeypatch.setattr(checks, "verification_fetcher", NoNetworkFetcher)
    request = submit(
        dana, institution_b, course_b, documents=[issued_here_credential(version, institution_a)]
    )
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.credentials.get().verdict == VerificationVerdict.FAILED
    assert not Decision.objects.exists()
    authenticity = request.checks["checks"][0]
    assert authenticity["outcome"] == "failed"
    assert request.checks["recommendation"]["kind"] == "examine"


def test_an_agreement_is_recorded_only_by_the_receiving_side(
    alice, bob, carol, olga, institution_a, institution_b, course_b
):
    programme = published_programme(alice, institution_a)
    with pytest.raises(Http404):
        services.create_agreement(actor=bob, target=course_b, programme=programme, ects=Decimal(5))
    # An alliance admin cannot bind a member institution (it proposes blanket rules instead).
    with pytest.raises(Http404):
        services.create_agreement(
            actor=olga,
            target=course_b,
            programme=programme,
            ects=Decimal(5),
            alliance=institution_b.memberships.first().alliance,
        )
    agreement = services.create_agreement(
        actor=carol, target=course_b, programme=programme, ects=Decimal(5)
    )
    with pytest.raises(ConflictError):
        services.create_agreement(
            actor=carol, target=course_b, programme=programme, ects=Decimal(5)
        )
    with pytest.raises(Http404):
        services.end_agreement(actor=olga, agreement=agreement)
    services.end_agreement(actor=carol, agreement=agreement)
    agreement.refresh_from_db()
    assert not agreement.is_active


# --- verification and comparison in the checks --------------------------------------------


def test_a_tampered_credential_fails_and_the_recommendation_names_authenticity(
    dana, institution_a, course_a
):
    document = signed_credential()
    document["credentialSubject"]["achievement"]["creditsAvailable"] = 30
    request = submit(dana, institution_a, course_a, documents=[document])
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.credentials.get().verdict == VerificationVerdict.FAILED
    assert request.checks["recommendation"]["kind"] == "examine"
    assert request.checks["recommendation"]["elements"] == ["authenticity"]


def test_elements_a_credential_does_not_state_become_elements_to_examine(
    dana, institution_a, course_a
):
    document = without(signed_credential(), "eqfLevel", "supervisionAndIdentityVerification")
    request = submit(dana, institution_a, course_a, documents=[document])
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert set(request.credentials.get().not_stated) == {"level", "supervision"}
    recommendation = request.checks["recommendation"]
    assert recommendation["kind"] == "examine"
    assert set(recommendation["elements"]) == {"level", "profile", "authenticity"}


def test_a_smaller_workload_recommends_partial_recognition(alice, bob, dana, institution_a):
    policy(alice, institution_a)
    big = target(bob, institution_a, code="BIG", ects=Decimal("8"))
    request = submit(dana, institution_a, big)
    trust_provider()
    vouch(bob, request)
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    recommendation = request.checks["recommendation"]
    assert recommendation["kind"] == "partial"
    assert recommendation["ects"] == "5.0"


def test_precedents_show_earlier_decisions_for_the_same_credential_and_course(
    bob, dana, eve, institution_a, course_a
):
    first = submit(dana, institution_a, course_a)
    services.decide_request(officer=bob, case=first, outcome="full", now=RECEIVED)
    second = submit(eve, institution_a, course_a, now=RECEIVED + DAY)
    services.run_preassessment(request_id=second.pk)
    second.refresh_from_db()
    precedents = next(c for c in second.checks["checks"] if c["id"] == "precedents")
    assert [row["request_id"] for row in precedents["evidence"]["decisions"]] == [first.pk]
