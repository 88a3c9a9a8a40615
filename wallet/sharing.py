"""Share links: a learner shows one credential, or a bundle of them, to whoever holds the link.

The link's token is a bearer secret (unguessable, 192 random bits); the page behind it
verifies every credential live, so a credential revoked after sharing shows as revoked. A
bundle is served as a Verifiable Presentation: an unsigned presentation of the signed
credentials (the portal does not hold learners' keys, so it cannot prove who is presenting;
the verifier says so). Share pages never show the learner's e-mail address.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from credential_format.contexts import CREDENTIALS_V2_URL
from issuance import usage
from issuance.models import Credential, UsageEvent
from portal import counters, epochs
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from wallet import permissions as wallet_permissions
from wallet.models import ImportedCredential, ShareLink
from wallet.selectors import WITHDRAWN_STATUSES

MAX_CREDENTIALS_PER_LINK = 50


@transaction.atomic
def create_share_link(
    *,
    learner: User,
    name: str,
    credentials: Sequence[Credential] = (),
    imported: Sequence[ImportedCredential] = (),
    expires_at: datetime | None = None,
) -> ShareLink:
    """A named link to one or more of the learner's own credentials, optionally expiring."""
    shared: list[Credential | ImportedCredential] = [*credentials, *imported]
    for item in shared:
        permissions.require(wallet_permissions.can_share_credential(learner, item))
    withdrawn = [c.title for c in credentials if c.lifecycle_status() in WITHDRAWN_STATUSES]
    if withdrawn:
        raise ConflictError(
            _("A revoked or suspended credential cannot be shared: %(titles)s")
            % {"titles": ", ".join(withdrawn)},
            field="credentials",
        )
    name = name.strip()
    if not name:
        raise DomainError(_("Give the link a name, so you recognise it later."), field="name")
    if not credentials and not imported:
        raise DomainError(_("Choose at least one credential to share."), field="credentials")
    if len(credentials) + len(imported) > MAX_CREDENTIALS_PER_LINK:
        raise DomainError(
            _("A link can hold at most %(count)s credentials.")
            % {"count": MAX_CREDENTIALS_PER_LINK},
            field="credentials",
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise DomainError(_("The expiry date must be in the future."), field="expires_at")
    link = ShareLink.objects.create(learner=learner, name=name[:120], expires_at=expires_at)
    link.credentials.set(credentials)
    link.imported_credentials.set(imported)
    usage.record_usage(credentials, UsageEvent.SHARED)
    record_event(
        actor=learner,
        action="share_link.created",
        target=link,
        data={
            "credentials": [str(c.uuid) for c in credentials],
            "imported": [str(i.uuid) for i in imported],
            "expires_at": expires_at.isoformat() if expires_at else None,
        },
    )
    return link


@transaction.atomic
def revoke_share_link(*, learner: User, link: ShareLink) -> ShareLink:
    """The link stops working at once; its view count is kept for the learner."""
    permissions.require(wallet_permissions.can_manage_share_link(learner, link))
    link = ShareLink.objects.select_for_update().get(pk=link.pk)
    if link.revoked_at is not None:
        raise ConflictError(_("This link is already revoked."))
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    record_event(actor=learner, action="share_link.revoked", target=link)
    return link


SHARE_VIEWS = "share-views"
IDENTITY_CACHE_SECONDS = 24 * 3600


def record_share_view(link_id: int) -> None:
    """Count one view of an active link: in Redis where there is one (written to the database
    by `write_buffered_share_views`), else in the database at once."""
    if not counters.add(SHARE_VIEWS, link_id):
        _write_share_views({link_id: 1})


def write_buffered_share_views() -> int:
    """Move the views counted in Redis into the database (run periodically): the links' view
    counts and last views (the time of writing), and the offerings' usage figures; how many
    links were viewed."""
    with counters.draining(SHARE_VIEWS) as counts:
        _write_share_views({int(pk): views for pk, views in counts.items()})
    return len(counts)


@transaction.atomic
def _write_share_views(views_by_link: dict[int, int]) -> None:
    if not views_by_link:
        return
    now = timezone.now()
    for pk, views in views_by_link.items():
        ShareLink.objects.filter(pk=pk).update(
            view_count=F("view_count") + views, last_viewed_at=now
        )
    for link in ShareLink.objects.filter(pk__in=list(views_by_link)).prefetch_related(
        Prefetch("credentials", queryset=Credential.objects.select_related("result"))
    ):
        usage.record_usage(link.credentials.all(), UsageEvent.VIEWED, views_by_link[link.pk])
    # The wallet shows the counts.
    learner_ids = (
        ShareLink.objects.filter(pk__in=list(views_by_link))
        .values_list("learner_id", flat=True)
        .distinct()
    )
    epochs.bump(*(epochs.share_views(learner_id) for learner_id in learner_ids))


# -- reads ------------------------------------------------------------------------------------


def learner_share_links(*, learner: Any) -> QuerySet[ShareLink]:
    return (
        ShareLink.objects.filter(learner=learner)
        .prefetch_related("credentials", "imported_credentials")
        .order_by("-created_at", "-pk")
    )


def get_learner_share_link(*, learner: Any, pk: int) -> ShareLink:
    return permissions.get_object_or_404_for(
        ShareLink.objects.all(), learner, wallet_permissions.can_manage_share_link, pk=pk
    )


class ShareLinkIdentity(NamedTuple):
    pk: int
    learner_id: int


def share_link_identity(*, token: str) -> ShareLinkIdentity:
    """Which link a token opens and whose it is (404 for an unknown token). Neither ever
    changes, so the answer is kept in the cache."""
    key = f"share-link:{token}"
    identity: tuple[int, int] | None = cache.get(key)
    if identity is None:
        identity = ShareLink.objects.filter(token=token).values_list("pk", "learner_id").first()
        if identity is None:
            raise Http404
        cache.set(key, tuple(identity), IDENTITY_CACHE_SECONDS)
    return ShareLinkIdentity(*identity)


def get_shared_link(*, token: str) -> ShareLink:
    """The link behind a token, whatever its state (the page explains expiry and
    revocation), also after the learner deleted the account; 404 for an unknown token."""
    link = (
        ShareLink.objects.select_related("learner")
        .prefetch_related(
            Prefetch(
                "credentials",
                queryset=Credential.objects.select_related("issuer", "status_list"),
            ),
            "imported_credentials",
        )
        .filter(token=token)
        .first()
    )
    if link is None:
        raise Http404
    return link


def shared_credentials(link: ShareLink) -> list[Credential]:
    """The credentials issued here that a link shows, with what verifying them reads."""
    return [credential for credential in link.credentials.all() if credential.document]


def shared_documents(link: ShareLink) -> list[dict[str, Any]]:
    documents = [c.document for c in link.credentials.all() if c.document]
    documents += [i.document for i in link.imported_credentials.all()]
    return documents


def share_url(link: ShareLink) -> str:
    return settings.PORTAL_BASE_URL + reverse("wallet:shared", kwargs={"token": link.token})


def shared_presentation(link: ShareLink) -> dict[str, Any]:
    """The shared credentials as one (unsigned) Verifiable Presentation."""
    return {
        "@context": [CREDENTIALS_V2_URL],
        "type": ["VerifiablePresentation"],
        "verifiableCredential": shared_documents(link),
    }


_SHARE_PATH = re.compile(r"^/s/([A-Za-z0-9_-]{1,64})/(?:presentation\.json)?$")


def document_behind_share_path(path: str, **kwargs: Any) -> dict[str, Any] | None:
    """Receiver of `verification.signals.local_document_requested`: what a share link shows
    (its one credential, or the bundle of several). Http404 for an expired or revoked link."""
    match = _SHARE_PATH.match(path)
    if match is None:
        return None
    link = get_shared_link(token=match.group(1))
    if link.state() != "active":
        raise Http404
    documents = shared_documents(link)
    return documents[0] if len(documents) == 1 else shared_presentation(link)
