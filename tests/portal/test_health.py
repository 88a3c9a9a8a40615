"""/healthz tells the truth about the database, the cache (Redis) and the Celery broker: an
instance whose Redis is down is reported unhealthy (503), even though its pages still answer
thanks to the fail-soft cache."""

from __future__ import annotations

import os

import pytest

from portal.celery import app as celery_app
from tests.services import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    """The production cache backend and options, with nothing listening behind the address."""
    settings.CACHES = {
        "default": {
            "BACKEND": settings.REDIS_CACHE_BACKEND,
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }


@pytest.fixture
def broker_down():
    before = celery_app.conf.broker_url
    celery_app.conf.broker_url = f"redis://127.0.0.1:{free_port()}/0"
    yield
    celery_app.conf.broker_url = before


def test_a_healthy_instance_answers_200_with_each_check(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}


def test_the_answer_is_json_whatever_the_client_accepts(client):
    response = client.get("/healthz", HTTP_ACCEPT="text/html")
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"].startswith("max-age=0")


def test_redis_down_makes_the_instance_unhealthy(client, redis_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "degraded",
        "database": "ok",
        "cache": "unavailable",
        "broker": "ok",
    }
    # while the pages themselves still answer
    assert client.get("/catalogue/").status_code == 200


def test_an_unreachable_broker_makes_the_instance_unhealthy(client, broker_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["cache"] == "ok"


@pytest.mark.services
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="needs Redis (make test-services)")
def test_with_redis_up_the_cache_and_broker_are_ok(client, settings):
    assert settings.CACHES["default"]["BACKEND"] == settings.REDIS_CACHE_BACKEND
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "broker": "ok"}
