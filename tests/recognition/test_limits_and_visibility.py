"""Attachments have a total quota per request and per learner; the officers' automatic
recommendation reaches the learner only together with the decision (website and API)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.errors import DomainError
from recognition import services
from recognition.models import RequestAttachment
from tests.recognition.factories import signed_credential, submit, trust_provider, vouch

pytestmark = pytest.mark.django_db

BASE = "/api/v1/recognition"


def pdf(size: int) -> services.AttachmentInput:
    return services.AttachmentInput("syllabus.pdf", b"%PDF-" + b"0" * (size - 5))


def test_attachments_count_against_a_quota_per_request(dana, institution_a, course_a, settings):
    settings.RECOGNITION_ATTACHMENTS_PER_REQUEST_MAX_BYTES = 3000
    request = submit(dana, institution_a, course_a, attachments=[pdf(1000), pdf(1000)])
    with pytest.raises(DomainError, match="in total") as error:
        services.add_attachments(learner=dana, case=request, attachments=[pdf(1500)])
    assert error.value.code == "quota_exceeded"
    assert request.attachments.count() == 2
    services.add_attachments(learner=dana, case=request, attachments=[pdf(900)])


def test_attachments_count_against_a_quota_per_learner_over_all_requests(
    dana, eve, institution_a, course_a, settings
):
    settings.RECOGNITION_ATTACHMENTS_PER_LEARNER_MAX_BYTES = 3000
    submit(dana, institution_a, course_a, attachments=[pdf(2000)])
    with pytest.raises(DomainError, match="in total"):
        submit(dana, institution_a, None, attachments=[pdf(1500)])
    # Another learner has her own quota.
    submit(eve, institution_a, course_a, attachments=[pdf(2000)])
    assert RequestAttachment.objects.count() == 2


def test_the_api_answers_a_quota_overrun_with_a_problem(
    api_as, dana, institution_a, course_a, settings
):
    settings.RECOGNITION_ATTACHMENTS_PER_REQUEST_MAX_BYTES = 1000
    request = submit(dana, institution_a, course_a)
    response = api_as(dana).post(
        f"{BASE}/requests/{request.pk}/attachments/",
        {"files": [SimpleUploadedFile("s.pdf", b"%PDF-" + b"0" * 2000)]},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "quota_exceeded"


def test_the_learner_sees_the_recommendation_only_with_the_decision(
    api_as, as_user, bob, dana, institution_a, course_a
):
    trust_provider()
    request = submit(dana, institution_a, course_a)
    vouch(bob, request)
    services.run_preassessment(request_id=request.pk)
    request.refresh_from_db()
    assert request.checks["recommendation"]["kind"] == "full"
    learner = api_as(dana)
    listed = learner.get(f"{BASE}/requests/").json()["results"][0]
    assert listed["recommendation"] is None
    detail = learner.get(f"{BASE}/requests/{request.pk}/").json()
    assert detail["recommendation"] is None
    assert detail["checks"] == {}
    page = as_user(dana).get(reverse("recognition:request_detail", args=[request.pk]))
    assert "Recognise in full" not in page.content.decode()
    # The officer sees it all along.
    assert api_as(bob).get(f"{BASE}/requests/{request.pk}/").json()["recommendation"] == "full"

    services.decide_request(
        officer=bob,
        case=request,
        outcome="full",
        credits_granted=course_a.ects,
        counts_towards="DS101",
        component_replaced="",
        differences=[],
        compensatory_measures="",
        reasons="Same content.",
    )
    assert learner.get(f"{BASE}/requests/{request.pk}/").json()["recommendation"] == "full"
    assert learner.get(f"{BASE}/requests/").json()["results"][0]["recommendation"] == "full"


def test_the_learner_proves_holding_and_the_officer_records_a_check_on_the_website(
    as_user, bob, carol, dana, eve, institution_a, course_a
):
    request = submit(dana, institution_a, course_a, documents=[signed_credential()])
    services.run_preassessment(request_id=request.pk)
    page = as_user(dana).get(reverse("recognition:request_detail", args=[request.pk]))
    assert "Prove that the credentials are yours" in page.content.decode()
    challenge_url = reverse("recognition:request_holder_challenge", args=[request.pk])
    assert as_user(eve).post(challenge_url).status_code == 404
    assert as_user(dana).post(challenge_url).status_code == 302
    page = as_user(dana).get(reverse("recognition:request_detail", args=[request.pk]))
    challenge = request.holder_challenges.get()
    assert challenge.challenge in page.content.decode()
    refused = as_user(dana).post(
        reverse("recognition:request_holder_proof", args=[request.pk]),
        {"presentation": "{not json"},
        follow=True,
    )
    assert "does not prove" in refused.content.decode()

    check_url = reverse("recognition:case_identity_check", args=[request.pk])
    assert as_user(carol).post(check_url, {"position": 1, "note": "x"}).status_code == 404
    as_user(bob).post(check_url, {"position": 1, "note": "Passport seen."})
    credential = request.credentials.get()
    assert credential.holder_status == "officer"
    assert credential.holder_note == "Passport seen."


def test_an_answer_with_attachments_counts_against_the_quota(
    bob, dana, institution_a, course_a, settings
):
    settings.RECOGNITION_ATTACHMENTS_PER_REQUEST_MAX_BYTES = 1500
    request = submit(dana, institution_a, course_a, attachments=[pdf(1000)])
    services.request_information(officer=bob, request=request, question="Syllabus?")
    with pytest.raises(DomainError, match="in total"):
        services.answer_information(
            learner=dana, request=request, answer="Here.", attachments=[pdf(1000)]
        )
    request.refresh_from_db()
    assert request.status == "awaiting_learner"
    assert request.attachments.count() == 1
