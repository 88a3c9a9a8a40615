"""Lists never show another tenant's objects: every page and API list without parameters is
read by every actor, and each private object of the world may appear only in the lists of the
people allowed to see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.hardening.expectations import (
    ASSESSORS,
    EXPORT_READERS,
    HOLDER,
    OWNER_ADMINS,
    REQUEST_PARTIES,
)
from tests.hardening.probing import client_as, schema_operations, walk_routes
from tests.hardening.world import ACTORS, World

pytestmark = pytest.mark.django_db


def private_markers(world: World) -> dict[str, frozenset[str]]:
    """Text that only some actors may ever be shown, and who they are."""
    return {
        world.open_request.motivation: REQUEST_PARTIES,
        world.appeal.grounds: REQUEST_PARTIES,
        world.preapproval.motivation: REQUEST_PARTIES,
        world.attachment.original_name: REQUEST_PARTIES,
        world.share_link.name: HOLDER,
        world.share_link.token: HOLDER,
        "Hogeschool Elders": HOLDER,
        str(world.imported.uuid): HOLDER,
        str(world.credential.uuid): EXPORT_READERS,
        world.invitation.email: OWNER_ADMINS,
        "Lower level.": REQUEST_PARTIES,
        world.target_upload.filename: ASSESSORS | {"operator"},
    }


def list_urls() -> list[tuple[str, bool]]:
    """Every parameterless page of the site and every parameterless API read."""
    urls = []
    for key, pattern in walk_routes():
        if "<" in pattern or "(?P" in pattern or pattern.startswith(("api/v1/", "admin/")):
            continue
        if key in {"account_logout", "set_language", "api-schema"} or key == pattern:
            continue
        urls.append((reverse(key), False))
    for operation in schema_operations():
        method, path = operation.split(" ", 1)
        if method == "GET" and "{" not in path:
            urls.append((path, True))
    return urls


def read(user, url: str, *, api: bool) -> str:
    response = client_as(user, api=api).get(url)
    assert response.status_code < 500, url
    if response.status_code != 200 or response.streaming:
        return ""
    return response.content.decode()


def test_lists_show_each_private_object_only_to_those_allowed(world, record_property):
    markers = private_markers(world)
    leaks = []
    seen: set[str] = set()
    reads = 0
    for url, api in list_urls():
        for actor in ACTORS:
            body = read(world.users[actor], url, api=api)
            reads += 1
            for marker, allowed in markers.items():
                if marker in body:
                    seen.add(marker)
                    if actor not in allowed:
                        leaks.append(f"{url} shows {marker!r} to {actor}")
    record_property("list_reads", reads)
    print(f"list isolation: {reads} list reads, {len(leaks)} leaks")
    assert not leaks, "\n".join(leaks)
    # The test proves something only if the lists do show private objects to their owners.
    assert len(seen) >= len(markers) // 2, f"never shown: {sorted(set(markers) - seen)}"
