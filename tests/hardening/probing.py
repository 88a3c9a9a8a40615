"""Sending one request as one actor and naming what came back, for the isolation matrix."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

# What a response means for access control. "ok" and "refused" (the request was understood
# and validated) are answers to someone who may use the route; "login", "denied" and "hidden"
# keep the route closed; "method" says nothing either way; "error" is never acceptable.
PERMITTED = frozenset({"ok", "refused", "method"})
CLOSED = frozenset({"login", "denied", "hidden", "method"})
LOGIN_PATHS = ("/accounts/login/", "/admin/login/")
ADMIN_INDEX = "/admin/"
ADMIN_ROW = re.compile(r"^/admin/\w+/\w+/[^/]+/")


def walk_routes(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(key, pattern) of every route: the namespaced name, or the pattern when unnamed."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace or "") if part)
            yield from walk_routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            full = prefix + str(pattern.pattern)
            key = f"{namespace}:{pattern.name}" if namespace else (pattern.name or full)
            yield (key if pattern.name else full), full


def outcome_of(response: Any) -> str:
    status = response.status_code
    if status >= 500:
        return "error"
    if status in (301, 302, 303, 307, 308):
        location = response.get("Location", "")
        if any(path in location for path in LOGIN_PATHS):
            return "login"
        # The admin answers a row outside the viewer's queryset by going back to its index.
        if location == ADMIN_INDEX and ADMIN_ROW.match(response.wsgi_request.path):
            return "hidden"
        return "ok"
    if status == 401:
        return "login"
    if status == 403:
        return "denied"
    if status == 404:
        return "hidden"
    if status == 405:
        return "method"
    if 400 <= status < 500:
        return "refused"
    return "ok"


def client_as(user: Any, *, api: bool) -> Client:
    """A client signed in as `user` (anonymous for None), for the API or for pages."""
    if api:
        client: Client = APIClient()
        if user is not None:
            client.force_authenticate(user)
    else:
        client = Client()
        if user is not None:
            client.force_login(user)
    return client


def send(user: Any, method: str, url: str, *, api: bool) -> str:
    """The outcome of one request; an exception escaping the view counts as an error."""
    client = client_as(user, api=api)
    call = getattr(client, method.lower())
    kwargs: dict[str, Any] = {"format": "json"} if api and method != "GET" else {}
    try:
        response = call(url, {}, **kwargs) if method != "GET" else call(url)
    except Exception as error:  # the matrix reports it as a cell in error
        return f"error ({type(error).__name__}: {error})"
    return outcome_of(response)


def send_and_undo(user: Any, method: str, url: str, *, api: bool) -> str:
    """Send a request whose writes are rolled back, so every cell sees the same portal."""
    with transaction.atomic():
        outcome = send(user, method, url, api=api)
        transaction.set_rollback(True)
    return outcome


def schema_operations() -> list[str]:
    """ "METHOD path" of every operation of the API schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    ]
