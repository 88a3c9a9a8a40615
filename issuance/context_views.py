"""The JSON-LD contexts the portal authors, served where credentials say they are.

The bytes are exactly the shipped files, so their digest is the one credentials pin in
`relatedResource`; verifiers running in browsers need CORS.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from credential_format.contexts import (
    MICROCREDENTIAL_V1_URL,
    MICROCREDENTIAL_V2_URL,
    authored_context_bytes,
)

# The file never changes once credentials reference it (a change gets a new URL).
CONTEXT_CACHE_SECONDS = 7 * 24 * 3600


def _context_response(canonical_url: str) -> HttpResponse:
    response = HttpResponse(
        authored_context_bytes(canonical_url), content_type="application/ld+json"
    )
    response["Cache-Control"] = f"public, max-age={CONTEXT_CACHE_SECONDS}, immutable"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
def microcredential_v1(request: HttpRequest) -> HttpResponse:
    return _context_response(MICROCREDENTIAL_V1_URL)


@require_GET
def microcredential_v2(request: HttpRequest) -> HttpResponse:
    return _context_response(MICROCREDENTIAL_V2_URL)
