"""Which registered institution (and programme version) a credential comes from.

The portal's institutions issue as `did:web:<portal host>:institutions:<slug>`
(`issuance.identity`). The name a credential claims for its issuer is shown as claimed; the
registered name comes from here, so officers never mistake a look-alike issuer for one of ours.
Matching the issuer id is not proof: the verification report says whether a key the issuer
controls signed the credential.

The trust registry is the portal's institutions (their did:web DIDs and keys) plus the issuers
an operator registers (`TrustedIssuer`, by hand in the admin or imported with
`manage.py import_issuer_registry`). A credential's own `issuer.name` is never shown as who
issued it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alliances.models import Institution
from catalogue.models import ProgrammeVersion
from credential_format.errors import KeyFormatError
from credential_format.keys import PublishedKey, build_did_web_document, did_web_document_url
from credential_format.verification import Fetcher
from issuance import identity
from recognition.models import IssuerTrust, TrustedIssuer


def institution_for_issuer(issuer_id: str) -> Institution | None:
    """The registered institution whose DID is `issuer_id`, if any."""
    slug = identity.institution_slug_from_did(issuer_id)
    return Institution.objects.filter(slug=slug).first() if slug else None


def programme_version_for_achievement(
    achievement_id: str, issuer: Institution | None
) -> ProgrammeVersion | None:
    """The programme version a credential of one of our institutions was issued for.

    Only an issuer that is one of the version's awarding bodies counts, so a credential from
    elsewhere cannot borrow our programme's identity."""
    version_id = identity.version_id_from_achievement(achievement_id)
    if issuer is None or version_id is None:
        return None
    return (
        ProgrammeVersion.objects.filter(pk=version_id, awarding_bodies=issuer)
        .select_related("programme")
        .first()
    )


# --- the trust registry ------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryEntry:
    """Who an issuer id is according to the trust registry: one of the portal's institutions
    (`member`), an issuer an operator registered (`registered`), or nobody (`unknown`)."""

    trust: str
    institution: Institution | None = None
    trusted_issuer: TrustedIssuer | None = None

    @property
    def registered(self) -> bool:
        return self.trust != IssuerTrust.UNKNOWN

    @property
    def name(self) -> str:
        if self.institution is not None:
            return str(self.institution.legal_name)
        if self.trusted_issuer is not None:
            return self.trusted_issuer.name
        return ""


def registry_entry(issuer_id: str) -> RegistryEntry:
    institution = institution_for_issuer(issuer_id) if issuer_id else None
    if institution is not None:
        return RegistryEntry(IssuerTrust.MEMBER, institution=institution)
    trusted = (
        TrustedIssuer.objects.filter(did=issuer_id, is_active=True).first() if issuer_id else None
    )
    if trusted is not None:
        return RegistryEntry(IssuerTrust.REGISTERED, trusted_issuer=trusted)
    return RegistryEntry(IssuerTrust.UNKNOWN)


class RegistryFetcher:
    """Serves the DID documents of registered issuers whose keys the registry lists (so their
    credentials verify without a network round trip); everything else goes to `fallback`."""

    def __init__(self, fallback: Fetcher):
        self.fallback = fallback

    def fetch_json(self, url: str) -> dict[str, Any]:
        for trusted in TrustedIssuer.objects.filter(is_active=True, did__startswith="did:web:"):
            if not trusted.public_keys:
                continue
            try:
                published = did_web_document_url(trusted.did)
            except KeyFormatError:
                continue
            if published == url:
                keys = [
                    PublishedKey(f"key-{index}", str(key))
                    for index, key in enumerate(trusted.public_keys, 1)
                ]
                return build_did_web_document(trusted.did, keys, [])
        return self.fallback.fetch_json(url)


# --- importing a registry list -----------------------------------------------------------


def _registry_rows(data: Any) -> list[dict[str, Any]]:
    """Rows of a registry list. The DCC issuer registry format is
    `{"meta": {...}, "registry": {"<DID>": {"name": ..., "location": ..., "url": ...}}}`
    (some copies say `entries`); each entry may add `country` (ISO 3166 alpha-2) and
    `legalIdentifiers`. A list of entries that carry their own `did` is read too."""
    if isinstance(data, dict):
        for key in ("registry", "entries", "registryEntries", "issuers"):
            value = data.get(key)
            if isinstance(value, dict):
                return [
                    {**row, "did": did}
                    for did, row in value.items()
                    if isinstance(row, dict) and isinstance(did, str)
                ]
            if isinstance(value, list):
                return [row for row in value if isinstance(row, dict)]
        return []
    if isinstance(data, list):
        return [row for row in data if isinstance(row, dict)]
    return []


def _legal_identifiers(row: dict[str, Any]) -> list[dict[str, str]]:
    identifiers = row.get("legalIdentifiers") or row.get("legal_identifiers") or []
    if isinstance(identifiers, dict):
        identifiers = [{"type": str(k), "value": str(v)} for k, v in identifiers.items()]
    cleaned = []
    for item in identifiers if isinstance(identifiers, list) else []:
        if isinstance(item, dict):
            cleaned.append(
                {
                    "type": str(item.get("type", ""))[:60],
                    "value": str(item.get("value", item.get("id", "")))[:200],
                }
            )
        elif isinstance(item, str):
            cleaned.append({"type": "", "value": item[:200]})
    return cleaned[:20]


def parse_registry_list(data: Any) -> list[dict[str, Any]]:
    """The issuers of a registry list as `TrustedIssuer` field values; rows without a DID or
    a name, or with a DID that is not did:key / did:web, are skipped."""
    issuers = []
    for row in _registry_rows(data):
        did = str(row.get("did") or row.get("issuer_id") or row.get("id") or "").strip()
        name = str(row.get("name") or row.get("issuer_name") or "").strip()
        if not name or not did.startswith(("did:key:", "did:web:")) or len(did) > 500:
            continue
        keys = row.get("publicKeyMultibase") or row.get("public_keys") or []
        issuers.append(
            {
                "did": did,
                "name": name[:300],
                "country": str(row.get("country") or row.get("country_code") or "")[:2].upper(),
                "legal_identifiers": _legal_identifiers(row),
                "public_keys": [str(k) for k in (keys if isinstance(keys, list) else [keys])][:10],
            }
        )
    return issuers
