"""The learner's public profile: off by default; the learner publishes it with the credentials
they choose (issued here and valid or expired), and unpublishing removes it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from issuance.models import Credential
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import User
from wallet import permissions as wallet_permissions
from wallet.models import PublicProfile
from wallet.selectors import WITHDRAWN_STATUSES


@transaction.atomic
def publish_profile(
    *, learner: User, credentials: Sequence[Credential], headline: str = ""
) -> PublicProfile:
    """Publish (or update) the learner's profile with exactly these credentials."""
    for credential in credentials:
        permissions.require(wallet_permissions.can_share_credential(learner, credential))
    if not credentials:
        raise DomainError(_("Choose at least one credential to show."), field="credentials")
    withdrawn = [c.title for c in credentials if c.lifecycle_status() in WITHDRAWN_STATUSES]
    if withdrawn:
        raise DomainError(
            _("A revoked or suspended credential cannot be shown: %(titles)s")
            % {"titles": ", ".join(withdrawn)},
            field="credentials",
        )
    profile, created = PublicProfile.objects.get_or_create(learner=learner)
    profile.headline = headline.strip()[:160]
    if created:
        profile.published_at = timezone.now()
    profile.save()
    profile.credentials.set(credentials)
    record_event(
        actor=learner,
        action="public_profile.published",
        target=profile,
        data={"credentials": [str(c.uuid) for c in credentials]},
    )
    return profile


@transaction.atomic
def unpublish_profile(*, learner: User) -> None:
    deleted, _by_model = PublicProfile.objects.filter(learner=learner).delete()
    if deleted:
        record_event(actor=learner, action="public_profile.unpublished", target=learner)


def profile_of(*, learner: Any) -> PublicProfile | None:
    return PublicProfile.objects.filter(learner=learner).prefetch_related("credentials").first()


def get_public_profile(*, slug: str) -> PublicProfile:
    profile = (
        PublicProfile.objects.select_related("learner")
        .filter(slug=slug, learner__is_active=True)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def shown_credentials(profile: PublicProfile) -> QuerySet[Credential]:
    """The chosen credentials that are issued, newest first (a credential revoked after
    publication stays listed with its status, like on a share link)."""
    return (
        profile.credentials.filter(state="issued")
        .select_related("issuer")
        .order_by("-issued_at", "-pk")
    )


def profile_url(profile: PublicProfile) -> str:
    return settings.PORTAL_BASE_URL + reverse(
        "wallet:public_profile", kwargs={"slug": profile.slug}
    )
