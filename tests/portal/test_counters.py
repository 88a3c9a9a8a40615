"""View counts kept in Redis and written to the database in batches: nothing is lost between
batches, a batch that failed is written by the next one, and what they count (share-link views,
the offerings' usage figures) reaches the database. Needs Redis (REDIS_URL), as in production."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from issuance import usage
from issuance.models import CredentialUsage
from portal import counters, epochs
from wallet import sharing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def redis_cache(settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs Redis (REDIS_URL)")
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": f"test-{uuid.uuid4().hex[:10]}",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    yield caches["default"]
    caches["default"].delete_pattern("*")  # this test's keys only


def test_counts_added_during_a_failed_batch_are_written_by_the_next():
    counters.add("things", "a")
    counters.add("things", "a", 2)

    def failing_batch() -> None:
        with counters.draining("things") as counts:
            assert counts == {"a": 3}
            counters.add("things", "a")  # counted meanwhile: kept for the next batch
            raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        failing_batch()
    with counters.draining("things") as counts:
        assert counts == {"a": 3}
    with counters.draining("things") as counts:
        assert counts == {"a": 1}
    with counters.draining("things") as counts:
        assert counts == {}


def test_share_views_reach_the_link_the_offering_and_the_wallet(dana, dana_credential):
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    url = reverse("wallet:shared", kwargs={"token": link.token})
    for _ in range(3):
        assert Client().get(url).status_code == 200
    link.refresh_from_db()
    assert link.view_count == 0  # not written yet
    wallet_before = epochs.read([epochs.share_views(dana.pk)])

    assert sharing.write_buffered_share_views() == 1

    link.refresh_from_db()
    assert link.view_count == 3
    assert link.last_viewed_at is not None
    viewed = CredentialUsage.objects.get(offering=dana_credential.result.offering, event="viewed")
    assert viewed.count == 3
    assert epochs.read([epochs.share_views(dana.pk)]) != wallet_before
    assert sharing.write_buffered_share_views() == 0


def test_verifications_of_a_stored_credential_reach_the_offerings_figures(dana_credential):
    url = reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid})
    Client().get(url)
    Client().get(url)
    assert not CredentialUsage.objects.filter(event="verified").exists()
    assert usage.write_buffered_usage() == 1
    verified = CredentialUsage.objects.get(
        offering=dana_credential.result.offering, event="verified"
    )
    assert verified.count == 2


def test_cached_share_and_check_pages_are_served_without_a_database_query(
    redis_cache, dana, dana_credential
):
    link = sharing.create_share_link(learner=dana, name="Acme", credentials=[dana_credential])
    redis_cache.delete_pattern("epoch:*")  # as if the changes above settled a while ago
    pages = [
        reverse("wallet:shared", kwargs={"token": link.token}),
        reverse("verification:verify_stored_credential", kwargs={"uuid": dana_credential.uuid}),
    ]
    for url in pages:
        Client().get(url)
    for url in pages:
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        assert [query["sql"] for query in queries] == []
    assert sharing.write_buffered_share_views() == 1
    link.refresh_from_db()
    assert link.view_count == 2
