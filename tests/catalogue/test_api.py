from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from catalogue import services
from catalogue.models import AssessmentResult, Enrolment, Programme, ProgrammeStatus
from tests.catalogue.factories import (
    DATA_SKILL,
    complete_data,
    draft_programme,
    open_offering,
    past,
    published_programme,
)


def test_anyone_lists_and_filters_the_catalogue(api_as, alice, institution_a):
    published_programme(alice, institution_a, slug="one")
    published_programme(alice, institution_a, slug="two", eqf_level=7, qf_ehea_cycle="second")
    draft_programme(alice, institution_a, slug="draft")
    client = api_as(None)
    body = client.get("/api/v1/programmes/").json()
    assert body["count"] == 2
    assert body["results"][0]["title"]["en"] == "Data literacy for engineers"
    assert [p["slug"] for p in client.get("/api/v1/programmes/?eqf=7").json()["results"]] == ["two"]
    assert client.get(f"/api/v1/programmes/?skill={DATA_SKILL}").json()["count"] == 2
    assert client.get("/api/v1/programmes/?q=literacy&form=onsite").json()["count"] == 0


@pytest.mark.parametrize("rows", [1, 8])
def test_catalogue_api_runs_a_fixed_number_of_queries(
    api_as, alice, institution_a, django_assert_num_queries, rows
):
    for number in range(rows):
        published_programme(alice, institution_a, slug=f"p{number}")
    # count, the page's ids, its rows
    with django_assert_num_queries(3):
        assert api_as(None).get("/api/v1/programmes/").status_code == 200


def test_programme_detail_carries_the_published_version(api_as, alice, institution_a):
    programme = published_programme(alice, institution_a)
    open_offering(alice, programme)
    body = api_as(None).get(f"/api/v1/programmes/{programme.slug}/").json()
    assert body["published_version"]["number"] == 1
    assert body["published_version"]["snapshot"]["workload"] == {"ects": "5.0", "hours": 125}
    assert body["offerings"][0]["places_left"] == 10
    versions = api_as(None).get(f"/api/v1/programmes/{programme.slug}/versions/").json()
    assert versions["count"] == 1
    version_id = versions["results"][0]["id"]
    assert api_as(None).get(f"/api/v1/programme-versions/{version_id}/").json()["number"] == 1


def test_drafts_are_not_in_the_public_api(api_as, alice, institution_a):
    programme = draft_programme(alice, institution_a)
    assert api_as(None).get(f"/api/v1/programmes/{programme.slug}/").status_code == 404


def test_skill_search(api_as, db):
    body = api_as(None).get("/api/v1/skills/?search=machine learning").json()
    assert [skill["preferred_label"] for skill in body["results"]] == ["utilise machine learning"]


def _create_payload(**overrides):
    data = complete_data()
    payload = {
        key: (str(value) if hasattr(value, "quantize") else value) for key, value in data.items()
    }
    payload.update(
        {
            "coordinator": "uni-a",
            "alliance": "test-alliance",
            "slug": "api-programme",
            "partners": ["uni-b"],
            "learning_outcomes": [
                {"text": {"en": "Analyse data", "es": "Analizar datos"}, "skills": [DATA_SKILL]}
            ],
        }
    )
    payload.update(overrides)
    return payload


