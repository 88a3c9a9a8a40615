"""Pages served from the shared cache and answered with 304 when the browser's copy is current.

A cached view names what its page depends on: content epochs (portal.epochs) and any other
version string (a programme's published version, a credential's status). The ETag and the
cache key are built from those, the path and query, the language, the release and the
visitor (anonymous, or the signed-in person for `private=True` pages), so:

- a browser (or a CDN, for documents) revalidating with If-None-Match gets 304 without the
  view running, when nothing the page depends on has changed;
- any other request is served from the shared cache (Redis in production) without the view
  running;
- a change moves an epoch or version in the same transaction, which changes the key: the
  next request renders afresh, in every process, with no cache to flush.

HTML pages carry a CSRF token (the language switch is a POST form on every page). The cached
copy stores a placeholder in its place and each response gets the visitor's own token, so a
form on a cached page posts as on a freshly rendered one. For the same reason HTML is
`private`: a shared cache in front of the portal must not hand one visitor's token to another.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from portal import epochs

_CSRF_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
_CSRF_PLACEHOLDER = b"\x00csrf\x00"
# Headers a cached response keeps; the rest (cookies above all) belong to one request.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Referrer-Policy")


@dataclass(frozen=True)
class Dependencies:
    """What a page shows: the epochs it reads and any other version strings. `None` from a
    dependency function means "not cacheable for this request" (e.g. not found: the view
    answers 404 itself)."""

    epochs: Iterable[str] = ()
    versions: tuple[Any, ...] = field(default=())


DependencyFunction = Callable[..., Dependencies | None]


def catalogue_dependencies(request: HttpRequest, *args: Any, **kwargs: Any) -> Dependencies:
    """For pages showing the public catalogue, institutions and alliances; which offerings
    are open or upcoming changes with the date alone."""
    return Dependencies(epochs=[epochs.CATALOGUE], versions=(timezone.localdate().isoformat(),))


def cache_enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE_SECONDS", 0))


def _fingerprint(request: HttpRequest, dependencies: Dependencies, visitor: str) -> str:
    epoch_values = epochs.read(dependencies.epochs) if dependencies.epochs else {}
    parts = [
        settings.PAGE_CACHE_RELEASE,
        (request.method == "HEAD" and "GET") or request.method,
        request.get_full_path(),
        translation.get_language() or "",
        visitor,
        repr(sorted(epoch_values.items())),
        repr(dependencies.versions),
    ]
    return hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:40]


def _etag(request: HttpRequest, fingerprint: str) -> str:
    # The copy a browser holds contains the CSRF token of its cookie at the time: after the
    # cookie changes, the page is sent again rather than confirmed.
    cookie = request.COOKIES.get(settings.CSRF_COOKIE_NAME, "")
    return '"' + hashlib.sha256(f"{fingerprint}\x1f{cookie}".encode()).hexdigest()[:40] + '"'


def _not_modified(request: HttpRequest, etag: str) -> bool:
    header = request.headers.get("If-None-Match", "")
    return any(tag.strip() in (etag, f"W/{etag}") for tag in header.split(",")) if header else False


def _store(key: str, response: HttpResponse, seconds: int) -> None:
    body = _CSRF_INPUT.sub(rb"\1" + _CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = {name: response[name] for name in _KEPT_HEADERS if response.has_header(name)}
    cache.set(key, (response.status_code, headers, body), seconds)


def _from_stored(request: HttpRequest, stored: tuple[int, dict[str, str], bytes]) -> HttpResponse:
    status, headers, body = stored
    if _CSRF_PLACEHOLDER in body:
        body = body.replace(_CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def _seconds_to_keep(response: HttpResponse) -> int:
    seconds = int(settings.PAGE_CACHE_SECONDS)
    until: datetime | None = getattr(response, "cache_until", None)
    if until is not None:  # the page changes by itself then (an expiry it shows)
        seconds = min(seconds, int((until - timezone.now()).total_seconds()))
    return seconds


def cached_page(
    depends_on: DependencyFunction,
    *,
    private: bool = False,
    on_request: Callable[..., None] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Serve a GET view from the shared cache, with ETag revalidation.

    Public pages (`private=False`) are cached for anonymous visitors only: a signed-in person
    sees their own enrolments and menus, so their request runs the view. Private pages are
    cached per signed-in person. A view may set `response.cache_until` to the moment its page
    changes by itself (an expiry it shows); responses other than 200, and those that set
    cookies, are never stored. `on_request` runs for every GET the page answers, from the
    cache or not (counting views: the view itself does not run on a hit).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if on_request is not None and request.method == "GET":
                on_request(request, *args, **kwargs)
            if request.method not in ("GET", "HEAD") or not cache_enabled():
                return view(request, *args, **kwargs)
            user = getattr(request, "user", None)
            signed_in = bool(user is not None and user.is_authenticated)
            if signed_in != private or len(get_messages(request)):
                # A signed-in visitor's public page shows their own state; a page with a
                # message to show is for this request alone.
                return view(request, *args, **kwargs)
            dependencies = depends_on(request, *args, **kwargs)
            if dependencies is None:
                return view(request, *args, **kwargs)
            if private:
                dependencies = Dependencies(
                    epochs=(*dependencies.epochs, epochs.holder(user.pk)),  # type: ignore[union-attr]
                    versions=dependencies.versions,
                )
            visitor = f"user:{user.pk}" if private else "anonymous"  # type: ignore[union-attr]
            fingerprint = _fingerprint(request, dependencies, visitor)
            etag = _etag(request, fingerprint)
            if _not_modified(request, etag):
                response: HttpResponse = HttpResponseNotModified()
            else:
                key = f"page:{fingerprint}"
                stored = cache.get(key)
                if stored is not None:
                    response = _from_stored(request, stored)
                else:
                    response = view(request, *args, **kwargs)
                    seconds = _seconds_to_keep(response)
                    if response.status_code == 200 and not response.cookies and seconds > 0:
                        _store(key, response, seconds)
                    else:
                        return response
            response["ETag"] = etag
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapper

    return decorator
