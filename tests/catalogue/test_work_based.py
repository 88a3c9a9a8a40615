"""Dual and challenge-based learning: companies and challenge providers as organisations of an
alliance, their mentors assessing the offerings they are assigned to (and nothing else), the
company co-signing credentials with its own key, and challenge teams."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from alliances.models import InstitutionRole, OrganisationKind
from alliances.permissions import forget_roles
from catalogue import services
from catalogue.models import AssessmentResult
from issuance.models import Credential
from tests.catalogue.factories import open_offering, published_programme
from tests.factories import MANAGER, InstitutionFactory, UserFactory, add_member, grant
from tests.issuance.factories import run_on_commit


@pytest.fixture
def company(alliance):
    organisation = InstitutionFactory(
        legal_name="Dual Werk GmbH",
        short_name="DualWerk",
        slug="dual-werk",
        country="DE",
        kind=OrganisationKind.COMPANY,
    )
    add_member(alliance, organisation)
    return organisation


@pytest.fixture
def mia(company):
    return grant(UserFactory(email="mia@dualwerk.example"), company, InstitutionRole.MENTOR)


@pytest.fixture
def offering(alice, institution_a):
    programme = published_programme(alice, institution_a, participation_form="work_based")
    return open_offering(alice, programme)


def _assign(api_as, actor, offering, mentor, organisation):
    return api_as(actor).post(
        f"/api/v1/manage/offerings/{offering.pk}/mentors/",
        {"mentor": mentor.email, "organisation": organisation.slug},
        format="json",
    )


def _result(api_as, mentor, offering, enrolment):
    return api_as(mentor).post(
        f"/api/v1/mentor/offerings/{offering.pk}/results/",
        {
            "enrolment": enrolment.pk,
            "outcome": "passed",
            "grade": "8",
            "assessed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
        format="json",
    )


def test_a_mentor_assesses_the_offering_they_are_assigned_to(
    api_as, alice, mia, company, offering, dana
):
    assert offering.version.participation_form == "work_based"
    enrolment = services.enrol(learner=dana, offering=offering)
    assert _result(api_as, mia, offering, enrolment).status_code == 404
    assert _assign(api_as, alice, offering, mia, company).status_code == 201
    assert [row["code"] for row in api_as(mia).get("/api/v1/mentor/offerings/").json()] == [
        offering.code
    ]
    with run_on_commit():
        response = _result(api_as, mia, offering, enrolment)
    assert response.status_code == 201, response.content
    assert AssessmentResult.objects.get().recorded_by == mia


def test_a_mentor_is_refused_elsewhere(api_as, alice, mia, company, offering, dana, eve):
    _assign(api_as, alice, offering, mia, company)
    other = open_offering(alice, offering.programme, code="cohort-2")
    enrolment = services.enrol(learner=eve, offering=other)
    assert _result(api_as, mia, other, enrolment).status_code == 404
    # Nor through the staff pages' API.
    assert api_as(mia).get(f"/api/v1/manage/offerings/{offering.pk}/results/").status_code == 404
    # A mentor who lost the role assesses nothing any more.
    mia.institution_roles.all().delete()
    forget_roles(mia)  # each request loads the roles afresh; this test reuses the object
    enrolment = services.enrol(learner=dana, offering=offering)
    assert _result(api_as, mia, offering, enrolment).status_code == 404


def test_only_the_delivering_staff_assign_mentors_of_companies_of_the_alliance(
    api_as, alice, charlie, bob, mia, company, institution_b, offering
):
    assert _assign(api_as, charlie, offering, mia, company).status_code == 404
    not_a_mentor = UserFactory()
    assert _assign(api_as, alice, offering, not_a_mentor, company).status_code == 400
    # A university is not where mentors come from.
    university_mentor = grant(UserFactory(), institution_b, InstitutionRole.MENTOR)
    assert _assign(api_as, alice, offering, university_mentor, institution_b).status_code == 400


def test_the_company_endorses_the_credential_with_its_own_key(alice, institution_a, company, dana):
    company_manager = grant(UserFactory(), company, MANAGER)
    programme = published_programme(
        alice, institution_a, partners=[company], approvers=[company_manager], slug="dual"
    )
    offering = open_offering(alice, programme)
    enrolment = services.enrol(learner=dana, offering=offering)
    with run_on_commit():
        services.record_result(
            actor=alice,
            enrolment=enrolment,
            outcome="passed",
            grade="8",
            assessed_on=timezone.localdate() - timedelta(days=1),
            identity_verified=True,
        )
    credential = Credential.objects.get(learner=dana)
    document = json.loads(credential.document_json)
    issuer_methods = [proof["verificationMethod"] for proof in document["proof"]]
    assert any(":institutions:uni-a#" in method for method in issuer_methods)
    endorsers = [
        proof["verificationMethod"]
        for endorsement in document.get("endorsement", [])
        for proof in (
            endorsement["proof"]
            if isinstance(endorsement["proof"], list)
            else [endorsement["proof"]]
        )
    ]
    assert any(":institutions:dual-werk#" in method for method in endorsers)


def test_challenge_teams_group_enrolled_learners(
    api_as, alice, charlie, company, offering, dana, eve
):
    services.enrol(learner=dana, offering=offering)
    url = f"/api/v1/manage/offerings/{offering.pk}/teams/"
    created = api_as(alice).post(
        url,
        {
            "name": "Team Kelvin",
            "challenge": "Cut the plant's heat losses by 10 %.",
            "provider": company.slug,
            "members": [dana.email],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["members"] == [dana.email]
    assert created.json()["provider"] == "dual-werk"
    refused = api_as(alice).post(
        url, {"name": "Team Two", "challenge": "x", "members": [eve.email]}, format="json"
    )
    assert refused.status_code == 400
    assert api_as(charlie).get(url).status_code == 404
    assert [team["name"] for team in api_as(alice).get(url).json()] == ["Team Kelvin"]


def test_the_mentor_records_a_result_on_their_page(as_user, alice, mia, company, offering, dana):
    from django.urls import reverse

    from catalogue.models import OfferingMentor

    OfferingMentor.objects.create(offering=offering, mentor=mia, organisation=company)
    enrolment = services.enrol(learner=dana, offering=offering)
    client = as_user(mia)
    assert "My learners and their results" in client.get(reverse("dashboard")).content.decode()
    page = client.get(reverse("catalogue:mentor"))
    assert dana.display_name in page.content.decode()
    with run_on_commit():
        client.post(
            reverse("catalogue:mentor_result", kwargs={"pk": enrolment.pk}),
            {
                "outcome": "passed",
                "grade": "7",
                "assessed_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            },
        )
    assert AssessmentResult.objects.get(enrolment=enrolment).grade == "7"


def test_the_mentor_page_refuses_others(as_user, alice, charlie, mia, company, offering, dana):
    from django.urls import reverse

    enrolment = services.enrol(learner=dana, offering=offering)
    # Not assigned: no page, no result.
    assert as_user(mia).get(reverse("catalogue:mentor")).status_code == 404
    response = as_user(mia).post(
        reverse("catalogue:mentor_result", kwargs={"pk": enrolment.pk}),
        {"outcome": "passed", "grade": "7", "assessed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 404
    assert as_user(charlie).get(reverse("catalogue:mentor")).status_code == 404
    assert not AssessmentResult.objects.exists()


def test_staff_assign_mentors_and_form_teams_on_the_offering_page(
    as_user, alice, charlie, mia, company, offering, dana
):
    from django.urls import reverse

    from catalogue.models import ChallengeTeam, OfferingMentor

    enrolment = services.enrol(learner=dana, offering=offering)
    client = as_user(alice)
    page = client.get(reverse("catalogue:offering_manage", kwargs={"pk": offering.pk}))
    assert "Assign the mentor" in page.content.decode()
    client.post(
        reverse("catalogue:offering_mentor_assign", kwargs={"pk": offering.pk}),
        {"mentor": mia.email, "organisation": company.slug},
    )
    client.post(
        reverse("catalogue:offering_team_create", kwargs={"pk": offering.pk}),
        {"name": "Team Kelvin", "challenge": "Cut heat losses.", "members": [enrolment.pk]},
    )
    assert OfferingMentor.objects.get().mentor == mia
    assert [e.learner for e in ChallengeTeam.objects.get().members.all()] == [dana]
    refused = as_user(charlie).post(
        reverse("catalogue:offering_team_create", kwargs={"pk": offering.pk}),
        {"name": "Other", "challenge": "x", "members": [enrolment.pk]},
    )
    assert refused.status_code == 404
