"""The address a request came from, for rate limits and the audit trail.

Behind reverse proxies the connection comes from the nearest proxy, and each proxy appends
the address it saw to X-Forwarded-For. Only the entries written by proxies we run can be
believed: with TRUSTED_PROXY_COUNT proxies in front, the client's address is the entry that
many places from the end (the one the outermost trusted proxy wrote). Anything to the left of
it was written by the client and is ignored. With no trusted proxy (the default) the header is
not read at all.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _normalised(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    remote = str(request.META.get("REMOTE_ADDR") or "")
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count <= 0:
        return remote
    forwarded = [
        part for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part
    ]
    if len(forwarded) < count:
        # Fewer entries than proxies: the request did not come through all of them (or they
        # are set up differently); its own connection is all that can be trusted.
        return remote
    return _normalised(forwarded[-count]) or remote
