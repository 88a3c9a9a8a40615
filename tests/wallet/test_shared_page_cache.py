"""Share pages served from the shared cache: the page is not rendered again for every visitor,
every view is still counted, and a change to what it shows is seen by the next visitor."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from issuance import services
from wallet import sharing

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(dana, dana_credential):
    return sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])


def _url(link) -> str:
    return reverse("wallet:shared", kwargs={"token": link.token})


def test_a_share_page_is_served_from_the_cache_and_every_view_counted(link):
    first = Client().get(_url(link))
    assert first.status_code == 200
    with mock.patch.object(sharing, "get_shared_link", wraps=sharing.get_shared_link) as page:
        second = Client().get(_url(link))
    assert second.status_code == 200
    page.assert_not_called()  # the page was not rendered again
    assert "Data literacy for engineers" in second.content.decode()
    sharing.write_buffered_share_views()  # views counted in Redis, where there is one
    link.refresh_from_db()
    assert link.view_count == 2


def test_a_revoked_credential_shows_at_once_on_a_cached_share_page(alice, dana_credential, link):
    assert "Revoked" not in Client().get(_url(link)).content.decode()
    services.revoke_credential(actor=alice, credential=dana_credential, reason="Error")
    assert "Revoked" in Client().get(_url(link)).content.decode()


def test_a_revoked_link_stops_working_at_once_after_being_cached(dana, link):
    assert Client().get(_url(link)).status_code == 200
    sharing.revoke_share_link(learner=dana, link=link)
    assert Client().get(_url(link)).status_code == 410


def test_a_link_that_expires_is_cached_no_longer_than_its_expiry(dana, dana_credential):
    soon = timezone.now() + timezone.timedelta(seconds=1)
    expiring = sharing.create_share_link(
        learner=dana, name="Soon", credentials=[dana_credential], expires_at=soon
    )
    Client().get(_url(expiring))
    expiring.expires_at = timezone.now() - timezone.timedelta(seconds=1)
    sharing.ShareLink.objects.filter(pk=expiring.pk).update(expires_at=expiring.expires_at)
    assert Client().get(_url(expiring)).status_code == 410


def test_the_wallet_shows_new_view_counts(as_user, dana, link):
    wallet = as_user(dana)
    assert "<td>0</td>" in wallet.get(reverse("wallet:wallet")).content.decode()
    Client().get(_url(link))
    sharing.write_buffered_share_views()  # views counted in Redis, where there is one
    assert "<td>1</td>" in wallet.get(reverse("wallet:wallet")).content.decode()


def test_a_signed_in_visitor_gets_a_page_rendered_for_them(as_user, eve, link):
    Client().get(_url(link))  # cached for anonymous visitors
    page = as_user(eve).get(_url(link)).content.decode()
    assert "eve" in page.lower()  # the header of eve's own session
