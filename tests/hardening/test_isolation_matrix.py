"""The isolation matrix: every route of the URL resolver and every operation of the API schema,
tried by every actor of the cast with every method, against objects owned by institution A and
its learner dana. The expected outcome of each cell comes from `expectations.py`; a route with
no expectation fails, so each new route has to be classified there.

Cells of people outside the route's group run for real (and must leave every object as it
was); cells of people inside it run in a transaction that is rolled back, so each cell sees the
same portal."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import Resolver404, resolve, reverse

from catalogue.models import Enrolment, Programme
from issuance.models import Credential
from recognition.models import RecognitionRequest
from tests.hardening.expectations import (
    ADMIN_MODELS,
    ADMIN_SITE,
    ADMIN_USERS,
    API_OPERATIONS,
    HTML_ROUTES,
)
from tests.hardening.probing import (
    CLOSED,
    PERMITTED,
    schema_operations,
    send,
    send_and_undo,
    walk_routes,
)
from tests.hardening.world import ACTORS, World
from wallet.models import ImportedCredential, ShareLink

pytestmark = pytest.mark.django_db

HTML_METHODS = ("GET", "POST")


def is_api(pattern: str) -> bool:
    """The routes of the API schema: the portal's API and the VC-API (whose OAuth2 token
    endpoint is a plain route)."""
    return pattern.startswith("api/v1/") or (
        pattern.startswith("vc-api/") and not pattern.startswith("vc-api/oauth2/")
    )


def address_value(world: World, spec: str) -> Any:
    if "." not in spec:
        return spec
    value: Any = world
    for part in spec.split("."):
        value = value[part] if isinstance(value, dict) else getattr(value, part)
    return value


def admin_cells(world: World, key: str, pattern: str) -> list[tuple[str, str, str, frozenset]]:
    """The cells of one admin route: the site's own pages, or a model's list, add and row
    pages addressing the world's row of that model."""
    if key in ADMIN_SITE:
        if key == "admin:app_list":
            url = reverse(key, kwargs={"app_label": "portal"})
        elif key == "admin:view_on_site":
            url = reverse(key, kwargs={"content_type_id": 1, "object_id": 1})
        else:
            url = "/admin/no-such-page/" if "(?P<url>" in key else reverse(key)
        who = ADMIN_SITE[key]
        return [
            (f"{m} {key}", m, url, who[m] if isinstance(who, dict) else who) for m in HTML_METHODS
        ]
    row_spec, groups = ADMIN_MODELS["/".join(pattern.split("/")[1:3])]
    row = "0" if row_spec is None else str(address_value(world, row_spec))
    url = "/" + re.sub(r"<[^>]+>", row, pattern)
    if key == pattern:  # the bare row URL only redirects to the row's change page
        return [(f"{m} {key}", m, url, ADMIN_USERS) for m in HTML_METHODS]
    action = key.rsplit("_", 1)[1]
    by_method = {
        "changelist": (groups["list"], groups["list"]),
        "add": (groups["add"], groups["add"]),
        "history": (groups["view"], groups["view"]),
        "delete": (groups["delete"], groups["delete"]),
        "change": (groups["view"], groups["change"]),
    }[action]
    return [(f"{m} {key}", m, url, who) for m, who in zip(HTML_METHODS, by_method, strict=True)]


def html_cells(world: World) -> list[tuple[str, str, str, frozenset[str]]]:
    """(cell name, method, url, who may) for every non-API route; unclassified routes fail."""
    cells = []
    unclassified = []
    for key, pattern in walk_routes():
        if is_api(pattern):
            continue  # classified through the schema below
        if pattern.startswith("admin/"):
            cells.extend(admin_cells(world, key, pattern))
            continue
        if key not in HTML_ROUTES:
            unclassified.append(key)
            continue
        who, address = HTML_ROUTES[key]
        url = reverse(key, kwargs={k: address_value(world, v) for k, v in address.items()})
        for method in HTML_METHODS:
            group = who[method] if isinstance(who, dict) else who
            cells.append((f"{method} {key}", method, url, group))
    assert not unclassified, f"routes without an expectation: {unclassified}"
    return cells


def api_cells(world: World) -> list[tuple[str, str, str, frozenset[str]]]:
    operations = schema_operations()
    unclassified = sorted(set(operations) - set(API_OPERATIONS))
    assert not unclassified, f"API operations without an expectation: {unclassified}"
    stale = sorted(set(API_OPERATIONS) - set(operations))
    assert not stale, f"expectations for operations the schema no longer has: {stale}"
    cells = []
    for operation in operations:
        method, path = operation.split(" ", 1)
        who, address = API_OPERATIONS[operation]
        url = path.format(**{k: address_value(world, v) for k, v in address.items()})
        cells.append((operation, method, url, who))
    return cells


