"""Content epochs read from the shared cache: a change is seen by the next reader, in this
process or any other, and a reader racing a change cannot cache the value it replaced."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from portal import epochs

pytestmark = pytest.mark.django_db


def test_epochs_are_read_from_the_cache_after_the_first_reader():
    epochs.bump(epochs.CATALOGUE)
    with CaptureQueriesContext(connection) as first:
        assert epochs.read([epochs.CATALOGUE, epochs.ISSUERS]) == {
            epochs.CATALOGUE: 1,
            epochs.ISSUERS: 0,
        }
    with CaptureQueriesContext(connection) as second:
        assert epochs.read([epochs.ISSUERS, epochs.CATALOGUE]) == {
            epochs.ISSUERS: 0,
            epochs.CATALOGUE: 1,
        }
    assert len(first) == 1
    assert len(second) == 0


def test_a_bump_is_seen_by_the_next_reader():
    epochs.read([epochs.CATALOGUE])
    epochs.bump(epochs.CATALOGUE)
    assert epochs.read([epochs.CATALOGUE]) == {epochs.CATALOGUE: 1}
    epochs.bump(epochs.CATALOGUE, epochs.holder(7))
    assert epochs.read([epochs.holder(7), epochs.CATALOGUE]) == {
        epochs.holder(7): 1,
        epochs.CATALOGUE: 2,
    }


def test_after_a_commit_readers_take_the_epoch_from_the_database_for_a_while(
    django_capture_on_commit_callbacks,
):
    epochs.read([epochs.CATALOGUE])
    with django_capture_on_commit_callbacks(execute=True):
        epochs.bump(epochs.CATALOGUE)
        # A reader in another process, before the commit, caches the value it can see.
        cache.set("epoch:" + epochs.CATALOGUE, 0)
    # The commit marked the epoch unsettled: the stale value is gone and nobody caches one.
    with CaptureQueriesContext(connection) as queries:
        assert epochs.read([epochs.CATALOGUE]) == {epochs.CATALOGUE: 1}
        assert epochs.read([epochs.CATALOGUE]) == {epochs.CATALOGUE: 1}
    assert len(queries) == 2


def test_a_value_read_inside_the_transaction_that_moved_it_is_not_shared():
    epochs.read([epochs.CATALOGUE])
    with transaction.atomic():
        epochs.bump(epochs.CATALOGUE)
        # Other processes must not take a value that may yet roll back.
        assert epochs.read([epochs.CATALOGUE]) == {epochs.CATALOGUE: 1}
        assert cache.get("epoch:" + epochs.CATALOGUE) is None