def test_staff_create_submit_and_approve_through_the_api(
    api_as, alice, charlie, institution_a, institution_b
):
    response = api_as(alice).post("/api/v1/manage/programmes/", _create_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["missing_elements"] == []
    assert body["status"] == "draft"
    pk = body["id"]
    assert (
        api_as(alice).post(f"/api/v1/manage/programmes/{pk}/submit/").json()["status"]
        == "submitted"
    )
    response = api_as(charlie).post(
        f"/api/v1/manage/programmes/{pk}/approve/", {"institution": "uni-b"}, format="json"
    )
    assert response.json()["status"] == "published"
    assert response.json()["published_version"]["number"] == 1


def test_status_coordinator_and_approvals_cannot_be_written(api_as, alice, institution_a):
    programme = draft_programme(alice, institution_a)
    response = api_as(alice).patch(
        f"/api/v1/manage/programmes/{programme.pk}/",
        {"status": "published", "coordinator": "uni-b", "published_version": 1, "ects": "6.0"},
        format="json",
    )
    assert response.status_code == 200
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.DRAFT
    assert programme.coordinator == institution_a
    assert programme.ects == 6


def test_submitting_an_incomplete_programme_is_a_problem_document(api_as, alice, institution_a):
    programme = draft_programme(alice, institution_a, ects=None)
    response = api_as(alice).post(f"/api/v1/manage/programmes/{programme.pk}/submit/")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "incomplete"


@pytest.mark.parametrize("outsider", ["bob", "carol", "dana", "eve"])
def test_outsiders_get_404_on_staff_endpoints(
    request, api_as, alice, charlie, institution_a, institution_b, outsider
):
    programme = published_programme(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    )
    offering = open_offering(alice, programme)
    client = api_as(request.getfixturevalue(outsider))
    for method, url, data in [
        ("get", f"/api/v1/manage/programmes/{programme.pk}/", None),
        ("patch", f"/api/v1/manage/programmes/{programme.pk}/", {"ects": "9.0"}),
        ("post", f"/api/v1/manage/programmes/{programme.pk}/submit/", None),
        ("post", f"/api/v1/manage/programmes/{programme.pk}/archive/", None),
        ("post", f"/api/v1/manage/programmes/{programme.pk}/approve/", {"institution": "uni-b"}),
        ("get", f"/api/v1/manage/programmes/{programme.pk}/offerings/", None),
        ("get", f"/api/v1/manage/offerings/{offering.pk}/", None),
        ("patch", f"/api/v1/manage/offerings/{offering.pk}/", {"capacity": 1}),
        ("get", f"/api/v1/manage/offerings/{offering.pk}/enrolments/", None),
        ("get", f"/api/v1/manage/offerings/{offering.pk}/results/", None),
    ]:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 404, (url, response.status_code)
    assert Programme.objects.get(pk=programme.pk).status == ProgrammeStatus.PUBLISHED


def test_charlie_of_the_partner_cannot_edit_alices_programme(
    api_as, alice, charlie, institution_a, institution_b
):
    programme = draft_programme(alice, institution_a, partners=[institution_b])
    client = api_as(charlie)
    assert client.get(f"/api/v1/manage/programmes/{programme.pk}/").status_code == 200
    response = client.patch(
        f"/api/v1/manage/programmes/{programme.pk}/", {"ects": "9.0"}, format="json"
    )
    assert response.status_code == 404
    assert client.post(f"/api/v1/manage/programmes/{programme.pk}/submit/").status_code == 404


def test_staff_open_offerings_and_learners_enrol(api_as, alice, institution_a, dana):
    programme = published_programme(alice, institution_a)
    today = timezone.localdate()
    response = api_as(alice).post(
        f"/api/v1/manage/programmes/{programme.pk}/offerings/",
        {
            "code": "api-cohort",
            "starts_on": str(today + timedelta(days=10)),
            "ends_on": str(today + timedelta(days=40)),
            "enrolment_opens_on": str(today),
            "enrolment_closes_on": str(today + timedelta(days=5)),
            "capacity": 1,
            "language": "en",
            "delivery_institutions": ["uni-a"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    offering_id = response.json()["id"]
    response = api_as(dana).post("/api/v1/enrolments/", {"offering": offering_id}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "enrolled"
    assert (
        api_as(dana)
        .post("/api/v1/enrolments/", {"offering": offering_id}, format="json")
        .status_code
        == 409
    )
    assert [e["offering"] for e in api_as(dana).get("/api/v1/enrolments/").json()] == ["api-cohort"]
    enrolment_id = response.json()["id"]
    response = api_as(dana).post(f"/api/v1/enrolments/{enrolment_id}/withdraw/")
    assert response.json()["status"] == "withdrawn"


def test_a_learner_cannot_withdraw_someone_else_through_the_api(
    api_as, alice, institution_a, dana, eve
):
    enrolment = services.enrol(
        learner=dana, offering=open_offering(alice, published_programme(alice, institution_a))
    )
    assert api_as(eve).post(f"/api/v1/enrolments/{enrolment.pk}/withdraw/").status_code == 404


def test_results_are_recorded_and_listed(api_as, alice, charlie, institution_a, dana):
    offering = open_offering(alice, published_programme(alice, institution_a))
    enrolment = services.enrol(learner=dana, offering=offering)
    payload = {
        "enrolment": enrolment.pk,
        "outcome": "passed",
        "grade": "8",
        "assessed_on": str(past()),
        "identity_verified": True,
    }
    assert (
        api_as(charlie)
        .post(f"/api/v1/manage/offerings/{offering.pk}/results/", payload, format="json")
        .status_code
        == 404
    )
    response = api_as(alice).post(
        f"/api/v1/manage/offerings/{offering.pk}/results/", payload, format="json"
    )
    assert response.status_code == 201
    assert response.json()["version"] == 1
    bad = api_as(alice).post(
        f"/api/v1/manage/offerings/{offering.pk}/results/", {**payload, "grade": "3"}, format="json"
    )
    assert bad.status_code == 400
    assert bad.json()["errors"] == {"grade": ["The grade contradicts the outcome."]}
    assert len(api_as(alice).get(f"/api/v1/manage/offerings/{offering.pk}/results/").json()) == 1


def test_result_upload_preview_and_confirm(api_as, alice, institution_a, dana):
    offering = open_offering(alice, published_programme(alice, institution_a))
    services.enrol(learner=dana, offering=offering)
    text = (
        "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"cohort-1,{dana.email},passed,7,{past().isoformat()},yes\n"
        f"cohort-1,{dana.email},passed,7,{past().isoformat()},yes\n"
    )
    response = api_as(alice).post(
        "/api/v1/manage/result-uploads/",
        {"file": SimpleUploadedFile("r.csv", text.encode())},
        format="multipart",
    )
    assert response.status_code == 201
    body = response.json()
    assert [row["valid"] for row in body["rows"]] == [True, False]
    assert not AssessmentResult.objects.exists()
    response = api_as(alice).post(f"/api/v1/manage/result-uploads/{body['id']}/confirm/")
    assert response.json()["saved_rows"] == 1
    assert AssessmentResult.objects.count() == 1


def test_a_non_utf8_upload_is_a_problem_document(api_as, alice, institution_a):
    response = api_as(alice).post(
        "/api/v1/manage/result-uploads/",
        {"file": SimpleUploadedFile("r.csv", "offering;é".encode("utf-16"))},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_encoding"


def test_pathway_progress_for_the_learner(api_as, alice, institution_a, dana):
    programme = published_programme(alice, institution_a)
    services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=programme.alliance,
        slug="p",
        title={"en": "P"},
        rule="all",
        programme_ids=[programme.pk],
    )
    services.enrol(learner=dana, offering=open_offering(alice, programme))
    assert api_as(None).get("/api/v1/pathways/").json()["results"][0]["programmes"] == [
        programme.slug
    ]
    assert api_as(dana).get("/api/v1/pathway-progress/").json()[0]["complete"] is False
    assert api_as(None).get("/api/v1/pathway-progress/").status_code == 401
    assert Enrolment.objects.count() == 1


def test_a_manager_publishes_a_pathway_through_the_api(
    api_as, alice, charlie, institution_a, institution_b
):
    own = published_programme(alice, institution_a, slug="own")
    partners = published_programme(charlie, institution_b, slug="partners")
    draft = draft_programme(alice, institution_a, slug="still-a-draft")
    pathway = {
        "owner": "uni-a",
        "alliance": own.alliance.slug,
        "slug": "data-track",
        "title": {"en": "Data track"},
        "rule": "min_ects",
        "min_ects": "8.0",
        "programmes": ["own", "partners"],
    }
    refused = api_as(alice).post(
        "/api/v1/manage/pathways/",
        {**pathway, "programmes": ["own", draft.slug]},
        format="json",
    )
    assert refused.status_code == 400
    assert refused["Content-Type"] == "application/problem+json"
    response = api_as(alice).post("/api/v1/manage/pathways/", pathway, format="json")
    assert response.status_code == 201, response.json()
    assert sorted(response.json()["programmes"]) == ["own", "partners"]
    assert response.json()["owner"] == "uni-a"
    assert [p["slug"] for p in api_as(None).get("/api/v1/pathways/").json()["results"]] == [
        "data-track"
    ]
    assert partners.pathways.count() == 1


@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana", "olga"])
def test_only_the_owners_managers_publish_pathways_through_the_api(
    request, api_as, alice, institution_a, outsider
):
    programme = published_programme(alice, institution_a, slug="own")
    response = api_as(request.getfixturevalue(outsider)).post(
        "/api/v1/manage/pathways/",
        {
            "owner": "uni-a",
            "alliance": programme.alliance.slug,
            "slug": "sneaky",
            "title": {"en": "Sneaky"},
            "rule": "all",
            "programmes": ["own"],
        },
        format="json",
    )
    assert response.status_code == 404
    assert not programme.pathways.exists()
