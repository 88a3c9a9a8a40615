"""A programme's badge image: staff upload one (PNG) or go back to the drawn one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from alliances import permissions
from catalogue import badge_images
from catalogue import permissions as catalogue_permissions
from catalogue.models import Programme, ProgrammeBadge
from portal.audit import record_event
from portal.models import User


@transaction.atomic
def upload_programme_badge(*, actor: User, programme: Programme, data: bytes) -> ProgrammeBadge:
    """Keep an uploaded badge (checked and re-encoded as PNG) for the programme."""
    permissions.require(catalogue_permissions.can_edit_programme(actor, programme))
    png = badge_images.clean_upload(data)
    badge, _created = ProgrammeBadge.objects.update_or_create(
        programme=programme,
        defaults={"png": png, "uploaded_at": timezone.now(), "uploaded_by": actor},
    )
    record_event(
        actor=actor,
        action="programme.badge_uploaded",
        target=programme,
        institution_id=programme.coordinator_id,
        data={"bytes": len(png)},
    )
    return badge


@transaction.atomic
def remove_programme_badge(*, actor: User, programme: Programme) -> None:
    """Go back to the badge the portal draws."""
    permissions.require(catalogue_permissions.can_edit_programme(actor, programme))
    deleted, _rows = ProgrammeBadge.objects.filter(programme=programme).delete()
    if deleted:
        record_event(
            actor=actor,
            action="programme.badge_removed",
            target=programme,
            institution_id=programme.coordinator_id,
        )
