"""API bodies larger than the portal reads into memory (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB)
and JSON nested deeper than Python recurses are client errors with a problem body, on every
JSON endpoint, never a 500."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000


def _client(user=None) -> APIClient:
    client = APIClient(raise_request_exception=False)
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/credentials/verify",
        "/api/v1/presentations/verify",
        "/api/v1/wallet/share-links/",
        "/api/v1/recognition/requests/",
    ],
)
def test_a_body_over_the_memory_limit_is_a_413_problem(path, dana):
    body = json.dumps({"padding": "x" * 2_700_000})
    response = _client(dana).post(path, body, content_type="application/json")
    assert response.status_code == 413, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 413
    assert "limit" in problem["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/credentials/verify",
        "/api/v1/presentations/verify",
        "/api/v1/wallet/share-links/",
        "/api/v1/recognition/requests/",
    ],
)
def test_deep_json_is_a_400_problem(path, dana):
    response = _client(dana).post(path, DEEP, content_type="application/json")
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"


def test_deep_json_pasted_into_the_verify_page_is_a_form_error(db):
    from django.test import Client

    response = Client(raise_request_exception=False).post("/verify/", {"document": DEEP})
    assert response.status_code == 200
    assert "not valid JSON" in response.content.decode()


def test_a_form_body_over_the_memory_limit_is_a_4xx_page(db, settings):
    from django.test import Client

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = Client(raise_request_exception=False).post(
        "/accounts/login/", {"login": "x" * 2000, "password": "y"}
    )
    assert 400 <= response.status_code < 500
