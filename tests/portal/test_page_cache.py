"""Public pages from the shared cache: conditional GET, invalidation on every change a page
shows, CSRF tokens of their own, and nobody's page served to somebody else."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances import services as alliance_services
from catalogue import services as catalogue_services
from issuance import services as issuance_services
from tests.catalogue.factories import open_offering, published_programme
from tests.issuance.factories import as_issued_with_two_status_entries
from wallet import sharing

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(alice, institution_a):
    programme = published_programme(alice, institution_a)
    open_offering(alice, programme, capacity=3)
    return programme


def _programme_url(programme) -> str:
    return reverse("catalogue:programme_detail", kwargs={"slug": programme.slug})


def test_a_cached_page_is_served_without_the_view_and_confirmed_with_304(programme):
    url = reverse("catalogue:catalogue")
    first = Client().get(url)
    assert first.status_code == 200
    assert first["Cache-Control"] == "private, no-cache"
    with CaptureQueriesContext(connection) as queries:
        second = Client().get(url)
    assert second.status_code == 200
    assert len(queries) == 0  # the content epochs come from the cache as well
    assert programme.published_version.title_en in second.content.decode()

    browser = Client()
    browser.get(url)  # the first visit sets the CSRF cookie the page's forms carry
    page = browser.get(url)
    revalidated = browser.get(url, HTTP_IF_NONE_MATCH=page["ETag"])
    assert revalidated.status_code == 304
    assert revalidated.content == b""


def test_publishing_a_change_shows_at_once(alice, institution_a, programme):
    url = reverse("catalogue:catalogue")
    browser = Client()
    browser.get(url)
    before = browser.get(url)
    alliance_services.update_institution(
        actor=alice, institution=institution_a, data={"short_name": "UA-Renamed"}
    )
    after = browser.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]


def test_an_enrolment_updates_the_places_left_on_the_programme_page(programme, dana):
    url = _programme_url(programme)
    assert "3 / 3" in Client().get(url).content.decode()
    catalogue_services.enrol(learner=dana, offering=programme.offerings.get())
    assert "2 / 3" in Client().get(url).content.decode()


def test_a_cached_page_carries_the_visitors_own_csrf_token(programme):
    url = reverse("catalogue:catalogue")
    Client().get(url)  # rendered and stored for someone else
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(url).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    switched = visitor.post(
        reverse("set_language"), {"language": "de", "next": url, "csrfmiddlewaretoken": token}
    )
    assert switched.status_code == 302  # not 403: the token matches this visitor's cookie


def test_the_language_is_part_of_the_page(programme):
    english = Client().get(reverse("catalogue:catalogue"), HTTP_ACCEPT_LANGUAGE="en")
    german = Client().get(reverse("catalogue:catalogue"), HTTP_ACCEPT_LANGUAGE="de")
    assert english["Content-Language"] == "en"
    assert german["Content-Language"] == "de"
    assert english.content != german.content


def test_a_page_with_a_message_is_rendered_for_that_request_alone(programme):
    url = reverse("catalogue:catalogue")
    Client().get(url)  # the page is in the cache
    storage = CookieStorage(HttpRequest())
    storage.add(constants.INFO, "Only for this visitor")
    carrier = HttpResponse()
    storage.update(carrier)
    visitor = Client()
    visitor.cookies["messages"] = carrier.cookies["messages"].value
    assert "Only for this visitor" in visitor.get(url).content.decode()
    assert "Only for this visitor" not in Client().get(url).content.decode()


def test_a_signed_in_visitor_gets_their_own_programme_page(programme, dana, as_user):
    url = _programme_url(programme)
    Client().get(url)
    catalogue_services.enrol(learner=dana, offering=programme.offerings.get())
    mine = as_user(dana).get(url).content.decode()
    assert "Dana Learner" in mine  # the header of a signed-in page, never the anonymous copy


def test_the_stored_credential_page_shows_a_revocation_at_once(alice, dana_credential):
    url = reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    browser = Client()
    browser.get(url)
    before = browser.get(url)
    assert "Valid credential" in before.content.decode()
    issuance_services.revoke_credential(
        actor=alice, credential=dana_credential, reason="Issued by mistake"
    )
    after = browser.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert "Valid credential" not in after.content.decode()
    assert "revoked" in after.content.decode().lower()


def test_a_stored_credential_is_verified_once_until_something_changes(
    alice, dana, dana_credential, as_user
):
    as_issued_with_two_status_entries(dana_credential)
    url = reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    link = sharing.create_share_link(learner=dana, name="Employer", credentials=[dana_credential])
    shared = reverse("wallet:shared", kwargs={"token": link.token})
    with mock.patch(
        "verification.stored.verify_credential_document",
        wraps=__import__("verification.stored").stored.verify_credential_document,
    ) as verified:
        Client().get(url)
        Client().get(shared)
        as_user(dana).get(url)  # signed in: the page is rendered, the report is reused
        assert verified.call_count == 1
        issuance_services.suspend_credential(
            actor=alice, credential=dana_credential, reason="Under review"
        )
        assert "suspended" in Client().get(shared).content.decode().lower()
        assert verified.call_count == 2


def test_a_wallet_page_is_never_served_to_someone_else(dana, eve, dana_credential, as_user):
    dana_page = as_user(dana).get(reverse("wallet:wallet"))
    assert dana_credential.title in dana_page.content.decode()
    eve_page = as_user(eve).get(reverse("wallet:wallet"))
    assert dana_credential.title not in eve_page.content.decode()
    assert eve_page["ETag"] != dana_page["ETag"]


def test_the_wallet_shows_a_new_share_link_and_its_revocation_at_once(
    dana, dana_credential, as_user
):
    browser = as_user(dana)
    browser.get(reverse("wallet:wallet"))
    link = sharing.create_share_link(learner=dana, name="For Acme", credentials=[dana_credential])
    assert "For Acme" in browser.get(reverse("wallet:wallet")).content.decode()
    sharing.revoke_share_link(learner=dana, link=link)
    page = browser.get(reverse("wallet:wallet")).content.decode()
    assert "Revoke</button>" not in page.split("For Acme", 1)[1].split("</tr>", 1)[0]


def test_documents_carry_a_lifetime_a_cdn_may_honour(client, dana_credential, institution_a):
    did = client.get(reverse("issuance:did_document", kwargs={"slug": institution_a.slug}))
    assert did["Cache-Control"] == "public, max-age=300"
    again = client.get(
        reverse("issuance:did_document", kwargs={"slug": institution_a.slug}),
        HTTP_IF_NONE_MATCH=did["ETag"],
    )
    assert again.status_code == 304
    status_url = dana_credential.document["credentialStatus"]
    entry = status_url[0] if isinstance(status_url, list) else status_url
    path = entry["statusListCredential"].split("portal.test", 1)[1]
    status = client.get(path)
    assert status.status_code == 200
    assert status["Cache-Control"] == "public, max-age=60"


def test_a_new_agreement_shows_on_the_cached_programme_page(alice, institution_a, programme):
    from decimal import Decimal

    from recognition import services as recognition_services
    from tests.recognition.factories import policy, target

    url = _programme_url(programme)
    policy(alice, institution_a)
    course = target(alice, institution_a, code="PROMISED-1", title="Promised course")
    assert "Promised course" not in Client().get(url).content.decode()
    recognition_services.create_agreement(
        actor=alice, target=course, programme=programme, ects=Decimal("5")
    )
    assert "Promised course" in Client().get(url).content.decode()
