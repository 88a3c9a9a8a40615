"""The recognition API: every step, the same permissions as the pages, problem details."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from recognition import services
from recognition.models import Decision, RecognitionRequest, RequestStatus
from tests.catalogue.factories import published_programme
from tests.recognition.factories import signed_credential, submit, trust_provider

pytestmark = pytest.mark.django_db

BASE = "/api/v1/recognition"


def test_the_public_reads_policy_targets_and_statistics(api_as, course_a):
    client = api_as(None)
    policy = client.get(f"{BASE}/institutions/uni-a/policy/")
    assert policy.status_code == 200
    assert policy.json()["time_limit_days"] == 30
    targets = client.get(f"{BASE}/targets/", {"institution": "uni-a"}).json()
    assert [t["code"] for t in targets] == ["DS101"]
    stats = client.get(f"{BASE}/institutions/uni-a/statistics/").json()
    assert stats["requests"] == 0
    assert client.get(f"{BASE}/institutions/uni-b/policy/").status_code == 404


def test_policy_and_targets_are_written_only_by_their_institution(
    api_as, alice, bob, carol, course_a
):
    body = {"time_limit_days": 20, "appeal_period_days": 10, "appeals_decided_by": "other_officer"}
    assert (
        api_as(bob).put(f"{BASE}/institutions/uni-a/policy/", body, format="json").status_code
        == 404
    )
    assert (
        api_as(alice).put(f"{BASE}/institutions/uni-a/policy/", body, format="json").status_code
        == 200
    )
    created = api_as(bob).post(
        f"{BASE}/targets/",
        {"institution": "uni-a", "code": "X1", "title": "X", "ects": "3", "eqf_level": 6},
        format="json",
    )
    assert created.status_code == 201
    assert created.json()["institution"] == "uni-a"
    target_id = created.json()["id"]
    # The institution cannot be changed through the API.
    patched = api_as(bob).patch(
        f"{BASE}/targets/{target_id}/", {"institution": "uni-b", "title": "Y"}, format="json"
    )
    assert patched.json()["institution"] == "uni-a"
    assert patched.json()["title"] == "Y"
    assert (
        api_as(carol)
        .patch(f"{BASE}/targets/{target_id}/", {"title": "Z"}, format="json")
        .status_code
        == 404
    )


def test_targets_csv_upload_and_confirm(api_as, bob, institution_a, course_a):
    response = api_as(bob).post(
        f"{BASE}/target-uploads/",
        {
            "institution": "uni-a",
            "file": SimpleUploadedFile(
                "t.csv", b"code,title,ects,eqf_level\nA1,Alg,3,6\nA2,,x,6\n"
            ),
        },
        format="multipart",
    )
    assert response.status_code == 201
    rows = response.json()["rows"]
    assert [row["valid"] for row in rows] == [True, False]
    assert rows[0]["saves_as"] == "new"
    confirmed = api_as(bob).post(f"{BASE}/target-uploads/{response.json()['upload']}/confirm/")
    assert confirmed.status_code == 200
    assert institution_a.recognition_targets.filter(code="A1").exists()


def test_the_whole_workflow_through_the_api(
    api_as, bob, brian, dana, course_a, django_capture_on_commit_callbacks
):
    learner, officer, reviewer = api_as(dana), api_as(bob), api_as(brian)
    trust_provider()
    with django_capture_on_commit_callbacks(execute=True):
        created = learner.post(
            f"{BASE}/requests/",
            {
                "institution": "uni-a",
                "kind": "course",
                "target": course_a.pk,
                "credentials": [signed_credential()],
                "status": "closed",
            },
            format="json",
        )
    assert created.status_code == 201, created.json()
    case = created.json()
    assert case["status"] == "submitted"
    assert case["checks"] == {}  # the learner does not see the officers' working notes
    request_id = case["id"]
    assert learner.get(f"{BASE}/requests/").json()["results"][0]["id"] == request_id

    # The learner never sees the officers' recommendation before the decision.
    assert learner.get(f"{BASE}/requests/").json()["results"][0]["recommendation"] is None
    assert learner.get(f"{BASE}/requests/{request_id}/").json()["recommendation"] is None

    queue = officer.get(f"{BASE}/requests/", {"view": "queue"}).json()["results"]
    assert [row["id"] for row in queue] == [request_id]
    # A registered issuer, but nobody proved the learner holds the credential.
    assert queue[0]["recommendation"] == "examine"
    detail = officer.get(f"{BASE}/requests/{request_id}/").json()
    assert detail["credentials"][0]["holder_status"] == "not_proven"
    assert detail["credentials"][0]["registered_issuer_name"] == "Provider University"
    with django_capture_on_commit_callbacks(execute=True):
        checked = officer.post(
            f"{BASE}/requests/{request_id}/identity-check/",
            {"position": 1, "note": "Passport seen at the desk."},
            format="json",
        )
    assert checked.status_code == 200, checked.json()
    detail = officer.get(f"{BASE}/requests/{request_id}/").json()
    assert detail["credentials"][0]["holder_status"] == "officer"
    assert detail["checks"]["recommendation"]["kind"] == "full"
    assert learner.get(f"{BASE}/requests/{request_id}/").json()["recommendation"] is None

    assert (
        officer.post(f"{BASE}/requests/{request_id}/take/").json()["assigned_to"] == "bob@a.example"
    )
    conflict = reviewer.post(f"{BASE}/requests/{request_id}/take/")
    assert conflict.status_code == 409
    assert conflict["Content-Type"] == "application/problem+json"
    assert officer.post(f"{BASE}/requests/{request_id}/release/").status_code == 200

    asked = officer.post(f"{BASE}/requests/{request_id}/messages/", {"body": "Syllabus?"})
    assert asked.status_code == 201
    assert learner.get(f"{BASE}/requests/{request_id}/").json()["status"] == "awaiting_learner"
    learner.post(f"{BASE}/requests/{request_id}/messages/", {"body": "Attached."})
    attached = learner.post(
        f"{BASE}/requests/{request_id}/attachments/",
        {"files": [SimpleUploadedFile("s.pdf", b"%PDF-1.5 syllabus")]},
        format="multipart",
    )
    assert attached.status_code == 201
    messages = officer.get(f"{BASE}/requests/{request_id}/messages/").json()
    assert [m["kind"] for m in messages] == ["information_request", "answer"]

    refused = officer.post(
        f"{BASE}/requests/{request_id}/decision/",
        {"outcome": "refused", "reasons": "No.", "decided_by": "brian@a.example"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "reasons_required"
    decided = officer.post(
        f"{BASE}/requests/{request_id}/decision/",
        {
            "outcome": "refused",
            "substantial_differences": [{"element": "level", "reason": "Lower level."}],
            "decided_by": "brian@a.example",
            "automatic": True,
        },
        format="json",
    )
    assert decided.status_code == 201
    assert decided.json()["decided_by"] == "bob@a.example"
    assert decided.json()["automatic"] is False
    again = reviewer.post(
        f"{BASE}/requests/{request_id}/decision/", {"outcome": "full"}, format="json"
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_decided"

    # The request's dates come from today; appealing within the period needs no clock tricks.
    appeal = learner.post(f"{BASE}/requests/{request_id}/appeal/", {"grounds": "It is level 6."})
    assert appeal.status_code == 201
    appeal_id = appeal.json()["id"]
    assert officer.get(f"{BASE}/appeals/").json() == []
    assert [a["id"] for a in reviewer.get(f"{BASE}/appeals/").json()] == [appeal_id]
    blocked = officer.post(
        f"{BASE}/appeals/{appeal_id}/decision/",
        {"outcome": "upheld", "reasons": "Mine."},
        format="json",
    )
    assert blocked.status_code == 403
    assert blocked.json()["code"] == "conflict_of_interest"
    overturned = reviewer.post(
        f"{BASE}/appeals/{appeal_id}/decision/",
        {
            "outcome": "overturned",
            "reasons": "The level is 6.",
            "new_decision": {"outcome": "full"},
        },
        format="json",
    )
    assert overturned.status_code == 200, overturned.json()
    final = learner.get(f"{BASE}/requests/{request_id}/").json()
    assert final["status"] == "closed"
    assert [d["outcome"] for d in final["decisions"]] == ["refused", "full"]
    assert final["decisions"][0]["superseded"] is True
    audit = officer.get(f"{BASE}/requests/{request_id}/audit/").json()
    assert "recognition.appeal_decided" in [event["step"] for event in audit]
    assert learner.get(f"{BASE}/requests/{request_id}/audit/").status_code == 404


def test_outsiders_get_404_on_every_case_endpoint(
    api_as, carol, eve, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    for user in (carol, eve):
        client = api_as(user)
        assert client.get(f"{BASE}/requests/{request.pk}/").status_code == 404
        assert client.post(f"{BASE}/requests/{request.pk}/take/").status_code == 404
        assert (
            client.post(
                f"{BASE}/requests/{request.pk}/decision/", {"outcome": "full"}, format="json"
            ).status_code
            == 404
        )
        assert client.post(f"{BASE}/requests/{request.pk}/withdraw/").status_code == 404
    assert (
        api_as(dana)
        .post(f"{BASE}/requests/{request.pk}/decision/", {"outcome": "full"})
        .status_code
        == 404
    )
    assert api_as(None).get(f"{BASE}/requests/").status_code == 401


def test_a_learner_accepts_or_withdraws(api_as, bob, dana, eve, institution_a, course_a):
    open_request = submit(dana, institution_a, course_a)
    assert (
        api_as(dana).post(f"{BASE}/requests/{open_request.pk}/withdraw/").json()["status"]
        == "withdrawn"
    )
    decided = submit(eve, institution_a, course_a)
    services.decide_request(
        officer=bob,
        case=decided,
        outcome="refused",
        differences=[services.DifferenceInput("level", "Lower.")],
    )
    assert api_as(eve).post(f"{BASE}/requests/{decided.pk}/accept/").json()["status"] == "closed"


def test_oversized_or_non_object_credentials_are_refused(api_as, dana, course_a, settings):
    settings.RECOGNITION_CREDENTIAL_MAX_BYTES = 2048
    big = api_as(dana).post(
        f"{BASE}/requests/",
        {"institution": "uni-a", "target": course_a.pk, "credentials": [{"x": "y" * 4096}]},
        format="json",
    )
    assert big.status_code == 400
    assert big.json()["code"] == "too_large"
    listed = api_as(dana).post(
        f"{BASE}/requests/",
        {"institution": "uni-a", "target": course_a.pk, "credentials": [[1, 2]]},
        format="json",
    )
    assert listed.status_code == 400
    assert not RecognitionRequest.objects.exists()


def test_agreements_through_the_api(api_as, alice, carol, dana, institution_a, course_b):
    programme = published_programme(alice, institution_a)
    body = {"target": course_b.pk, "programme": programme.slug, "ects": "5", "minimum_grade": "6"}
    assert api_as(alice).post(f"{BASE}/agreements/", body, format="json").status_code == 404
    created = api_as(carol).post(f"{BASE}/agreements/", body, format="json")
    assert created.status_code == 201
    assert created.json()["institution"] == "uni-b"
    agreement_id = created.json()["id"]
    assert [a["id"] for a in api_as(carol).get(f"{BASE}/agreements/").json()] == [agreement_id]
    assert api_as(alice).get(f"{BASE}/agreements/").json() == []
    ended = api_as(carol).post(f"{BASE}/agreements/{agreement_id}/end/")
    assert ended.json()["is_active"] is False


def test_an_automatic_decision_is_reviewed_through_the_api(
    api_as, bob, dana, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    decision = services.decide_request(officer=bob, case=request, outcome="full")
    response = api_as(bob).post(f"{BASE}/decisions/{decision.pk}/review/", {}, format="json")
    assert response.status_code == 400  # only automatic decisions are reviewed
    assert Decision.objects.get().reviewed_at is None


def test_the_schema_documents_the_recognition_api(api_as, oscar):
    schema = api_as(oscar).get("/api/schema/", {"format": "json"}).json()
    paths = [path for path in schema["paths"] if path.startswith("/api/v1/recognition/")]
    assert "/api/v1/recognition/requests/{id}/decision/" in paths
    assert "/api/v1/recognition/appeals/{id}/decision/" in paths
    decision_input = schema["components"]["schemas"]["DecisionInputRequest"]["properties"]
    assert "decided_by" not in decision_input
    request_input = schema["components"]["schemas"]["RequestInputRequest"]["properties"]
    assert "status" not in request_input
    assert "deadline_at" not in request_input
    assert (
        RequestStatus.SUBMITTED
        in schema["components"]["schemas"]["RecognitionRequestStatusEnum"]["enum"]
    )


def test_the_available_credentials_endpoint_lists_the_wallet(api_as, dana):
    assert api_as(dana).get(f"{BASE}/available-credentials/").json() == []


def test_partial_decision_credits_come_back_as_decimals(api_as, bob, dana, institution_a, course_a):
    request = submit(dana, institution_a, course_a)
    response = api_as(bob).post(
        f"{BASE}/requests/{request.pk}/decision/",
        {
            "outcome": "partial",
            "credits_granted": "2.5",
            "substantial_differences": [{"element": "workload", "reason": "Half."}],
        },
        format="json",
    )
    assert response.status_code == 201
    assert Decimal(response.json()["credits_granted"]) == Decimal("2.5")
