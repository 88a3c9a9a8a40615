"""Where the portal's issuers and their documents live: DIDs and public URLs.

Each institution is `did:web:<host>:institutions:<slug>` under PORTAL_BASE_URL, its DID
document is served at `/institutions/<slug>/did.json`, and its status lists at
`/institutions/<slug>/status/<number>/<purpose>`.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings

from alliances.models import Institution
from credential_format.contexts import (
    AUTHORED_CONTEXT_PATHS,
    MICROCREDENTIAL_CONTEXT_PATH,
    document_loader,
)

_DID_PATTERN = re.compile(r"^did:web:(?P<host>[^:]+):institutions:(?P<slug>[a-z0-9-]+)$")


def vocabulary_context_url() -> str:
    """The URL new credentials use for the micro-credential context (served by this portal at
    `/contexts/microcredential/v2`, or a permanent URL redirecting there). The offline loader
    serves every authored version under this deployment's URLs (earlier credentials reference
    earlier versions), so signing and verifying never fetch them."""
    base = settings.CREDENTIAL_CONTEXT_BASE_URL
    for canonical_url, path in AUTHORED_CONTEXT_PATHS.items():
        if f"{base}{path}" not in document_loader.urls:
            document_loader.serve_shipped_context_at([f"{base}{path}"], canonical_url)
    return f"{base}{MICROCREDENTIAL_CONTEXT_PATH}"


def portal_host() -> str:
    """The did:web host part: the base URL's host with any port percent-encoded."""
    return quote(urlsplit(settings.PORTAL_BASE_URL).netloc, safe="")


def did_for_slug(slug: str) -> str:
    return f"did:web:{portal_host()}:institutions:{slug}"


def institution_did(institution: Institution) -> str:
    return did_for_slug(institution.slug)


def institution_slug_from_did(did: str) -> str | None:
    """The slug of one of this portal's institutions named by `did`, or None."""
    match = _DID_PATTERN.match(did.split("#", 1)[0])
    if not match or unquote(match["host"]) != unquote(portal_host()):
        return None
    return match["slug"]


def verification_method_id(institution: Institution, key_id: str) -> str:
    return f"{institution_did(institution)}#{key_id}"


def status_list_url(institution: Institution, number: int, purpose: str) -> str:
    return f"{settings.PORTAL_BASE_URL}/institutions/{institution.slug}/status/{number}/{purpose}"


def achievement_id(version_id: int) -> str:
    """The achievement id of credentials issued for a programme version: the version's public
    API address, which never changes once published."""
    return f"{settings.PORTAL_BASE_URL}/api/v1/programme-versions/{version_id}/"


def badge_image_url(version_id: int) -> str:
    """The stable address of a programme version's badge image (served by the catalogue)."""
    return f"{settings.PORTAL_BASE_URL}/badges/programme-versions/{version_id}"


def pathway_badge_image_url(slug: str) -> str:
    """The stable address of a pathway's badge image (served by the catalogue)."""
    return f"{settings.PORTAL_BASE_URL}/badges/pathways/{slug}"


def version_id_from_achievement(value: str) -> int | None:
    prefix = f"{settings.PORTAL_BASE_URL}/api/v1/programme-versions/"
    match = re.fullmatch(re.escape(prefix) + r"(\d{1,18})/", value)
    return int(match.group(1)) if match else None


def portal_path(url: str) -> str | None:
    """The path of `url` when it points into this portal (scheme ignored), else None."""
    parts = urlsplit(url)
    if parts.netloc != urlsplit(settings.PORTAL_BASE_URL).netloc:
        return None
    return parts.path
