from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from catalogue import services
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Pathway,
    Programme,
    ProgrammeStatus,
)
from tests.catalogue.factories import (
    complete_data,
    draft_programme,
    learners,
    open_offering,
    past,
    published_programme,
)
from tests.factories import ADMIN, UserFactory, grant

# --- public pages ---------------------------------------------------------------------------


def test_catalogue_lists_and_searches_programmes(client, alice, institution_a):
    published_programme(alice, institution_a, slug="data")
    published_programme(
        alice, institution_a, slug="robots", title={"en": "Robots", "es": "Robots", "de": "Roboter"}
    )
    draft_programme(alice, institution_a, slug="hidden-draft")
    body = client.get(reverse("catalogue:catalogue")).content.decode()
    assert "2 programmes" in body
    assert "hidden-draft" not in body
    body = client.get(reverse("catalogue:catalogue"), {"q": "robots"}).content.decode()
    assert "1 programme" in body
    assert "/catalogue/robots/" in body


def test_invalid_filters_are_ignored_not_an_error(client, alice, institution_a):
    published_programme(alice, institution_a)
    response = client.get(reverse("catalogue:catalogue"), {"eqf": "x", "ects_min": "many"})
    assert response.status_code == 200
    assert "1 programme" in response.content.decode()


def test_pagination_keeps_the_filters(client, alice, institution_a, settings, monkeypatch):
    monkeypatch.setattr("catalogue.views.CATALOGUE_PAGE_SIZE", 2)
    for number in range(3):
        published_programme(alice, institution_a, slug=f"p{number}")
    body = client.get(reverse("catalogue:catalogue"), {"form": "online"}).content.decode()
    assert "form=online&amp;page=2" in body


@pytest.mark.parametrize("rows", [1, 12])
def test_catalogue_page_runs_a_fixed_number_of_queries(
    client, alice, institution_a, django_assert_num_queries, rows, settings
):
    for number in range(rows):
        programme = published_programme(alice, institution_a, slug=f"p{number}")
        open_offering(alice, programme, code=f"o{number}")
    url = reverse("catalogue:catalogue")
    # Rendered: the content epochs, filter choices (skills, institutions, alliances; then
    # cached), the first ids up to the count cap (count and page in one), rows.
    with django_assert_num_queries(6):
        response = client.get(url, {"q": "data", "eqf": "6"})
    assert response.status_code == 200
    # From the page cache, the content epochs from the cache too: no query.
    with django_assert_num_queries(0):
        client.get(url, {"q": "data", "eqf": "6"})
    settings.PAGE_CACHE_SECONDS = 0
    with django_assert_num_queries(2):
        client.get(url, {"q": "data", "eqf": "6"})


def test_programme_page_shows_every_element_and_offerings(
    client, alice, institution_a, charlie, institution_b
):
    programme = published_programme(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    )
    open_offering(alice, programme, capacity=3)
    body = client.get(reverse("catalogue:programme_detail", args=[programme.slug])).content.decode()
    for text in (
        "Data literacy for engineers",
        "Universitat A",
        "Universität B",
        "5.0 ECTS credits (125 hours)",
        "EQF level 6",
        "Project with oral defence",
        "Online",
        "Internal QA, ESG 2015",
        "analyse big data",
        "3 / 3",
        "Sign in to enrol",
    ):
        assert text in body, text


