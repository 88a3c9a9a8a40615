"""The cache may go away (Redis restarting, its host rebooting) without taking pages with it.

Everything the portal keeps in the cache can be recomputed or forgotten: cached rows, rate
limit counters, throttle histories. So while Redis cannot be reached, reads miss and writes
are dropped, and after one failure Redis is left alone for a few seconds so that every request
does not pay a connection attempt. Rate limits and API throttles therefore do not apply while
the cache is down (they fail open): availability is chosen over throttling for that time.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
# After a failure, Redis is not tried again for this long.
BACKOFF_SECONDS = 5.0


class FailSoftRedisCache(RedisCache):
    """Django's Redis cache; while Redis is unreachable, a cache that holds nothing."""

    _unreachable_until = 0.0

    def _attempt(self, default: Any, method: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < FailSoftRedisCache._unreachable_until:
            return default
        try:
            return getattr(super(), method)(*args, **kwargs)
        except UNREACHABLE:
            FailSoftRedisCache._unreachable_until = time.monotonic() + BACKOFF_SECONDS
            logger.warning("The cache is unreachable; carrying on without it", exc_info=True)
            return default

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._attempt(default, "get", key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._attempt({}, "get_many", keys, version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._attempt(False, "has_key", key, version)

    def add(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._attempt(False, "add", key, value, timeout, version)

    def set(self, key: Any, value: Any, timeout: Any = None, version: Any = None) -> None:
        self._attempt(None, "set", key, value, timeout, version)

    def set_many(self, data: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._attempt(list(data), "set_many", data, timeout, version)

    def touch(self, key: Any, timeout: Any = None, version: Any = None) -> Any:
        return self._attempt(False, "touch", key, timeout, version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._attempt(False, "delete", key, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        self._attempt(None, "delete_many", keys, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        # A counter that cannot be read starts again from the delta.
        return self._attempt(delta, "incr", key, delta, version)

    def clear(self) -> None:
        self._attempt(None, "clear")
