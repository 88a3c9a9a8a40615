from __future__ import annotations

import pytest

from issuance.resolver import PortalFetcher
from issuance.signing_keys import forget_cached_signers


@pytest.fixture(autouse=True)
def _fresh_signers():
    # Keys live in the test database, which each test rebuilds; cached signers must not
    # outlive it.
    forget_cached_signers()
    yield
    forget_cached_signers()


@pytest.fixture
def portal_fetcher():
    return PortalFetcher()