def test_programme_page_falls_back_to_english_and_says_so(client, alice, institution_a):
    programme = published_programme(alice, institution_a)
    body = client.get(
        reverse("catalogue:programme_detail", args=[programme.slug]), HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Alfabetización de datos" in body
    institution_a.main_language = "en"
    institution_a.save()
    only_english = published_programme(
        alice, institution_a, slug="english", title={"en": "English only"}, summary={"en": "x"}
    )
    client.cookies.load({"django_language": "es"})
    response = client.get(reverse("catalogue:programme_detail", args=[only_english.slug]))
    assert 'lang="en"' in response.content.decode()


def test_unpublished_programmes_answer_404(client, alice, institution_a):
    programme = draft_programme(alice, institution_a)
    assert (
        client.get(reverse("catalogue:programme_detail", args=[programme.slug])).status_code == 404
    )


def test_learner_enrols_and_joins_the_waiting_list(as_user, alice, institution_a, dana, eve):
    programme = published_programme(alice, institution_a)
    offering = open_offering(alice, programme, capacity=1)
    url = reverse("catalogue:enrol", args=[offering.pk])
    response = as_user(dana).post(url, follow=True)
    assert "You are enrolled." in response.content.decode()
    response = as_user(eve).post(url, follow=True)
    assert "waiting list" in response.content.decode()
    assert Enrolment.objects.get(learner=eve).status == EnrolmentStatus.WAITLISTED


def test_enrolling_requires_sign_in(client, alice, institution_a):
    offering = open_offering(alice, published_programme(alice, institution_a))
    response = client.post(reverse("catalogue:enrol", args=[offering.pk]))
    assert response.status_code == 302
    assert not Enrolment.objects.exists()


def test_learner_withdraws_and_the_first_waiting_learner_moves_up(
    as_user, alice, institution_a, dana, eve
):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=1)
    mine = services.enrol(learner=dana, offering=offering)
    services.enrol(learner=eve, offering=offering)
    assert as_user(eve).post(reverse("catalogue:withdraw", args=[mine.pk])).status_code == 404
    as_user(dana).post(reverse("catalogue:withdraw", args=[mine.pk]))
    assert Enrolment.objects.get(learner=eve).status == EnrolmentStatus.ENROLLED


def test_dashboard_lists_enrolments_and_pathway_progress(as_user, alice, institution_a, dana):
    programme = published_programme(alice, institution_a)
    services.create_pathway(
        actor=alice,
        owner=institution_a,
        alliance=programme.alliance,
        slug="path",
        title={"en": "Data pathway"},
        rule="all",
        programme_ids=[programme.pk],
    )
    services.enrol(learner=dana, offering=open_offering(alice, programme))
    body = as_user(dana).get(reverse("dashboard")).content.decode()
    assert "Data literacy for engineers" in body
    assert "Data pathway" in body
    assert "0 of 1 programmes passed" in body


def test_staff_dashboard_links_to_programmes_and_approvals(
    as_user, alice, charlie, institution_a, institution_b
):
    services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    body = as_user(charlie).get(reverse("dashboard")).content.decode()
    assert "1 approval waiting" in body
    assert reverse("catalogue:staff_programmes") in body


# --- staff pages ----------------------------------------------------------------------------


@pytest.fixture
def staff_context(alice, charlie, institution_a, institution_b, dana):
    programme = published_programme(
        alice, institution_a, partners=[institution_b], approvers=[charlie]
    )
    offering = open_offering(alice, programme)
    enrolment = services.enrol(learner=dana, offering=offering)
    return {"programme": programme, "offering": offering, "enrolment": enrolment}


EDIT_PAGES = [
    ("get", "catalogue:programme_edit", lambda ctx: [ctx["programme"].pk]),
    ("post", "catalogue:programme_edit", lambda ctx: [ctx["programme"].pk]),
    ("post", "catalogue:programme_submit", lambda ctx: [ctx["programme"].pk]),
    ("post", "catalogue:programme_archive", lambda ctx: [ctx["programme"].pk]),
    ("get", "catalogue:offering_create", lambda ctx: [ctx["programme"].pk]),
    ("post", "catalogue:offering_create", lambda ctx: [ctx["programme"].pk]),
    ("get", "catalogue:offering_edit", lambda ctx: [ctx["offering"].pk]),
    ("post", "catalogue:offering_edit", lambda ctx: [ctx["offering"].pk]),
    ("post", "catalogue:offering_manage", lambda ctx: [ctx["offering"].pk]),
]
VIEW_PAGES = [
    ("get", "catalogue:programme_manage", lambda ctx: [ctx["programme"].pk]),
    ("get", "catalogue:offering_manage", lambda ctx: [ctx["offering"].pk]),
    ("get", "catalogue:results_export", lambda ctx: [ctx["offering"].pk]),
    ("post", "catalogue:programme_approve", lambda ctx: [ctx["programme"].pk]),
    ("post", "catalogue:programme_request_changes", lambda ctx: [ctx["programme"].pk]),
]


