"""Writes of pathways: programmes combined under rules towards a larger credential."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import Alliance, Institution
from catalogue.models import (
    Pathway,
    PathwayRule,
    Programme,
    ProgrammeStatus,
)
from catalogue.services.programmes import _check_alliance_members
from catalogue.texts import clean_language_map
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User


@transaction.atomic
def create_pathway(
    *,
    actor: User,
    owner: Institution,
    alliance: Alliance,
    slug: str,
    title: dict[str, str],
    rule: str,
    programme_ids: Iterable[int],
    description: dict[str, str] | None = None,
    required_count: int | None = None,
    min_ects: Decimal | None = None,
) -> Pathway:
    permissions.require(permissions.can_create_programme(actor, owner.pk))
    _check_alliance_members(alliance, [owner.pk])
    wanted = set(programme_ids)
    programmes = list(
        Programme.objects.filter(pk__in=wanted, alliance=alliance, published_version__isnull=False)
        .exclude(status=ProgrammeStatus.ARCHIVED)
        .order_by("pk")
    )
    if not programmes or len(programmes) != len(wanted):
        raise DomainError(
            _("Choose published programmes of the pathway's alliance."), field="programmes"
        )
    if rule not in PathwayRule.values:
        raise DomainError(_("Unknown rule."), field="rule")
    if rule == PathwayRule.N_OF and not (required_count and 0 < required_count <= len(programmes)):
        raise DomainError(
            _("Say how many of the %(count)s programmes are needed.") % {"count": len(programmes)},
            field="required_count",
        )
    if rule == PathwayRule.MIN_ECTS and not (min_ects and min_ects > 0):
        raise DomainError(_("Say how many ECTS credits are needed."), field="min_ects")
    if not clean_language_map(title).get("en"):
        raise DomainError(_("Give the pathway an English title."), field="title")
    if Pathway.objects.filter(slug=slug).exists():
        raise ConflictError(_("Another pathway already uses this address name."), field="slug")
    pathway = Pathway.objects.create(
        owner=owner,
        alliance=alliance,
        slug=slug,
        title=clean_language_map(title),
        description=clean_language_map(description or {}),
        rule=rule,
        required_count=required_count if rule == PathwayRule.N_OF else None,
        min_ects=min_ects,
    )
    pathway.programmes.set(programmes)
    record_event(actor=actor, action="pathway.created", target=pathway, institution_id=owner.pk)
    return pathway
