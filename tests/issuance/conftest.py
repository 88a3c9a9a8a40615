from __future__ import annotations

import copy
from typing import Any

import pytest

from credential_format.verification import FetchError
from tests.issuance.factories import issue_credential
from verification.resolver import PortalFetcher


class MapFetcher:
    """Foreign documents for a test, by URL; anything else is unreachable."""

    def __init__(self, documents: dict[str, Any] | None = None):
        self.documents = dict(documents or {})
        self.requested: list[str] = []

    def fetch_json(self, url: str) -> dict[str, Any]:
        self.requested.append(url)
        if url not in self.documents:
            raise FetchError(f"{url} is not reachable in this test.")
        return copy.deepcopy(self.documents[url])


@pytest.fixture
def foreign_documents(monkeypatch):
    """Documents of other issuers that the portal's verification fetcher can reach."""
    documents = MapFetcher()
    monkeypatch.setattr(
        "verification.fetching.verification_fetcher", lambda: PortalFetcher(fallback=documents)
    )
    monkeypatch.setattr(
        "verification.verify.verification_fetcher", lambda: PortalFetcher(fallback=documents)
    )
    return documents


@pytest.fixture
def dana_credential(alice, institution_a, dana):
    return issue_credential(manager=alice, institution=institution_a, learner=dana)


@pytest.fixture
def api_client(api_as):
    """An anonymous API client."""
    return api_as(None)


@pytest.fixture
def portal_fetcher():
    return PortalFetcher()
