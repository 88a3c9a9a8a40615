"""Resolving the portal's own DID documents and status lists without a network round trip.

Verifying a credential issued here needs the issuer's did:web document and its status lists;
both are served by this portal, so they are read straight from the database. Anything else
goes to the fallback fetcher (by default: refused, reported as "could not be checked").
"""

from __future__ import annotations

import re
from typing import Any

from credential_format.verification import Fetcher, FetchError, NoNetworkFetcher
from issuance import identity, selectors, signing_keys

_DID_DOCUMENT = re.compile(r"^/institutions/(?P<slug>[a-z0-9-]+)/did\.json$")
_STATUS_LIST = re.compile(
    r"^/institutions/(?P<slug>[a-z0-9-]+)/status/(?P<number>\d{1,9})/(?P<purpose>revocation|suspension)$"
)


class PortalFetcher:
    """A `Fetcher` that answers for this portal's URLs from the database."""

    def __init__(self, fallback: Fetcher | None = None):
        self.fallback = fallback or NoNetworkFetcher()

    def fetch_json(self, url: str) -> dict[str, Any]:
        path = identity.portal_path(url)
        if path is None:
            return self.fallback.fetch_json(url)
        if match := _DID_DOCUMENT.match(path):
            institution = selectors.get_institution_by_slug_or_none(match["slug"])
            if institution is None:
                raise FetchError(f"No institution is published at {url}.")
            return signing_keys.did_document(institution)
        if match := _STATUS_LIST.match(path):
            status_list = selectors.get_status_list_or_none(
                institution_slug=match["slug"], number=int(match["number"])
            )
            signed = None
            if status_list is not None:
                signed = (
                    status_list.signed_revocation_list
                    if match["purpose"] == "revocation"
                    else status_list.signed_suspension_list
                )
            if signed is None:
                raise FetchError(f"No status list is published at {url}.")
            return dict(signed)
        raise FetchError(f"{url} is not a DID document or status list of this portal.")
