"""Institution logos: an uploaded image is checked and redrawn as a small PNG before it is
stored, so what the portal serves (on pages, share links and certificates) is always a plain
image of a known size, whatever the file held (metadata, a script in an SVG, a polyglot)."""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from alliances import permissions
from alliances.models import Institution
from portal.audit import record_event
from portal.errors import DomainError
from portal.models import User

LOGO_MAX_BYTES = 1024 * 1024
LOGO_ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP"}
LOGO_MAX_SOURCE_PIXELS = 4096 * 4096
# Drawn at most this size (in pixels): enough for a certificate at print resolution.
LOGO_BOX = (600, 600)
LOGO_MIN_SIDE = 32


def redrawn_logo(data: bytes) -> bytes:
    """The uploaded image as a PNG inside LOGO_BOX, or a DomainError saying what is wrong."""
    if len(data) > LOGO_MAX_BYTES:
        raise DomainError(_("The logo may be at most 1 MB."), field="logo")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in LOGO_ACCEPTED_FORMATS:
                raise DomainError(_("The logo must be a PNG, JPEG or WebP image."), field="logo")
            width, height = image.size
            if width * height > LOGO_MAX_SOURCE_PIXELS:
                raise DomainError(_("The logo may be at most 4096 by 4096 pixels."), field="logo")
            if min(width, height) < LOGO_MIN_SIDE:
                raise DomainError(
                    _("The logo must be at least 32 pixels wide and high."), field="logo"
                )
            image.load()
            drawn = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as error:
        raise DomainError(_("The logo must be a PNG, JPEG or WebP image."), field="logo") from error
    drawn.thumbnail(LOGO_BOX)
    output = io.BytesIO()
    drawn.save(output, format="PNG", optimize=True)
    return output.getvalue()


@transaction.atomic
def set_institution_logo(*, actor: User, institution: Institution, data: bytes) -> Institution:
    permissions.require(permissions.can_edit_institution(actor, institution))
    png = redrawn_logo(data)
    if institution.logo:
        institution.logo.delete(save=False)
    institution.logo.save(f"{institution.slug}.png", ContentFile(png), save=False)
    institution.save(update_fields=["logo"])
    record_event(
        actor=actor,
        action="institution.logo_set",
        target=institution,
        institution_id=institution.pk,
        data={"bytes": len(png)},
    )
    return institution


@transaction.atomic
def remove_institution_logo(*, actor: User, institution: Institution) -> Institution:
    permissions.require(permissions.can_edit_institution(actor, institution))
    if institution.logo:
        institution.logo.delete(save=False)
        institution.logo = None
        institution.save(update_fields=["logo"])
        record_event(
            actor=actor,
            action="institution.logo_removed",
            target=institution,
            institution_id=institution.pk,
        )
    return institution
