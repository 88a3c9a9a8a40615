"""Writes of offerings: a programme version's runs with their dates, places and delivery."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from alliances import permissions
from catalogue import permissions as catalogue_permissions
from catalogue.models import (
    Offering,
    Programme,
    ProgrammeStatus,
)
from catalogue.services.common import _full_clean
from catalogue.services.enrolment import _lock_offering, _promote_waiting
from catalogue.services.programmes import _lock, _reload
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User

OFFERING_FIELDS = {
    "starts_on",
    "ends_on",
    "enrolment_opens_on",
    "enrolment_closes_on",
    "capacity",
    "credential_release",
    "language",
}


def _check_offering_dates(offering: Offering) -> None:
    if offering.ends_on < offering.starts_on:
        raise DomainError(_("The offering must end after it starts."), field="ends_on")
    if offering.enrolment_closes_on < offering.enrolment_opens_on:
        raise DomainError(_("Enrolment must close after it opens."), field="enrolment_closes_on")
    if offering.enrolment_closes_on > offering.ends_on:
        raise DomainError(
            _("Enrolment must close before the offering ends."), field="enrolment_closes_on"
        )


def _check_delivery(programme: Programme, delivery_ids: set[int]) -> None:
    allowed = {programme.coordinator_id} | programme.partner_institution_ids
    if not delivery_ids or not delivery_ids <= allowed:
        raise DomainError(
            _("Delivering institutions must be the coordinator or partners of the programme."),
            field="delivery_institutions",
        )


@transaction.atomic
def create_offering(
    *,
    actor: User,
    programme: Programme,
    code: str,
    data: dict[str, Any],
    delivery_institution_ids: Iterable[int],
) -> Offering:
    """Open a cohort of the current published version."""
    permissions.require(catalogue_permissions.can_manage_offerings(actor, programme))
    programme = _lock(programme)
    if programme.published_version is None or programme.status == ProgrammeStatus.ARCHIVED:
        raise ConflictError(_("Publish the programme before opening offerings."))
    unknown = set(data) - OFFERING_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    delivery = set(delivery_institution_ids)
    _check_delivery(programme, delivery)
    if Offering.objects.filter(code=code).exists():
        raise ConflictError(_("Another offering already uses this reference."), field="code")
    offering = Offering(programme=programme, version=programme.published_version, code=code, **data)
    _full_clean(offering, exclude=["programme", "version"])
    _check_offering_dates(offering)
    if offering.language not in programme.published_version.snapshot["languages"]:
        raise DomainError(
            _("Choose one of the programme's languages of instruction."), field="language"
        )
    offering.save()
    offering.delivery_institutions.set(delivery)
    record_event(
        actor=actor,
        action="offering.created",
        target=offering,
        institution_id=programme.coordinator_id,
        data={"version": programme.published_version.number},
    )
    return offering


@transaction.atomic
def update_offering(
    *,
    actor: User,
    offering: Offering,
    data: dict[str, Any],
    delivery_institution_ids: Iterable[int] | None = None,
) -> Offering:
    """Change dates or capacity; a larger capacity promotes learners from the waiting list."""
    permissions.require(catalogue_permissions.can_manage_offerings(actor, offering.programme))
    offering = _lock_offering(offering.pk)
    unknown = set(data) - OFFERING_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed: %s") % ", ".join(sorted(unknown)))
    for name, value in data.items():
        setattr(offering, name, value)
    _full_clean(offering, exclude=["programme", "version", "code"])
    _check_offering_dates(offering)
    if offering.capacity < offering.enrolled_count:
        raise ConflictError(
            _("%(count)s learners are enrolled: the capacity cannot be smaller.")
            % {"count": offering.enrolled_count},
            field="capacity",
        )
    offering.save()
    if delivery_institution_ids is not None:
        delivery = set(delivery_institution_ids)
        _check_delivery(_reload(offering.programme), delivery)
        offering.delivery_institutions.set(delivery)
    _promote_waiting(offering)
    record_event(
        actor=actor,
        action="offering.updated",
        target=offering,
        institution_id=offering.programme.coordinator_id,
        data={"fields": sorted(data)},
    )
    return offering
