"""Fields the API must never let a caller set: who owns an object, its workflow state, who
decided. Each is sent as a hostile extra and the stored value is compared afterwards; and
staff of one institution cannot create objects for another by naming it in the body."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalogue.models import Offering, Programme
from recognition.models import Decision, RecognitionRequest, RecognitionTarget, RequestStatus
from tests.recognition.factories import signed_credential

pytestmark = pytest.mark.django_db
API = "/api/v1"


def test_ownership_and_state_cannot_be_written(world, api_as):
    users = world.users
    bob, alice, carol = users["owner_officer"], users["owner_staff"], users["other_officer"]
    other = world.other_institution

    api_as(bob).patch(
        f"{API}/recognition/targets/{world.target.pk}/",
        {"institution": other.slug, "id": 999_999, "title": "Renamed"},
        format="json",
    )
    target = RecognitionTarget.objects.get(pk=world.target.pk)
    assert (target.institution_id, target.title) == (world.institution.pk, "Renamed")

    programme_before = Programme.objects.values("status", "coordinator_id", "alliance_id").get(
        pk=world.programme.pk
    )
    api_as(alice).patch(
        f"{API}/manage/programmes/{world.programme.pk}/",
        {"status": "draft", "coordinator": other.pk, "alliance": 999, "published_version": None},
        format="json",
    )
    assert (
        Programme.objects.values("status", "coordinator_id", "alliance_id").get(
            pk=world.programme.pk
        )
        == programme_before
    )

    api_as(alice).patch(
        f"{API}/manage/offerings/{world.offering.pk}/",
        {"programme": 999, "version": 999, "capacity": 12},
        format="json",
    )
    offering = Offering.objects.get(pk=world.offering.pk)
    assert (offering.programme_id, offering.version_id, offering.capacity) == (
        world.programme.pk,
        world.offering.version_id,
        12,
    )

    response = api_as(bob).post(
        f"{API}/recognition/requests/{world.open_request.pk}/decision/",
        {
            "outcome": "full",
            "credits_granted": "5",
            "decided_by": carol.pk,
            "automatic": True,
            "status": "withdrawn",
        },
        format="json",
    )
    assert response.status_code in (200, 201), response.content
    decision = Decision.objects.get(request=world.open_request)
    assert (decision.decided_by_id, decision.automatic) == (bob.pk, False)
    # full recognition is final at once; the body's "withdrawn" was ignored
    assert RecognitionRequest.objects.get(pk=world.open_request.pk).status == RequestStatus.CLOSED


def test_a_new_request_starts_submitted_whatever_the_body_says(world, api_as):
    dana = world.users["learner"]
    response = api_as(dana).post(
        f"{API}/recognition/requests/",
        {
            "institution": world.institution.slug,
            "target": world.target.pk,
            "motivation": "Hostile extras.",
            "credentials": [signed_credential()],
            "status": "decided",
            "assigned_to": world.users["owner_officer"].pk,
            "learner": world.users["other_learner"].pk,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = RecognitionRequest.objects.get(pk=response.json()["id"])
    assert created.learner_id == dana.pk
    assert created.assigned_to_id is None
    assert created.status != RequestStatus.DECIDED


def test_staff_cannot_create_for_another_institution(world, api_as):
    charlie, carol = world.users["other_staff"], world.users["other_officer"]
    a = world.institution.slug
    targets_before = RecognitionTarget.objects.count()
    programmes_before = Programme.objects.count()
    invitations_before = world.institution.invitations.count()

    target = api_as(carol).post(
        f"{API}/recognition/targets/",
        {"institution": a, "code": "X1", "title": "X", "ects": "3", "eqf_level": 6},
        format="json",
    )
    invitation = api_as(charlie).post(
        f"{API}/institutions/{a}/invitations/",
        {"email": "mole@b.example", "role": "institution_admin"},
        format="json",
    )
    agreement = api_as(carol).post(
        f"{API}/recognition/agreements/",
        {"target": world.target.pk, "programme": world.programme.slug, "ects": str(Decimal(5))},
        format="json",
    )
    for response in (target, invitation, agreement):
        assert 400 <= response.status_code < 500, response.content
    assert RecognitionTarget.objects.count() == targets_before
    assert Programme.objects.count() == programmes_before
    assert world.institution.invitations.count() == invitations_before


def test_a_nul_character_is_a_client_error_not_a_server_error(world, api_as, as_user):
    """PostgreSQL refuses NUL in text: a lookup with one must not become a 500."""
    olga = world.users["alliance_admin"]
    response = api_as(olga).post(
        f"{API}/institutions/",
        {"legal_name": "X", "slug": "x-uni", "country": "NZ", "alliance": "\x00a"},
        format="json",
    )
    assert response.status_code == 400
    page = as_user(world.users["learner"]).get("/catalogue/", {"q": "data\x00", "skill": "\x00"})
    assert page.status_code in (200, 400)