@pytest.mark.parametrize(("method", "url_name", "args"), EDIT_PAGES)
@pytest.mark.parametrize("outsider", ["bob", "charlie", "carol", "dana", "eve"])
def test_only_the_coordinators_managers_reach_edit_pages(
    request, as_user, staff_context, method, url_name, args, outsider
):
    """charlie is staff of the partner B: he sees the programme but may not change it."""
    client = as_user(request.getfixturevalue(outsider))
    response = getattr(client, method)(
        reverse(url_name, args=args(staff_context)),
        {"capacity": 1, "ects": 9, "enrolment": staff_context["enrolment"].pk, "outcome": "passed"},
    )
    assert response.status_code == 404
    programme = Programme.objects.get(pk=staff_context["programme"].pk)
    assert programme.status == ProgrammeStatus.PUBLISHED
    assert programme.ects == 5
    assert not AssessmentResult.objects.exists()


@pytest.mark.parametrize(("method", "url_name", "args"), VIEW_PAGES)
@pytest.mark.parametrize("outsider", ["bob", "carol", "dana", "eve", "staff_of_c"])
def test_outsiders_get_404_on_staff_pages(
    request, as_user, staff_context, institution_c, method, url_name, args, outsider
):
    user = (
        grant(UserFactory(), institution_c, ADMIN)
        if outsider == "staff_of_c"
        else request.getfixturevalue(outsider)
    )
    response = getattr(as_user(user), method)(
        reverse(url_name, args=args(staff_context)),
        {
            "institution": staff_context["programme"].partner_links.get().institution_id,
            "comment": "no",
        },
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url_name",
    [
        "catalogue:staff_programmes",
        "catalogue:programme_create",
        "catalogue:pathway_create",
        "catalogue:results_upload",
    ],
)
@pytest.mark.parametrize("outsider", ["bob", "dana", "eve"])
def test_people_without_programme_roles_get_404_on_staff_lists(
    as_user, request, institution_a, url_name, outsider
):
    response = as_user(request.getfixturevalue(outsider)).get(reverse(url_name))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("method", "url_name", "args"),
    [*EDIT_PAGES, *VIEW_PAGES, ("get", "catalogue:staff_programmes", lambda ctx: [])],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, staff_context, method, url_name, args):
    response = getattr(client, method)(reverse(url_name, args=args(staff_context)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_alice_creates_a_draft_and_sees_what_is_missing(as_user, alice, institution_a, alliance):
    client = as_user(alice)
    response = client.post(
        reverse("catalogue:programme_create"),
        {
            "coordinator": institution_a.pk,
            "alliance": alliance.pk,
            "slug": "new-one",
            "title_en": "New one",
        },
    )
    programme = Programme.objects.get(slug="new-one")
    assert response["Location"] == reverse("catalogue:programme_edit", args=[programme.pk])
    body = client.get(response["Location"]).content.decode()
    assert 'href="#id_title_en"' not in body  # given
    assert 'href="#id_title_es"' not in body  # not taught in Spanish (yet)
    assert "(optional)" in body
    assert 'href="#id_ects"' in body
    assert 'href="#id_outcomes"' in body
    assert 'id="id_ects"' in body


def _edit_payload(programme, **overrides):
    data = complete_data()
    payload = {
        "ects": "5.0",
        "workload_hours": "125",
        "eqf_level": "6",
        "qf_ehea_cycle": "first",
        "participation_form": "online",
        "supervision": "",
        "grading_scheme": "numeric_10",
        "stackability": "standalone",
        "languages": ["en", "es"],
        "isced_f_code": "0613",
        "fee_amount": "0",
        "fee_currency": "EUR",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-MIN_NUM_FORMS": "0",
        "outcomes-MAX_NUM_FORMS": "20",
        "outcomes-0-text_en": "Analyse data",
        "outcomes-0-text_es": "Analizar datos",
    }
    for name in ("title", "summary", "assessment_type", "quality_assurance"):
        payload[f"{name}_en"] = data[name]["en"]
        payload[f"{name}_es"] = data[name]["es"]
    payload.update(overrides)
    return payload


def test_alice_completes_and_publishes_through_the_pages(as_user, alice, institution_a, alliance):
    programme = services.create_programme(
        actor=alice, coordinator=institution_a, alliance=alliance, slug="via-pages", data={}
    )
    client = as_user(alice)
    response = client.post(
        reverse("catalogue:programme_edit", args=[programme.pk]), _edit_payload(programme)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client.post(reverse("catalogue:programme_submit", args=[programme.pk]))
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_form_errors_are_tied_to_their_fields(as_user, alice, institution_a, alliance):
    programme = services.create_programme(
        actor=alice, coordinator=institution_a, alliance=alliance, slug="bad-form", data={}
    )
    response = as_user(alice).post(
        reverse("catalogue:programme_edit", args=[programme.pk]),
        _edit_payload(programme, ects="-3"),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'aria-describedby="id_ects_errors id_ects_helptext"' in body
    assert 'id="id_ects_errors"' in body


def test_partner_approves_through_the_page_after_reading_the_elements(
    as_user, alice, charlie, institution_a, institution_b
):
    programme = services.submit_programme(
        actor=alice, programme=draft_programme(alice, institution_a, partners=[institution_b])
    )
    client = as_user(charlie)
    page = client.get(reverse("catalogue:programme_manage", args=[programme.pk])).content.decode()
    assert "Approve" in page
    # The partner sees every element it approves, though nothing is published yet.
    assert "Micro-credential elements" in page
    assert "Analyse a data set and report its limits" in page
    assert "Project with oral defence" in page
    client.post(
        reverse("catalogue:programme_approve", args=[programme.pk]),
        {"institution": institution_b.pk},
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.PUBLISHED


def test_alice_opens_an_offering(as_user, alice, institution_a):
    programme = published_programme(alice, institution_a)
    today = timezone.localdate()
    response = as_user(alice).post(
        reverse("catalogue:offering_create", args=[programme.pk]),
        {
            "code": "spring",
            "starts_on": today + timedelta(days=10),
            "ends_on": today + timedelta(days=40),
            "enrolment_opens_on": today,
            "enrolment_closes_on": today + timedelta(days=5),
            "capacity": 12,
            "language": "en",
            "delivery_institutions": [institution_a.pk],
        },
    )
    assert response.status_code == 302
    assert programme.offerings.get().code == "spring"


def test_staff_record_a_result_through_the_offering_page(as_user, alice, staff_context):
    offering = staff_context["offering"]
    response = as_user(alice).post(
        reverse("catalogue:offering_manage", args=[offering.pk]),
        {
            "enrolment": staff_context["enrolment"].pk,
            "outcome": "passed",
            "grade": "7",
            "assessed_on": past().isoformat(),
            "identity_verified": "on",
        },
    )
    assert response.status_code == 302
    assert AssessmentResult.objects.get().grade == "7"


def test_a_bad_grade_is_shown_on_the_field(as_user, alice, staff_context):
    response = as_user(alice).post(
        reverse("catalogue:offering_manage", args=[staff_context["offering"].pk]),
        {
            "enrolment": staff_context["enrolment"].pk,
            "outcome": "passed",
            "grade": "2",
            "assessed_on": past().isoformat(),
        },
    )
    assert response.status_code == 400
    assert "contradicts the outcome" in response.content.decode()


def test_results_upload_preview_then_confirm(as_user, alice, staff_context, dana):
    client = as_user(alice)
    text = (
        "offering,learner_email,outcome,grade,assessed_on,identity_verified\n"
        f"cohort-1,{dana.email},passed,9,{past().isoformat()},yes\n"
        f"cohort-1,ghost@example.org,passed,9,{past().isoformat()},yes\n"
    )
    response = client.post(
        reverse("catalogue:results_upload"),
        {"file": SimpleUploadedFile("r.csv", text.encode(), content_type="text/csv")},
    )
    assert response.status_code == 302
    preview = client.get(response["Location"]).content.decode()
    assert "Unknown learner" in preview
    assert not AssessmentResult.objects.exists()
    client.post(response["Location"])
    assert AssessmentResult.objects.count() == 1


def test_an_oversized_upload_is_refused_with_a_clear_message(
    as_user, alice, staff_context, settings
):
    settings.RESULTS_UPLOAD_MAX_BYTES = 20
    response = as_user(alice).post(
        reverse("catalogue:results_upload"),
        {"file": SimpleUploadedFile("r.csv", b"x" * 100, content_type="text/csv")},
    )
    assert response.status_code == 400
    assert "the limit is 0 KB" in response.content.decode() or "limit" in response.content.decode()


def test_someone_elses_upload_preview_answers_404(as_user, alice, charlie, staff_context, dana):
    preview = services.preview_results_upload(
        actor=alice, filename="r.csv", size=10, data=b"offering,learner_email,outcome,assessed_on\n"
    )
    response = as_user(charlie).get(
        reverse("catalogue:results_upload_preview", args=[preview.upload.pk])
    )
    assert response.status_code == 404


def test_results_export_escapes_formula_cells(as_user, alice, staff_context):
    dana = staff_context["enrolment"].learner
    dana.full_name = '=HYPERLINK("http://evil")'
    dana.save()
    services.record_result(
        actor=alice,
        enrolment=staff_context["enrolment"],
        outcome="passed",
        grade="8",
        assessed_on=past(),
        identity_verified=True,
    )
    response = as_user(alice).get(
        reverse("catalogue:results_export", args=[staff_context["offering"].pk])
    )
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "cohort-1,dana@learner.example" in body


@pytest.mark.parametrize("rows", [1, 10])
def test_staff_list_page_runs_a_fixed_number_of_queries(
    as_user, alice, institution_a, django_assert_max_num_queries, rows
):
    for number in range(rows):
        programme = published_programme(alice, institution_a, slug=f"p{number}")
        open_offering(alice, programme, code=f"o{number}")
    client = as_user(alice)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("catalogue:staff_programmes")).status_code == 200


@pytest.mark.parametrize("rows", [1, 10])
def test_offering_page_runs_a_fixed_number_of_queries(
    as_user, alice, institution_a, django_assert_max_num_queries, rows
):
    offering = open_offering(alice, published_programme(alice, institution_a), capacity=50)
    for learner in learners(rows):
        services.enrol(learner=learner, offering=offering)
    client = as_user(alice)
    with django_assert_max_num_queries(14):
        assert (
            client.get(reverse("catalogue:offering_manage", args=[offering.pk])).status_code == 200
        )


# --- pathways -------------------------------------------------------------------------------


def test_a_manager_publishes_a_pathway_across_institutions(
    as_user, alice, charlie, institution_a, institution_b, alliance, dana
):
    own = published_programme(alice, institution_a, slug="own")
    partners = published_programme(charlie, institution_b, slug="partners")
    page = as_user(alice)
    form = page.get(reverse("catalogue:pathway_create")).content.decode()
    assert f"({institution_b.short_name}, {alliance.name})" in form
    assert '<fieldset class="choices"><legend>' in form
    response = page.post(
        reverse("catalogue:pathway_create"),
        {
            "owner": institution_a.pk,
            "alliance": alliance.pk,
            "slug": "data-track",
            "title_en": "Data track",
            "description_en": "Two programmes",
            "programmes": [own.pk, partners.pk],
            "rule": "n_of",
            "required_count": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("catalogue:pathway_detail", args=["data-track"])
    pathway = Pathway.objects.get(slug="data-track")
    assert set(pathway.programmes.all()) == {own, partners}
    assert pathway.required_count == 1
    assert "Data track" in page.get(reverse("catalogue:staff_programmes")).content.decode()
    assert "Pass 1 of these programmes" in as_user(dana).get(response["Location"]).content.decode()


def test_a_pathway_rule_error_is_shown_on_its_field(as_user, alice, institution_a, alliance):
    programme = published_programme(alice, institution_a)
    response = as_user(alice).post(
        reverse("catalogue:pathway_create"),
        {
            "owner": institution_a.pk,
            "alliance": alliance.pk,
            "slug": "too-many",
            "title_en": "Too many",
            "programmes": [programme.pk],
            "rule": "n_of",
            "required_count": "3",
        },
    )
    assert response.status_code == 400
    assert "Say how many of the 1 programmes are needed." in response.content.decode()
    assert not Pathway.objects.exists()


def test_a_pathway_cannot_be_owned_by_another_institution(
    as_user, charlie, institution_a, institution_b, alliance
):
    programme = published_programme(charlie, institution_b)
    response = as_user(charlie).post(
        reverse("catalogue:pathway_create"),
        {
            "owner": institution_a.pk,
            "alliance": alliance.pk,
            "slug": "not-mine",
            "title_en": "Not mine",
            "programmes": [programme.pk],
            "rule": "all",
        },
    )
    assert response.status_code == 400
    assert not Pathway.objects.exists()


def test_a_catalogue_larger_than_the_count_cap_says_more_than(
    client, alice, institution_a, monkeypatch
):
    monkeypatch.setattr("catalogue.views.CATALOGUE_COUNT_CAP", 2)
    monkeypatch.setattr("catalogue.views.CATALOGUE_PAGE_SIZE", 1)
    for number in range(3):
        published_programme(alice, institution_a, slug=f"p{number}")
    page = client.get(reverse("catalogue:catalogue")).content.decode()
    assert "More than 2 programmes" in page
    assert "Page 1 of 2" in page
    last = client.get(reverse("catalogue:catalogue"), {"page": "9"}).content.decode()
    assert "Page 2 of 2" in last
    # Same titles: programmes in the order they were made; the third is beyond the cap.
    assert reverse("catalogue:programme_detail", args=["p1"]) in last
    assert reverse("catalogue:programme_detail", args=["p2"]) not in last
    exact = client.get(reverse("catalogue:catalogue"), {"q": "nothing-matches-this"})
    assert "0 programmes" in exact.content.decode()


def test_the_page_address_is_made_from_the_title_when_left_empty(
    as_user, alice, institution_a, alliance
):
    client = as_user(alice)
    for _ in range(2):
        client.post(
            reverse("catalogue:programme_create"),
            {
                "coordinator": institution_a.pk,
                "alliance": alliance.pk,
                "title_en": "Ciència de dades!",
            },
        )
    assert set(Programme.objects.values_list("slug", flat=True)) >= {
        "ciencia-de-dades",
        "ciencia-de-dades-2",
    }


def test_a_title_without_letters_asks_for_the_page_address(as_user, alice, institution_a, alliance):
    response = as_user(alice).post(
        reverse("catalogue:programme_create"),
        {"coordinator": institution_a.pk, "alliance": alliance.pk, "title_en": "???"},
    )
    assert response.status_code == 400
    assert "Write the page address" in response.content.decode()
