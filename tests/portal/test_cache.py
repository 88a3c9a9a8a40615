"""The cache fails soft: with Redis unreachable, reads miss and writes are dropped, quickly,
and pages that use the cache still render."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches

from portal import cache as portal_cache
from tests.services import free_port


@pytest.fixture
def unreachable_cache(settings):
    port = free_port()  # nothing listens there
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache.FailSoftRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    portal_cache.FailSoftRedisCache._unreachable_until = 0.0
    yield caches["default"]
    portal_cache.FailSoftRedisCache._unreachable_until = 0.0


def test_an_unreachable_cache_behaves_as_an_empty_one(unreachable_cache):
    started = time.monotonic()
    assert unreachable_cache.get("key", "default") == "default"
    unreachable_cache.set("key", "value")
    assert unreachable_cache.add("key", "value") is False
    assert unreachable_cache.get_many(["a", "b"]) == {}
    assert unreachable_cache.incr("counter") == 1
    unreachable_cache.delete("key")
    # after the first failure Redis is not tried again for a while: no more waiting
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
