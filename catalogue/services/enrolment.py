"""Enrolment in an offering: enrolling, withdrawing and moving the waiting list up."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from catalogue.models import (
    ACTIVE_ENROLMENT,
    AssessmentResult,
    Enrolment,
    EnrolmentStatus,
    Offering,
    ProgrammeStatus,
)
from portal.audit import record_event
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email


def _lock_offering(offering_id: int) -> Offering:
    # Lock the offering row only: joined rows (programme, version) stay free, so enrolments
    # in other offerings of the same programme do not wait for each other.
    return (
        Offering.objects.select_for_update(of=("self",))
        .select_related("programme", "version")
        .get(pk=offering_id)
    )


def _promote_waiting(offering: Offering) -> list[Enrolment]:
    """Move learners from the waiting list into free places, first come first served.
    The caller holds the offering's row lock."""
    free = offering.capacity - offering.enrolled_count
    if free <= 0:
        return []
    promoted = list(
        Enrolment.objects.filter(offering=offering, status=EnrolmentStatus.WAITLISTED)
        .select_related("learner")
        .order_by("waitlisted_at", "id")[:free]
    )
    now = timezone.now()
    for enrolment in promoted:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at"])
        record_event(
            actor=None,
            action="enrolment.promoted",
            target=enrolment,
            institution_id=offering.programme.coordinator_id,
            data={"learner": enrolment.learner_id},
        )
        notify_by_email(
            recipient=enrolment.learner.email,
            template="catalogue/email/promoted",
            context={
                "learner": enrolment.learner,
                "offering": offering,
                "title": offering.version.title_en,
                "url": settings.PORTAL_BASE_URL + reverse("dashboard"),
            },
            language=enrolment.learner.preferred_language or None,
        )
    if promoted:
        offering.enrolled_count += len(promoted)
        offering.save(update_fields=["enrolled_count"])
    return promoted


class NotInCatalogueError(DomainError):
    """An offering of a programme that is not (or no longer) in the catalogue."""

    status_code = 404
    code = "not_found"

    def __init__(self) -> None:
        super().__init__(_("This offering is not in the catalogue."))


@transaction.atomic
def enrol(*, learner: User, offering: Offering) -> Enrolment:
    """Enrol the learner, or put them on the waiting list when the offering is full.

    The offering row is locked for the whole decision, so two learners racing for the last
    place are serialised: one gets it, the other is waitlisted.
    """
    offering = _lock_offering(offering.pk)
    programme = offering.programme
    if programme.published_version is None or programme.status == ProgrammeStatus.ARCHIVED:
        raise NotInCatalogueError()
    if not offering.is_open_on(timezone.localdate()):
        raise ConflictError(
            _("Enrolment for this offering is open from %(opens)s to %(closes)s.")
            % {"opens": offering.enrolment_opens_on, "closes": offering.enrolment_closes_on}
        )
    if Enrolment.objects.filter(ACTIVE_ENROLMENT, offering=offering, learner=learner).exists():
        raise ConflictError(_("You are already enrolled or on the waiting list."))
    now = timezone.now()
    if offering.enrolled_count < offering.capacity:
        status = EnrolmentStatus.ENROLLED
        offering.enrolled_count += 1
        offering.save(update_fields=["enrolled_count"])
    else:
        status = EnrolmentStatus.WAITLISTED
    try:
        with transaction.atomic():
            enrolment = Enrolment.objects.create(
                offering=offering,
                learner=learner,
                version=offering.version,
                status=status,
                enrolled_at=now if status == EnrolmentStatus.ENROLLED else None,
                waitlisted_at=now if status == EnrolmentStatus.WAITLISTED else None,
            )
    except IntegrityError as error:
        raise ConflictError(_("You are already enrolled or on the waiting list.")) from error
    record_event(
        actor=learner,
        action=f"enrolment.{status}",
        target=enrolment,
        institution_id=programme.coordinator_id,
        data={"offering": offering.code},
    )
    notify_by_email(
        recipient=learner.email,
        template=(
            "catalogue/email/enrolled"
            if status == EnrolmentStatus.ENROLLED
            else "catalogue/email/waitlisted"
        ),
        context={
            "learner": learner,
            "offering": offering,
            "title": offering.version.title_en,
            "url": settings.PORTAL_BASE_URL + reverse("dashboard"),
        },
        language=learner.preferred_language or None,
    )
    return enrolment


@transaction.atomic
def withdraw(*, actor: User, enrolment: Enrolment) -> Enrolment:
    """The learner leaves an offering (or its waiting list); a freed place goes to the
    first learner waiting."""
    if enrolment.learner_id != actor.pk:
        permissions.require(False)
    offering = _lock_offering(enrolment.offering_id)
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == EnrolmentStatus.WITHDRAWN:
        return enrolment
    if AssessmentResult.objects.filter(enrolment=enrolment).exists():
        raise ConflictError(_("Your result is recorded: you can no longer withdraw."))
    was_enrolled = enrolment.status == EnrolmentStatus.ENROLLED
    enrolment.status = EnrolmentStatus.WITHDRAWN
    enrolment.withdrawn_at = timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    if was_enrolled:
        offering.enrolled_count -= 1
        offering.save(update_fields=["enrolled_count"])
        _promote_waiting(offering)
    record_event(
        actor=actor,
        action="enrolment.withdrawn",
        target=enrolment,
        institution_id=offering.programme.coordinator_id,
    )
    return enrolment
