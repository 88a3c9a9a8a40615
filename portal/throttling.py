"""DRF throttles that count per client address (portal.client_address), never per a header
the client writes itself."""

from __future__ import annotations

from typing import Any

from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, UserRateThrottle

from portal.client_address import client_address


class ClientAnonRateThrottle(AnonRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class ClientUserRateThrottle(UserRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)


class ClientScopedRateThrottle(ScopedRateThrottle):
    def get_ident(self, request: Any) -> str:
        return client_address(request)
