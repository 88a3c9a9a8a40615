"""Reads for the learner's wallet: what a learner holds (issued here or imported), grouped by
pathway, and the links that take a credential elsewhere (LinkedIn, the public verification page).

`held_credentials(learner)` is the one list other apps use (the recognition app lists it when
a learner asks for credit transfer): every credential the learner holds, with its document.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from catalogue.models import Pathway
from catalogue.selectors import PathwayProgress, pathway_progress
from issuance import selectors
from issuance.models import Credential
from wallet.models import ImportedCredential

LINKEDIN_ADD_CERTIFICATION = "https://www.linkedin.com/profile/add"
# Statuses under which the issuer no longer stands behind a credential: existing share links
# keep showing it (with the status), but no new link, LinkedIn entry or clean certificate.
WITHDRAWN_STATUSES = frozenset({"revoked", "suspended"})


@dataclass(frozen=True)
class HeldCredential:
    """A credential in a learner's wallet. `origin` is "issued" (by an institution of this
    portal) or "imported" (from another provider, verified when it was imported)."""

    origin: str
    uuid: UUID
    title: str
    issuer_id: str
    issuer_name: str
    issued_at: datetime | None
    status: str
    document: dict[str, Any]
    credential: Credential | None = None
    imported: ImportedCredential | None = None

    @property
    def is_external(self) -> bool:
        return self.origin == "imported"


def _held_issued(credential: Credential) -> HeldCredential:
    return HeldCredential(
        origin="issued",
        uuid=credential.uuid,
        title=credential.title,
        issuer_id=_issuer_id(credential.document),
        issuer_name=credential.issuer.legal_name,
        issued_at=credential.issued_at,
        status=credential.lifecycle_status(),
        document=credential.document or {},
        credential=credential,
    )


def _held_imported(imported: ImportedCredential) -> HeldCredential:
    return HeldCredential(
        origin="imported",
        uuid=imported.uuid,
        title=imported.title,
        issuer_id=imported.issuer_id,
        issuer_name=imported.issuer_name,
        issued_at=imported.imported_at,
        status="external",
        document=imported.document,
        imported=imported,
    )


def _issuer_id(document: dict[str, Any] | None) -> str:
    issuer = (document or {}).get("issuer")
    if isinstance(issuer, dict):
        return str(issuer.get("id", ""))
    return str(issuer or "")


def imported_credentials(*, learner: Any) -> QuerySet[ImportedCredential]:
    return ImportedCredential.objects.filter(learner=learner).select_related(
        "registered_institution"
    )


def held_credentials(learner: Any) -> list[HeldCredential]:
    """Every credential the learner holds, issued here or imported, newest first, each with
    its JSON document. Revoked and suspended credentials are included with their status."""
    held = [_held_issued(c) for c in selectors.learner_credentials(learner=learner)]
    held += [_held_imported(i) for i in imported_credentials(learner=learner)]
    return sorted(held, key=lambda item: (item.issued_at is not None, item.issued_at), reverse=True)


def get_held_credential(*, learner: Any, uuid: Any) -> Credential:
    return selectors.get_learner_credential(learner=learner, uuid=uuid)


def get_imported_credential(*, learner: Any, uuid: Any) -> ImportedCredential:
    imported = imported_credentials(learner=learner).filter(uuid=uuid).first()
    if imported is None:
        raise Http404
    return imported


@dataclass
class PathwayGroup:
    pathway: Pathway
    progress: PathwayProgress
    credentials: list[Credential] = field(default_factory=list)


@dataclass
class WalletOverview:
    groups: list[PathwayGroup]
    other: list[Credential]
    imported: list[ImportedCredential]

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.other or self.imported)


def wallet_overview(*, learner: Any) -> WalletOverview:
    """The learner's credentials grouped by the pathways they count towards, with the
    progress towards each; credentials outside any pathway and imported ones apart."""
    credentials = list(selectors.learner_credentials(learner=learner))
    groups = [
        PathwayGroup(pathway=p.pathway, progress=p) for p in pathway_progress(learner=learner)
    ]
    grouped: set[int] = set()
    for group in groups:
        programme_ids = {programme.pk for programme in group.pathway.programmes.all()}
        for credential in credentials:
            version = credential.programme_version
            if (version is not None and version.programme_id in programme_ids) or (
                credential.pathway_id == group.pathway.pk
            ):
                group.credentials.append(credential)
                grouped.add(credential.pk)
    other = [credential for credential in credentials if credential.pk not in grouped]
    return WalletOverview(
        groups=groups, other=other, imported=list(imported_credentials(learner=learner))
    )


def next_expiry(overview: WalletOverview, share_links: Sequence[Any]) -> datetime | None:
    """The next moment a credential or share link on the wallet page expires."""
    now = timezone.now()
    moments = [
        moment
        for moment in (
            *(c.valid_until for c in overview.other),
            *(c.valid_until for group in overview.groups for c in group.credentials),
            *(getattr(link, "expires_at", None) for link in share_links),
        )
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


def public_verification_url(credential: Credential) -> str:
    """The page anyone can open (from the PDF's QR code, or LinkedIn) to check the credential."""
    return settings.PORTAL_BASE_URL + reverse(
        "verification:verify_stored_credential", kwargs={"uuid": credential.uuid}
    )


def linkedin_add_url(credential: Credential) -> str | None:
    """LinkedIn's "add a licence or certification" form, prefilled; None while the issuer
    has revoked or suspended the credential (a profile entry would claim what is withdrawn)."""
    if credential.lifecycle_status() in WITHDRAWN_STATUSES:
        return None
    issued = credential.issued_at
    params: dict[str, Any] = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.title,
        "organizationName": credential.issuer.legal_name,
    }
    if issued is not None:
        params["issueYear"] = issued.year
        params["issueMonth"] = issued.month
    params["certUrl"] = public_verification_url(credential)
    params["certId"] = str(credential.uuid)
    return f"{LINKEDIN_ADD_CERTIFICATION}?{urlencode(params)}"
