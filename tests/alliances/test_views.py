from __future__ import annotations

import pytest
from django.urls import reverse

from alliances import services
from alliances.models import StaffInvitation, StaffRole


@pytest.mark.parametrize(
    ("url_name", "args"),
    [
        ("home", []),
        ("alliances:alliance_list", []),
        ("alliances:alliance_detail", ["test-alliance"]),
        ("alliances:institution_list", []),
        ("alliances:institution_detail", ["uni-a"]),
    ],
)
def test_public_pages_open_for_anonymous_visitors(client, institution_a, url_name, args):
    response = client.get(reverse(url_name, args=args))
    assert response.status_code == 200
    assert b"<main" in response.content


def test_institution_page_shows_quality_assurance(client, institution_a):
    institution_a.qa_accrediting_body = "AQU Catalunya"
    institution_a.save()
    response = client.get(reverse("alliances:institution_detail", args=["uni-a"]))
    assert "AQU Catalunya" in response.content.decode()
    assert "Test Alliance" in response.content.decode()


def test_alliance_page_lists_current_members_only(
    client, institution_a, institution_b, institution_c
):
    from alliances.models import Membership

    Membership.objects.filter(institution=institution_b).update(left_on="2021-01-01")
    body = client.get(reverse("alliances:alliance_detail", args=["test-alliance"])).content.decode()
    assert "Universitat A" in body
    assert "Universität B" not in body
    assert "Université C" not in body


def test_institution_list_search_keeps_query_and_counts(client, institution_a, institution_b):
    body = client.get(reverse("alliances:institution_list"), {"q": "Universitat"}).content.decode()
    assert "1 institution" in body
    assert "Universitat A" in body
    assert "Universität B" not in body


def test_institution_list_runs_a_fixed_number_of_queries(
    client, alliance, django_assert_max_num_queries
):
    from tests.factories import InstitutionFactory, add_member

    for _ in range(12):
        add_member(alliance, InstitutionFactory())
    with django_assert_max_num_queries(6):
        assert client.get(reverse("alliances:institution_list")).status_code == 200


STAFF_PAGES = [
    ("get", "alliances:institution_edit", lambda ctx: ["uni-a"]),
    ("get", "alliances:staff_list", lambda ctx: ["uni-a"]),
    ("post", "alliances:staff_list", lambda ctx: ["uni-a"]),
    ("post", "alliances:staff_remove", lambda ctx: ["uni-a", ctx["bob_role"].pk]),
    ("post", "alliances:invitation_revoke", lambda ctx: ["uni-a", ctx["invitation"].pk]),
]


@pytest.fixture
def staff_context(alice, bob, institution_a):
    return {
        "bob_role": StaffRole.objects.get(user=bob),
        "invitation": services.invite_staff(
            actor=alice,
            institution=institution_a,
            email="pending@example.org",
            role="programme_manager",
        ),
    }


@pytest.mark.parametrize(("method", "url_name", "args"), STAFF_PAGES)
@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana", "eve"])
def test_outsiders_get_404_on_staff_pages_of_a(
    request, as_user, staff_context, method, url_name, args, outsider
):
    user = request.getfixturevalue(outsider)
    response = getattr(as_user(user), method)(
        reverse(url_name, args=args(staff_context)),
        {"email": "x@example.org", "role": "programme_manager"},
    )
    assert response.status_code == 404
    assert StaffRole.objects.filter(pk=staff_context["bob_role"].pk).exists()
    assert StaffInvitation.objects.filter(revoked_at__isnull=True).count() == 1


@pytest.mark.parametrize(("method", "url_name", "args"), STAFF_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(client, staff_context, method, url_name, args):
    response = getattr(client, method)(reverse(url_name, args=args(staff_context)))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_alice_invites_through_the_staff_page(as_user, alice, institution_a):
    client = as_user(alice)
    response = client.post(
        reverse("alliances:staff_list", args=["uni-a"]),
        {"email": "new@example.org", "role": "recognition_officer"},
    )
    assert response.status_code == 302
    assert StaffInvitation.objects.get().email == "new@example.org"
    page = client.get(reverse("alliances:staff_list", args=["uni-a"])).content.decode()
    assert "new@example.org" in page


def test_invite_form_shows_errors_and_stores_nothing(as_user, alice, institution_a):
    response = as_user(alice).post(
        reverse("alliances:staff_list", args=["uni-a"]), {"email": "not-an-email", "role": "king"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address" in body
    assert "Select a valid choice" in body
    assert not StaffInvitation.objects.exists()


def test_alliance_admin_manages_staff_of_member_institutions(as_user, olga, institution_a):
    assert as_user(olga).get(reverse("alliances:staff_list", args=["uni-a"])).status_code == 200


def test_accepting_an_invitation_through_the_page(as_user, alice, institution_a):
    from tests.factories import UserFactory

    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="joiner@example.org", role="programme_manager"
    )
    joiner = UserFactory(email="joiner@example.org")
    client = as_user(joiner)
    url = reverse("alliances:accept_invitation", args=[invitation.token])
    assert "Universitat A" in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302
    assert StaffRole.objects.filter(
        user=joiner, institution=institution_a, role="programme_manager"
    ).exists()


def test_accepting_with_the_wrong_account_shows_why(as_user, alice, institution_a, eve):
    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="joiner@example.org", role="programme_manager"
    )
    response = as_user(eve).post(reverse("alliances:accept_invitation", args=[invitation.token]))
    assert response.status_code == 400
    assert "another e-mail address" in response.content.decode()
    assert not StaffRole.objects.filter(user=eve).exists()


def test_anonymous_invitee_is_sent_to_sign_in_and_back(client, alice, institution_a):
    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="joiner@example.org", role="programme_manager"
    )
    url = reverse("alliances:accept_invitation", args=[invitation.token])
    response = client.get(url)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_removing_the_last_admin_shows_a_message(as_user, alice, institution_a):
    role = StaffRole.objects.get(user=alice, role="institution_admin")
    response = as_user(alice).post(
        reverse("alliances:staff_remove", args=["uni-a", role.pk]), follow=True
    )
    assert "at least one admin" in response.content.decode()
    assert StaffRole.objects.filter(pk=role.pk).exists()


def test_edit_institution_through_the_form(as_user, alice, institution_a):
    response = as_user(alice).post(
        reverse("alliances:institution_edit", args=["uni-a"]),
        {
            "legal_name": "Universitat A",
            "short_name": "UA",
            "country": "ES",
            "city": "Girona",
            "kind": "university",
            "main_language": "ca",
            "time_zone": "Europe/Madrid",
            "qa_accrediting_body": "AQU Catalunya",
        },
    )
    assert response.status_code == 302
    institution_a.refresh_from_db()
    assert (institution_a.city, institution_a.main_language) == ("Girona", "ca")
    assert institution_a.time_zone == "Europe/Madrid"


def test_dashboard_shows_the_users_institutions_and_roles(as_user, alice, institution_a):
    body = as_user(alice).get(reverse("dashboard")).content.decode()
    assert "Universitat A" in body
    assert "Institution admin" in body
    assert reverse("alliances:staff_list", args=["uni-a"]) in body


def test_learner_dashboard_has_no_staff_links(as_user, dana, institution_a):
    body = as_user(dana).get(reverse("dashboard")).content.decode()
    assert "/staff/" not in body
