"""Share links: named, optionally expiring, revocable, counted; bundles; never the e-mail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from issuance import services
from portal.errors import DomainError
from portal.models import AuditEvent
from tests.issuance.factories import issue_credential
from verification.verify import verify_presentation_document
from wallet import sharing
from wallet.models import ShareLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(dana, dana_credential):
    return sharing.create_share_link(
        learner=dana, name="Application to Acme", credentials=[dana_credential]
    )


def test_a_shared_credential_opens_verified_without_the_email(client, link):
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Valid credential" in content
    assert "Dana Learner" in content
    assert "dana@learner.example" not in content
    sharing.write_buffered_share_views()  # views counted in Redis, where there is one
    link.refresh_from_db()
    assert link.view_count == 1
    assert AuditEvent.objects.filter(action="share_link.created").exists()


def test_each_view_is_counted(client, link):
    for _ in range(3):
        client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    sharing.write_buffered_share_views()  # views counted in Redis, where there is one
    link.refresh_from_db()
    assert link.view_count == 3
    assert link.last_viewed_at is not None


def test_an_expired_link_shows_it_has_expired(client, dana, dana_credential):
    link = sharing.create_share_link(
        learner=dana,
        name="Short",
        credentials=[dana_credential],
        expires_at=timezone.now() + timedelta(hours=1),
    )
    ShareLink.objects.filter(pk=link.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert "Data literacy" not in response.content.decode()
    presentation = client.get(reverse("wallet:shared_presentation", kwargs={"token": link.token}))
    assert presentation.status_code == 404


def test_a_revoked_link_stops_working_at_once(client, dana, link):
    sharing.revoke_share_link(learner=dana, link=link)
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    assert response.status_code == 410
    assert "revoked" in response.content.decode()
    sharing.write_buffered_share_views()
    link.refresh_from_db()
    assert link.view_count == 0


def test_a_credential_revoked_after_sharing_shows_as_revoked(client, alice, dana_credential, link):
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    assert "Revoked" in response.content.decode()


def test_an_unknown_token_is_404(client):
    assert client.get(reverse("wallet:shared", kwargs={"token": "nope"})).status_code == 404


def test_an_expiry_in_the_past_is_refused(dana, dana_credential):
    with pytest.raises(DomainError, match="future"):
        sharing.create_share_link(
            learner=dana,
            name="Old",
            credentials=[dana_credential],
            expires_at=timezone.now() - timedelta(days=1),
        )


def test_a_link_needs_a_name_and_a_credential(dana, dana_credential):
    with pytest.raises(DomainError, match="name"):
        sharing.create_share_link(learner=dana, name="  ", credentials=[dana_credential])
    with pytest.raises(DomainError, match="at least one"):
        sharing.create_share_link(learner=dana, name="Empty")


def test_eve_cannot_share_danas_credential(eve, dana_credential):
    with pytest.raises(Http404):
        sharing.create_share_link(learner=eve, name="Stolen", credentials=[dana_credential])


def test_eve_cannot_revoke_danas_link(eve, link, as_user):
    with pytest.raises(Http404):
        sharing.revoke_share_link(learner=eve, link=link)
    response = as_user(eve).post(reverse("wallet:share_link_revoke", kwargs={"pk": link.pk}))
    assert response.status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None


def test_a_bundle_is_a_presentation_of_every_credential(
    client, alice, institution_a, dana, dana_credential
):
    second = issue_credential(
        manager=alice, institution=institution_a, learner=dana, slug="second-programme"
    )
    link = sharing.create_share_link(
        learner=dana, name="Both", credentials=[dana_credential, second]
    )
    response = client.get(reverse("wallet:shared_presentation", kwargs={"token": link.token}))
    assert response["Content-Type"] == "application/vp"
    result = verify_presentation_document(response.content)
    assert result.verified
    assert len(result.credentials) == 2
    page = client.get(reverse("wallet:shared", kwargs={"token": link.token})).content.decode()
    assert page.count("Valid credential") == 2


def test_the_learner_creates_and_revokes_links_in_the_wallet(as_user, dana, dana_credential):
    client = as_user(dana)
    response = client.post(
        reverse("wallet:share_link_create"),
        {
            "name": "For Acme",
            "expires_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "credentials": [f"issued:{dana_credential.uuid}"],
        },
        follow=True,
    )
    link = ShareLink.objects.get(learner=dana)
    assert link.name == "For Acme"
    assert link.expires_at is not None
    assert link.token in response.content.decode()
    assert "1 credential<" in response.content.decode()
    client.post(reverse("wallet:share_link_revoke", kwargs={"pk": link.pk}))
    link.refresh_from_db()
    assert link.state() == "revoked"


def test_the_share_form_refuses_another_learners_credential(as_user, eve, dana_credential):
    as_user(eve).post(
        reverse("wallet:share_link_create"),
        {"name": "x", "credentials": [f"issued:{dana_credential.uuid}"]},
    )
    assert not ShareLink.objects.exists()


def test_share_links_over_the_api(api_as, dana, eve, dana_credential):
    client = api_as(dana)
    created = client.post(
        "/api/v1/wallet/share-links/",
        {"name": "API link", "credentials": [str(dana_credential.uuid)]},
        format="json",
    )
    assert created.status_code == 201
    body = created.json()
    assert body["state"] == "active"
    assert body["viewCount"] == 0
    assert client.get("/api/v1/wallet/share-links/").json()[0]["name"] == "API link"
    assert api_as(eve).post(f"/api/v1/wallet/share-links/{body['id']}/revoke/").status_code == 404
    assert api_as(eve).get("/api/v1/wallet/share-links/").json() == []
    stolen = api_as(eve).post(
        "/api/v1/wallet/share-links/",
        {"name": "x", "credentials": [str(dana_credential.uuid)]},
        format="json",
    )
    assert stolen.status_code == 400
    revoked = client.post(f"/api/v1/wallet/share-links/{body['id']}/revoke/")
    assert revoked.json()["state"] == "revoked"


def test_the_share_page_keeps_its_secret_from_other_sites_but_not_from_its_own_forms(client, link):
    """Under "no-referrer" browsers send "Origin: null" with the page's language switch, which
    the CSRF check refuses; "same-origin" still never sends the token to another site."""
    response = client.get(reverse("wallet:shared", kwargs={"token": link.token}))
    assert response["Referrer-Policy"] == "same-origin"
