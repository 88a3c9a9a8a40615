"""How the verifier reaches other documents (did:web and controller documents, status lists):
only through an injected :class:`Fetcher`, so callers decide what may be fetched.
:class:`NoNetworkFetcher` refuses everything; :class:`CachingFetcher` adds an in-process cache."""

from __future__ import annotations

import copy
import threading
import time
from typing import Any, Protocol

from cachetools import TTLCache


class FetchError(Exception):
    """A document could not be fetched (network error, HTTP error, not JSON, too large...)."""


class Fetcher(Protocol):
    def fetch_json(self, url: str) -> dict[str, Any]: ...


class NoNetworkFetcher:
    """Refuses every fetch: only self-contained credentials (did:key, no status) can verify."""

    def fetch_json(self, url: str) -> dict[str, Any]:
        raise FetchError(f"Fetching {url} is not allowed in this context.")


class CachingFetcher:
    """Caches successful fetches in process for ``ttl_seconds`` (bounded); never failures."""

    def __init__(self, fetcher: Fetcher, *, ttl_seconds: float = 300, max_entries: int = 1024):
        self._fetcher = fetcher
        self._cache: TTLCache[str, dict[str, Any]] = TTLCache(
            maxsize=max_entries, ttl=ttl_seconds, timer=time.monotonic
        )
        self._lock = threading.Lock()

    def fetch_json(self, url: str) -> dict[str, Any]:
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None:
            return copy.deepcopy(cached)
        document = self._fetcher.fetch_json(url)
        with self._lock:
            self._cache[url] = copy.deepcopy(document)
        return document
