"""Counts of public page views kept in Redis and written to the database in batches.

A share page or a check page counts every view. Written one by one, each view was an UPDATE
(and a commit) on rows every visitor of the same offering contends for, on pages otherwise
served from the cache. Where the shared cache is Redis, a view adds one to a field of a Redis
hash instead (`add`), and a periodic task moves the sums into the database (`draining`): the
numbers people see lag by up to that period. Without Redis (the demo, the test settings), or
when Redis cannot be reached, `add` says so and the caller writes to the database at once.

Draining renames the hash before reading it, so views counted meanwhile go to a fresh hash; the
renamed one is deleted only after the caller has written its sums, and a drain that failed
half-way is taken up again by the next (a sum may then be written twice: counts are
analytics, never a limit).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

# How long one drain may take before another may start.
_DRAIN_LOCK_SECONDS = 300


def _redis() -> Any | None:
    if settings.CACHES["default"]["BACKEND"] != settings.REDIS_CACHE_BACKEND:
        return None
    from django_redis import get_redis_connection

    return get_redis_connection("default")


def _key(kind: str) -> str:
    return cache.make_key(f"counters:{kind}")


def add(kind: str, field: str | int, amount: int = 1) -> bool:
    """Add to the count of `field`; False when nothing was counted (no Redis, or unreachable)."""
    connection = _redis()
    if connection is None:
        return False
    try:
        connection.hincrby(_key(kind), str(field), amount)
    except RedisError:  # the caller counts in the database
        return False
    return True


@contextmanager
def draining(kind: str) -> Iterator[dict[str, int]]:
    """The counts added since the last drain; they are forgotten when the block completes."""
    connection = _redis()
    lock = f"counters-draining:{kind}"
    if connection is None or not cache.add(lock, 1, _DRAIN_LOCK_SECONDS):
        yield {}
        return
    try:
        pending = _key(kind) + ":draining"
        if not connection.exists(pending):  # else: left by a drain that failed half-way
            if not connection.exists(_key(kind)):
                yield {}
                return
            connection.rename(_key(kind), pending)
        counts = {
            field.decode(): int(value) for field, value in connection.hgetall(pending).items()
        }
        yield counts
        connection.delete(pending)
    finally:
        cache.delete(lock)