def test_every_api_route_is_in_the_schema(world):
    """The schema is the list the matrix walks: a view hidden from it would escape."""
    documented = set()
    for operation in schema_operations():
        path = operation.split(" ", 1)[1]
        address = API_OPERATIONS[operation][1]
        url = path.format(**{k: address_value(world, v) for k, v in address.items()})
        try:
            documented.add(resolve(url).url_name)
        except Resolver404:  # pragma: no cover - reported by the assertion below
            documented.add(f"unresolved {url}")
    routes = {key for key, pattern in walk_routes() if is_api(pattern)}
    assert not {r for r in documented if r and r.startswith("unresolved")}
    assert routes == documented


def snapshot(world: World) -> dict[str, Any]:
    """What a refused request must not change."""
    return {
        "credential": Credential.objects.filter(pk=world.credential.pk).values(
            "state", "revoked_at", "suspended_at"
        )[0],
        "requests": list(
            RecognitionRequest.objects.order_by("pk").values("pk", "status", "assigned_to")
        ),
        "programme": Programme.objects.filter(pk=world.programme.pk).values("status").first(),
        "share_links": list(ShareLink.objects.values("pk", "revoked_at")),
        "imported": ImportedCredential.objects.count(),
        "enrolment": Enrolment.objects.filter(pk=world.enrolment.pk).values("status").first(),
        "staff_roles": world.institution.staff_roles.count(),
    }


def test_isolation_matrix(world, record_property):
    cells = [(False, *cell) for cell in html_cells(world)] + [
        (True, *cell) for cell in api_cells(world)
    ]
    before = snapshot(world)
    wrong: list[str] = []
    tried = 0
    # Outsiders first, for real: nothing they send may change anything.
    for api, name, method, url, group in cells:
        for actor in ACTORS:
            if actor in group:
                continue
            outcome = send(world.users[actor], method, url, api=api)
            tried += 1
            if outcome not in CLOSED:
                wrong.append(f"{name} as {actor}: {outcome}, expected it closed")
    assert snapshot(world) == before, "a refused request changed something"
    for api, name, method, url, group in cells:
        for actor in sorted(group):
            outcome = send_and_undo(world.users[actor], method, url, api=api)
            tried += 1
            if outcome not in PERMITTED:
                wrong.append(f"{name} as {actor}: {outcome}, expected it open")
    record_property("isolation_cells", tried)
    print(f"isolation matrix: {len(cells)} route methods x {len(ACTORS)} actors = {tried} cells")
    assert not wrong, "\n".join(wrong)


# Everyone with a staff, officer or admin role: with a token and no second factor, each of
# them is refused every API operation that is not public.
ROLE_HOLDERS = ("owner_staff", "other_staff", "owner_officer", "alliance_admin", "operator")


def test_token_staff_without_a_second_factor_are_refused(world, settings, record_property):
    """A further actor: staff who authenticate with an API token and never enrolled a second
    factor (a token made as a learner, kept after getting a role). Every operation that is not
    open to anonymous visitors must be closed to them, and nothing may change."""
    from rest_framework.test import APIClient

    from portal.tokens import create_api_token
    from tests.hardening.probing import outcome_of

    settings.STAFF_MFA_REQUIRED = True
    keys = {actor: create_api_token(user=world.users[actor])[1] for actor in ROLE_HOLDERS}
    before = snapshot(world)
    wrong: list[str] = []
    tried = 0
    for name, method, url, group in api_cells(world):
        if "anonymous" in group:
            continue  # public: anybody may call it, token or not
        if url.startswith("/vc-api/"):
            continue  # OAuth2 clients' tokens only: a person's API token is never accepted
        for actor, key in keys.items():
            client = APIClient()
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            call = getattr(client, method.lower())
            response = call(url, {}, format="json") if method != "GET" else call(url)
            outcome = outcome_of(response)
            tried += 1
            if outcome != "denied" and not (outcome == "method" and method != "GET"):
                wrong.append(f"{name} as {actor} by token without MFA: {outcome}")
            elif outcome == "denied" and response.json().get("code") != "mfa_required":
                wrong.append(f"{name} as {actor}: refused, but not for the second factor")
    assert snapshot(world) == before, "a refused request changed something"
    record_property("token_without_mfa_cells", tried)
    print(f"token staff without a second factor: {tried} cells")
    assert not wrong, "\n".join(wrong)
