"""OpenAPI schema generation and RFC 9457 problem details for API errors."""

from __future__ import annotations

import pytest
import yaml
from django.core.management import call_command
from django.test import override_settings
from rest_framework.test import APIClient


def test_schema_generates_without_warnings(db, capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    captured = capsys.readouterr()
    assert "Warning" not in captured.err
    assert "Error" not in captured.err


def test_schema_is_served_and_documents_v1(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["info"]["title"] == "Alliance Credentials API"
    assert "/api/v1/alliances/" in schema["paths"]
    assert "/api/v1/institutions/{slug}/" in schema["paths"]


def test_docs_page_uses_no_external_assets(client, db):
    body = client.get("/api/docs/").content.decode()
    assert "cdn" not in body.lower()
    assert "<script" in body


def _assert_problem(response, status):
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert body["type"].startswith("https://")
    return body


def test_unknown_api_route_is_a_problem(db):
    _assert_problem(APIClient().get("/api/v1/no-such-thing/"), 404)


def test_unknown_object_is_a_problem(db):
    body = _assert_problem(APIClient().get("/api/v1/institutions/no-such/"), 404)
    assert body["instance"] == "/api/v1/institutions/no-such/"


def test_wrong_method_is_a_problem(db):
    _assert_problem(APIClient().delete("/api/v1/alliances/"), 401)


def test_malformed_json_is_a_problem(alice, institution_a):
    client = APIClient()
    client.force_authenticate(alice)
    body = _assert_problem(
        client.patch(
            "/api/v1/institutions/uni-a/", data="{not json", content_type="application/json"
        ),
        400,
    )
    assert "JSON" in body["detail"]


@override_settings(DEBUG=False)
def test_unexpected_error_is_a_problem_not_an_html_page(db, monkeypatch):
    from alliances import selectors

    def explode(**kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(selectors, "list_institutions", explode)
    client = APIClient(raise_request_exception=False)
    body = _assert_problem(client.get("/api/v1/institutions/"), 500)
    assert "boom" not in body["detail"]


def test_token_authentication(alice):
    from portal.tokens import create_api_token

    _, key = create_api_token(user=alice)
    client = APIClient()
    assert client.get("/api/v1/me/").status_code == 401
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["email"] == alice.email


@pytest.mark.parametrize(("page_size", "expected"), [("2", 2), ("1000", 3)])
def test_page_size_is_capped(db, page_size, expected):
    from tests.factories import InstitutionFactory

    for _ in range(3):
        InstitutionFactory()
    body = APIClient().get(f"/api/v1/institutions/?page_size={page_size}").json()
    assert len(body["results"]) == expected
