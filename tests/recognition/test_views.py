"""The recognition pages: who sees what, forms that post, errors shown as form errors."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.models import AuditEvent
from recognition import services
from recognition.models import Decision, RecognitionRequest, RequestStatus
from tests.recognition.factories import RECEIVED, policy, signed_credential, submit

pytestmark = pytest.mark.django_db


def test_the_public_page_shows_the_procedure_targets_and_statistics(as_user, course_a):
    response = as_user(None).get(reverse("recognition:institution", args=["uni-a"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "30 calendar days" in content
    assert "DS101" in content
    assert "Recognition rate" in content
    assert as_user(None).get(reverse("recognition:index")).status_code == 200


def test_the_public_page_names_who_decides_appeals_in_a_whole_sentence(
    as_user, alice, institution_a
):
    policy(alice, institution_a, appeals_decided_by="institution_admin")
    client = as_user(None)
    page = client.get(reverse("recognition:institution", args=["uni-a"])).content.decode()
    assert "administration, never by the officer who decided." in page
    client.post(reverse("set_language"), {"language": "de"})
    page = client.get(reverse("recognition:institution", args=["uni-a"])).content.decode()
    # German capitalises nouns: the route is a translated sentence, not a lower-cased label.
    assert "die Verwaltung der Institution" in page


def test_a_learner_submits_a_credential_file(
    as_user, dana, course_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(dana).post(
            reverse("recognition:request_create", args=["uni-a"]),
            {
                "kind": "course",
                "target": course_a.pk,
                "motivation": "Same content.",
                "credential_file": SimpleUploadedFile(
                    "badge.json", json.dumps(signed_credential()).encode(), "application/json"
                ),
            },
        )
    request = RecognitionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("recognition:request_detail", args=[request.pk])
    assert request.checks_status == "done"  # tasks run in-process in tests
    page = as_user(dana).get(response["Location"])
    assert "Applied data analysis" in page.content.decode()


def test_a_pasted_malformed_credential_is_a_form_error(as_user, dana, course_a):
    response = as_user(dana).post(
        reverse("recognition:request_create", args=["uni-a"]),
        {"kind": "course", "target": course_a.pk, "credential_json": '{"not": json'},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.content.decode()
    assert not RecognitionRequest.objects.exists()


def test_a_request_without_any_credential_is_a_form_error(as_user, dana, course_a):
    response = as_user(dana).post(
        reverse("recognition:request_create", args=["uni-a"]),
        {"kind": "course", "target": course_a.pk},
    )
    assert response.status_code == 400
    assert "Add at least one credential" in response.content.decode()


def test_the_officer_sees_the_queue_and_the_case_others_get_404(
    as_user, bob, carol, dana, eve, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    services.run_preassessment(request_id=request.pk)
    assert request.reference in as_user(bob).get(reverse("recognition:queue")).content.decode()
    case = as_user(bob).get(reverse("recognition:case_detail", args=[request.pk]))
    assert case.status_code == 200
    content = case.content.decode()
    assert "Holder not proven" in content
    assert "Unknown issuer" in content
    assert "Audit trail" in content
    assert "<td>Request submitted</td>" in content
    assert "<td>Automatic checks completed</td>" in content
    assert AuditEvent.objects.filter(action="recognition.viewed", actor=bob).exists()
    for outsider in (carol, dana, eve):
        assert (
            as_user(outsider).get(reverse("recognition:case_detail", args=[request.pk])).status_code
            == 404
        )
    assert as_user(eve).get(reverse("recognition:queue")).status_code == 404
    assert (
        as_user(carol).get(reverse("recognition:request_detail", args=[request.pk])).status_code
        == 404
    )


def test_the_officer_decides_partially_with_reasons(as_user, bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    client = as_user(bob)
    client.post(reverse("recognition:case_take", args=[request.pk]))
    response = client.post(
        reverse("recognition:case_decide", args=[request.pk]),
        {
            "outcome": "partial",
            "credits_granted": "3",
            "component_replaced": "Lab part",
            "difference_learning_outcomes": "Model training is not covered.",
            "compensatory_measures": "An extra assignment.",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert decision.outcome == "partial"
    assert decision.substantial_differences == [
        {"element": "learning_outcomes", "reason": "Model training is not covered."}
    ]
    page = as_user(dana).get(reverse("recognition:request_detail", args=[request.pk]))
    assert "Model training is not covered." in page.content.decode()


def test_a_refusal_without_reasons_is_shown_as_a_form_error(
    as_user, bob, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    response = as_user(bob).post(
        reverse("recognition:case_decide", args=[request.pk]), {"outcome": "refused"}
    )
    assert response.status_code == 400
    assert "must name the substantial differences" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_learner_cannot_post_a_decision(as_user, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    response = as_user(dana).post(
        reverse("recognition:case_decide", args=[request.pk]), {"outcome": "full"}
    )
    assert response.status_code == 404


def test_question_answer_appeal_through_the_pages(
    as_user, bob, brian, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a, now=RECEIVED.replace(year=2099))
    as_user(bob).post(
        reverse("recognition:case_question", args=[request.pk]), {"question": "Which year?"}
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.AWAITING_LEARNER
    as_user(dana).post(
        reverse("recognition:request_answer", args=[request.pk]),
        {"answer": "2025", "attachments": SimpleUploadedFile("p.pdf", b"%PDF-1.4 x")},
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.IN_REVIEW
    attachment = request.attachments.get()
    download = as_user(bob).get(reverse("recognition:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        as_user(brian)
        .get(reverse("recognition:attachment_download", args=[attachment.pk]))
        .status_code
        == 200
    )
    as_user(bob).post(
        reverse("recognition:case_decide", args=[request.pk]),
        {"outcome": "refused", "difference_level": "Lower level."},
    )
    response = as_user(dana).post(
        reverse("recognition:request_appeal", args=[request.pk]), {"grounds": "It is level 6."}
    )
    assert response.status_code == 302
    appeal = request.appeal
    assert (
        "someone other than the officer who decided"
        in as_user(bob).get(reverse("recognition:appeal_detail", args=[appeal.pk])).content.decode()
    )
    response = as_user(brian).post(
        reverse("recognition:appeal_detail", args=[appeal.pk]),
        {"appeal_outcome": "overturned", "appeal_reasons": "It is level 6.", "outcome": "full"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.final_decision.outcome == "full"
    assert request.final_decision.decided_by == brian
    # A closed case has no decision due any more.
    case = as_user(bob).get(reverse("recognition:case_detail", args=[request.pk])).content.decode()
    assert "Decision due by" not in case


def test_targets_policy_and_upload_pages(as_user, alice, bob, carol, institution_a, course_a):
    client = as_user(bob)
    assert client.get(reverse("recognition:targets", args=["uni-a"])).status_code == 200
    assert as_user(carol).get(reverse("recognition:targets", args=["uni-a"])).status_code == 404
    response = client.post(
        reverse("recognition:targets", args=["uni-a"]),
        {"code": "ST1", "title": "Statistics", "ects": "4", "eqf_level": "6", "is_active": "on"},
    )
    assert response.status_code == 302
    upload = client.post(
        reverse("recognition:targets_upload", args=["uni-a"]),
        {"file": SimpleUploadedFile("t.csv", b"code,title,ects,eqf_level\nST2,Algebra,3,6\n")},
    )
    assert upload.status_code == 302
    assert client.post(upload["Location"]).status_code == 302
    assert institution_a.recognition_targets.filter(code="ST2").exists()
    assert as_user(bob).get(reverse("recognition:policy_edit", args=["uni-a"])).status_code == 404
    response = as_user(alice).post(
        reverse("recognition:policy_edit", args=["uni-a"]),
        {
            "time_limit_days": "20",
            "appeal_period_days": "10",
            "appeals_decided_by": "other_officer",
        },
    )
    assert response.status_code == 302


def test_the_report_downloads_as_csv(as_user, bob, carol, dana, institution_a, course_a):
    submit(dana, institution_a, course_a)
    response = as_user(bob).get(reverse("recognition:report_csv", args=["uni-a"]))
    assert response["Content-Type"].startswith("text/csv")
    assert b"reference" in b"".join(response.streaming_content)
    assert as_user(carol).get(reverse("recognition:report_csv", args=["uni-a"])).status_code == 404


def test_dashboards_show_recognition_panels(as_user, bob, dana, institution_a, course_a):
    submit(dana, institution_a, course_a, now=RECEIVED - timedelta(days=60))
    officer = as_user(bob).get(reverse("dashboard")).content.decode()
    assert "1 open case" in officer
    assert "1 overdue" in officer
    learner = as_user(dana).get(reverse("dashboard")).content.decode()
    assert "Recognition requests" in learner


def test_an_oversized_credential_file_is_refused_with_its_size(as_user, dana, course_a, settings):
    settings.RECOGNITION_CREDENTIAL_MAX_BYTES = 1024
    response = as_user(dana).post(
        reverse("recognition:request_create", args=["uni-a"]),
        {
            "kind": "course",
            "target": course_a.pk,
            "credential_file": SimpleUploadedFile("big.json", b" " * 5000),
        },
    )
    assert response.status_code == 400
    assert "is 5 KB; at most 1 KB" in response.content.decode()


def test_an_oversized_attachment_is_refused_with_its_size(as_user, dana, course_a, settings):
    settings.RECOGNITION_ATTACHMENT_MAX_BYTES = 2048
    response = as_user(dana).post(
        reverse("recognition:request_create", args=["uni-a"]),
        {
            "kind": "course",
            "target": course_a.pk,
            "credential_json": json.dumps(signed_credential()),
            "attachments": SimpleUploadedFile("scan.pdf", b"%PDF-" + b"0" * 10_000),
        },
    )
    assert response.status_code == 400
    assert "scan.pdf is 10 KB" in response.content.decode()
    assert not RecognitionRequest.objects.exists()
