from __future__ import annotations

import pytest

from issuance.resolver import PortalFetcher


@pytest.fixture
def portal_fetcher():
    return PortalFetcher()
