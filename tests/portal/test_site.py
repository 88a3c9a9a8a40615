from __future__ import annotations

import pytest
from django.urls import reverse

from portal.audit import record_event
from portal.models import AuditEvent


def test_audit_events_are_append_only(alice):
    event = record_event(actor=alice, action="test.happened", data={"x": 1})
    event.action = "test.rewritten"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert AuditEvent.objects.get().action == "test.happened"


def test_audit_admin_is_read_only(oscar, as_user):
    event = record_event(actor=oscar, action="test.happened")
    client = as_user(oscar)
    assert client.get(reverse("admin:portal_auditevent_changelist")).status_code == 200
    response = client.post(
        reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_language_switch_changes_the_interface(client, db):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


def test_pages_carry_a_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_institution_admin_reaches_admin_site_scoped(as_user, alice, institution_a, institution_b):
    client = as_user(alice)
    response = client.get(reverse("admin:alliances_institution_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Universitat A" in body
    assert "Universität B" not in body
    assert client.get(
        reverse("admin:alliances_institution_change", args=[institution_b.pk])
    ).status_code in {302, 403, 404}


def test_learner_cannot_open_admin(as_user, dana):
    response = as_user(dana).get(reverse("admin:index"))
    assert response.status_code == 302


def test_admin_sign_in_goes_through_the_portal_sign_in(client, db):
    response = client.get(reverse("admin:login"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_sign_in_and_failed_sign_in_are_audited(dana, client):
    from tests.factories import TEST_PASSWORD

    client.post(reverse("account_login"), {"login": dana.email, "password": "wrong"})
    client.post(reverse("account_login"), {"login": dana.email, "password": TEST_PASSWORD})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["auth.login_failed", "auth.login"]
    assert AuditEvent.objects.get(action="auth.login_failed").data == {"login": dana.email}


def test_refused_access_to_another_institution_is_audited(as_user, charlie, institution_a):
    as_user(charlie).get(reverse("alliances:staff_list", args=["uni-a"]))
    event = AuditEvent.objects.get(action="authorization.refused")
    assert event.actor == charlie
    assert event.data == {"rule": "can_manage_staff"}


@pytest.mark.django_db(transaction=True)
def test_database_refuses_to_rewrite_audit_rows_on_postgresql(dana):
    from django.db import connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL")
    from django.db import DatabaseError

    event = record_event(actor=dana, action="test.happened")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    # Deleting the person pseudonymises their events and keeps them.
    dana.delete()
    event.refresh_from_db()
    assert (event.actor_id, event.action) == (None, "test.happened")


def test_operators_look_up_programmes_in_the_admin_but_cannot_change_them(
    as_user, oscar, alice, institution_a
):
    from tests.catalogue.factories import published_programme

    programme = published_programme(alice, institution_a, slug="looked-up")
    operator = as_user(oscar)
    listing = operator.get(reverse("admin:catalogue_programme_changelist"))
    assert listing.status_code == 200
    assert "looked-up" in listing.content.decode()
    response = operator.post(
        reverse("admin:catalogue_programme_delete", args=[programme.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert operator.get(reverse("admin:catalogue_programme_add")).status_code == 403
    # Institution staff edit programmes through the portal's pages, not the admin.
    assert as_user(alice).get(reverse("admin:catalogue_programme_changelist")).status_code in {
        302,
        403,
    }


def test_programmes_are_in_the_navigation_only_for_those_who_manage_them(as_user, alice, bob, dana):
    programmes = reverse("catalogue:staff_programmes")
    assert programmes in as_user(alice).get(reverse("dashboard")).content.decode()
    # A recognition officer is staff too, but has no programme to manage.
    assert programmes not in as_user(bob).get(reverse("dashboard")).content.decode()
    assert programmes not in as_user(dana).get(reverse("dashboard")).content.decode()


def test_the_api_token_help_shows_its_placeholder_as_text(as_user, dana):
    page = as_user(dana).get(reverse("profile")).content.decode()
    assert "Authorization: Token &lt;value&gt;." in page
