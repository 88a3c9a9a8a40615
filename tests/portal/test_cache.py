"""The cache fails soft: with Redis unreachable, reads miss and writes are dropped, quickly,
and pages that use the cache still render."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches

from tests.services import free_port


@pytest.fixture
def unreachable_cache(settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            # the production backend and options, with nothing behind the address
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    return caches["default"]


def test_an_unreachable_cache_behaves_as_an_empty_one(unreachable_cache):
    started = time.monotonic()
    assert unreachable_cache.get("key", "default") == "default"
    unreachable_cache.set("key", "value")
    assert not unreachable_cache.add("key", "value")
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert not unreachable_cache.has_key("key")
    unreachable_cache.delete("key")
    # a refused connection fails at once: nothing waits for a timeout
    assert time.monotonic() - started < 3


@pytest.mark.django_db
def test_pages_and_the_api_answer_without_the_cache(unreachable_cache, client, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    }
    assert client.get("/catalogue/").status_code == 200
    assert client.get("/api/v1/programmes/").status_code == 200
    assert client.get("/accounts/login/").status_code == 200
