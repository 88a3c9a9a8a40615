"""Rate limits for pages and endpoints outside allauth and DRF (which have their own): a
fixed-window counter per client address (portal.client_address) in the cache.

The cache fails soft (django-redis with IGNORE_EXCEPTIONS, see portal.settings): while it is
unreachable, counts start from zero and the limits do not hold. Availability is chosen over throttling for that time, as for the API.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.api import problem_json_response
from portal.client_address import client_address

_PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "30/minute" -> (30, 60)."""
    amount, _, period = rate.partition("/")
    return int(amount), _PERIODS[period.strip().lower().rstrip("s") or "minute"]


def hit(request: HttpRequest, scope: str) -> bool:
    """Count one request of this client in the scope; True while it is within the limit."""
    if not settings.PAGE_RATE_LIMITS_ENABLED:
        return True
    amount, period = parse_rate(str(settings.PAGE_RATE_LIMITS[scope]))
    window = int(time.time() // period)
    key = f"page-rl:{scope}:{client_address(request)}:{window}"
    cache.add(key, 0, timeout=period + 1)
    try:
        # None while the cache is unreachable (its failures are ignored): the count restarts.
        count = cache.incr(key) or 1
    except ValueError:  # the key expired between add and incr
        count = 1
    return bool(count <= amount)


def too_many_requests(request: HttpRequest) -> HttpResponse:
    detail = _("You have sent too many requests in a short time. Wait a minute and try again.")
    if request.path.startswith("/api/"):
        response: HttpResponse = problem_json_response(
            request, 429, detail, code="too_many_requests"
        )
    else:
        response = render(request, "429.html", {"detail": detail}, status=429)
    response["Retry-After"] = "60"
    return response


def rate_limited(
    scope: str, *, methods: Iterable[str] = ("GET", "POST")
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a client's requests (of these methods) over the scope's limit with a 429."""
    counted = frozenset(methods)

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in counted and not hit(request, scope):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return limited

    return decorate
