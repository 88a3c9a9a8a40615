from __future__ import annotations

import pytest

from alliances.models import Institution, StaffInvitation, StaffRole


def test_anyone_lists_alliances_with_pagination(api_as, institution_a, institution_b):
    response = api_as(None).get("/api/v1/alliances/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0] == {
        "slug": "test-alliance",
        "name": "Test Alliance",
        "description": "A test alliance.",
        "website": "",
        "founded_year": 2020,
        "member_count": 2,
    }


def test_alliance_detail_lists_members(api_as, institution_a, institution_b):
    body = api_as(None).get("/api/v1/alliances/test-alliance/").json()
    assert {m["institution"] for m in body["members"]} == {"uni-a", "uni-b"}


def test_institutions_filter_by_country_and_alliance(
    api_as, institution_a, institution_b, institution_c
):
    client = api_as(None)
    assert [
        i["slug"] for i in client.get("/api/v1/institutions/?country=DE").json()["results"]
    ] == ["uni-b"]
    slugs = {
        i["slug"]
        for i in client.get("/api/v1/institutions/?alliance=other-alliance").json()["results"]
    }
    assert slugs == {"uni-c"}
    found = client.get("/api/v1/institutions/?search=Universit%C3%A9").json()["results"]
    assert [i["slug"] for i in found] == ["uni-c"]


def test_institution_detail_has_quality_assurance(api_as, institution_a):
    body = api_as(None).get("/api/v1/institutions/uni-a/").json()
    assert set(body["quality_assurance"]) == {"accrediting_body", "procedures", "reports_url"}
    assert body["memberships"][0]["alliance"] == "test-alliance"


def test_alice_updates_her_institution(api_as, alice, institution_a):
    response = api_as(alice).patch(
        "/api/v1/institutions/uni-a/", {"city": "Sabadell"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["city"] == "Sabadell"


@pytest.mark.parametrize("outsider", ["bob", "charlie", "dana"])
def test_outsiders_cannot_update_a_and_get_404(request, api_as, institution_a, outsider):
    response = api_as(request.getfixturevalue(outsider)).patch(
        "/api/v1/institutions/uni-a/", {"city": "Elsewhere"}, format="json"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    institution_a.refresh_from_db()
    assert institution_a.city == "Barcelona"


def test_anonymous_write_is_401_problem(api_as, institution_a):
    response = api_as(None).patch("/api/v1/institutions/uni-a/", {"city": "X"}, format="json")
    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_institution_cannot_be_renamed_to_a_slug_through_the_api(api_as, alice, institution_a):
    response = api_as(alice).patch(
        "/api/v1/institutions/uni-a/", {"slug": "hijacked", "city": "Sabadell"}, format="json"
    )
    assert response.status_code == 200
    assert Institution.objects.filter(slug="uni-a").exists()


def test_invalid_country_is_a_problem_with_field_errors(api_as, alice, institution_a):
    response = api_as(alice).patch("/api/v1/institutions/uni-a/", {"country": "XX"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "country" in body["errors"]


def test_operator_creates_alliance_and_others_cannot(api_as, oscar, alice):
    payload = {"name": "Una Europa", "slug": "una-europa", "founded_year": 2019}
    assert api_as(alice).post("/api/v1/alliances/", payload, format="json").status_code == 403
    response = api_as(oscar).post("/api/v1/alliances/", payload, format="json")
    assert response.status_code == 201
    assert response.json()["slug"] == "una-europa"


def test_alliance_admin_registers_member(api_as, olga):
    response = api_as(olga).post(
        "/api/v1/institutions/",
        {
            "alliance": "test-alliance",
            "legal_name": "Tallinn University",
            "slug": "tlu",
            "country": "EE",
            "city": "Tallinn",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["memberships"][0]["role"] == "partner"


def test_staff_endpoints_are_for_admins_only(api_as, alice, bob, charlie, olga, institution_a):
    assert api_as(alice).get("/api/v1/institutions/uni-a/staff/").status_code == 200
    assert api_as(olga).get("/api/v1/institutions/uni-a/staff/").status_code == 200
    for outsider in (bob, charlie):
        response = api_as(outsider).get("/api/v1/institutions/uni-a/staff/")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"


def test_invite_and_withdraw_through_the_api(api_as, alice, institution_a):
    client = api_as(alice)
    response = client.post(
        "/api/v1/institutions/uni-a/invitations/",
        {"email": "x@example.org", "role": "programme_manager"},
        format="json",
    )
    assert response.status_code == 201
    invitation_id = response.json()["id"]
    again = client.post(
        "/api/v1/institutions/uni-a/invitations/",
        {"email": "x@example.org", "role": "programme_manager"},
        format="json",
    )
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert (
        client.delete(f"/api/v1/institutions/uni-a/invitations/{invitation_id}/").status_code == 204
    )
    assert StaffInvitation.objects.get().revoked_at is not None


def test_charlie_cannot_remove_staff_of_a(api_as, charlie, bob):
    role = StaffRole.objects.get(user=bob)
    assert api_as(charlie).delete(f"/api/v1/institutions/uni-a/staff/{role.pk}/").status_code == 404
    assert StaffRole.objects.filter(pk=role.pk).exists()


def test_me_lists_roles(api_as, alice):
    body = api_as(alice).get("/api/v1/me/").json()
    assert body["institutions"] == [
        {"institution": "uni-a", "roles": ["institution_admin", "programme_manager"]}
    ]
    assert body["mfa_enabled"] is False
