"""Signed-in pages run the same number of queries whatever the amount of data they list: each
test renders a page, adds more of what it lists, and renders it again (an N+1 fails here)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.catalogue.factories import open_offering, published_programme
from tests.factories import MANAGER, OFFICER, grant
from tests.issuance.factories import issue_credential
from tests.recognition.factories import policy, submit, target
from wallet import sharing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rendered_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _queries(client, url: str) -> list[str]:
    client.get(url)  # caches warmed (filter choices, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def _assert_same_count(before: list[str], after: list[str]) -> None:
    assert len(after) == len(before), "\n".join(after)


def test_the_wallet(as_user, alice, institution_a, dana, dana_credential):
    client = as_user(dana)
    sharing.create_share_link(learner=dana, name="One", credentials=[dana_credential])
    before = _queries(client, reverse("wallet:wallet"))
    for number in range(3):
        credential = issue_credential(
            manager=alice, institution=institution_a, learner=dana, slug=f"more-{number}"
        )
        sharing.create_share_link(learner=dana, name=f"Link {number}", credentials=[credential])
    _assert_same_count(before, _queries(client, reverse("wallet:wallet")))


def test_the_dashboard(as_user, alice, institution_a, institution_b, charlie):
    client = as_user(alice)
    before = _queries(client, reverse("dashboard"))
    grant(alice, institution_b, OFFICER, MANAGER)
    _assert_same_count(before, _queries(client, reverse("dashboard")))


def test_the_staff_credential_list(as_user, alice, institution_a, dana, eve, dana_credential):
    client = as_user(alice)
    before = _queries(client, reverse("issuance:staff_credentials"))
    for number in range(3):
        issue_credential(
            manager=alice, institution=institution_a, learner=eve, slug=f"more-{number}"
        )
    _assert_same_count(before, _queries(client, reverse("issuance:staff_credentials")))


def test_the_staff_programme_list(as_user, alice, institution_a):
    client = as_user(alice)
    open_offering(alice, published_programme(alice, institution_a, slug="first"))
    before = _queries(client, reverse("catalogue:staff_programmes"))
    for number in range(3):
        programme = published_programme(alice, institution_a, slug=f"more-{number}")
        open_offering(alice, programme, code=f"o-{number}")
    _assert_same_count(before, _queries(client, reverse("catalogue:staff_programmes")))


def test_the_officer_queue(as_user, alice, bob, institution_a, dana, eve):
    client = as_user(bob)
    policy(alice, institution_a)
    course = target(alice, institution_a)
    submit(dana, institution_a, course)
    before = _queries(client, reverse("recognition:queue"))
    submit(eve, institution_a, course)
    submit(eve, institution_a, None)
    _assert_same_count(before, _queries(client, reverse("recognition:queue")))
