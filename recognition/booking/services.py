"""Preparing a final recognition for booking and the registrar's confirmation."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from portal.errors import ConflictError, DomainError
from portal.models import User
from recognition import permissions as recognition_permissions
from recognition.booking.models import BookingStatus, CreditType, DecisionBooking
from recognition.models import AppealRoute, Decision, RecognitionRequest
from recognition.services.common import _audit


def default_legal_basis() -> str:
    return _(
        "Convention on the Recognition of Qualifications concerning Higher Education in the "
        "European Region (Lisbon, 1997, ETS No. 165), Articles III.1, III.3 and III.5, and "
        "the institution's published recognition procedure."
    )


def default_remedies(case: RecognitionRequest) -> str:
    route = (
        _("the institution's admins")
        if case.appeals_decided_by == AppealRoute.INSTITUTION_ADMIN
        else _("another recognition officer of the institution")
    )
    return _(
        "An appeal within %(days)s calendar days of the decision, decided by %(route)s; "
        "after that, the remedies national law gives against the institution's decisions."
    ) % {"days": case.appeal_period_days, "route": route}


@transaction.atomic
def prepare_booking(
    *,
    officer: User,
    decision: Decision,
    term: str,
    credit_type: str = "",
    course_code: str = "",
    competent_body: str = "",
    legal_basis: str = "",
    remedies: str = "",
    now: datetime | None = None,
) -> DecisionBooking:
    """State what a final recognition books: the receiving course, term, type of credit,
    competent body, legal basis and remedies (the converted grade is the decision's)."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("request__institution", "request__target")
        .get(pk=decision.pk)
    )
    case = decision.request
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if (
        not decision.recognises
        or decision.final_at is None
        or case.final_decision_id != decision.pk
    ):
        raise ConflictError(
            _("Only the final decision of a recognition is booked."), code="not_final"
        )
    if DecisionBooking.objects.filter(decision=decision).exists():
        raise ConflictError(_("This decision is already prepared for booking."))
    term = term.strip()
    if not term:
        raise DomainError(_("Give the term the credits are booked in."), field="term")
    if not credit_type:
        credit_type = CreditType.COURSE if case.target_id else CreditType.FREE_ELECTIVE
    if credit_type not in CreditType.values:
        raise DomainError(_("Choose the type of credit."), field="credit_type")
    if credit_type == CreditType.COURSE and not (course_code or case.target_id):
        raise DomainError(_("Give the receiving course code."), field="course_code")
    booking = DecisionBooking.objects.create(
        decision=decision,
        course_code=(course_code or (case.target.code if case.target else "")).strip()[:40],
        term=term[:40],
        credit_type=credit_type,
        competent_body=(
            competent_body.strip()
            or _("Recognition office of %(institution)s")
            % {"institution": case.institution.legal_name}
        )[:300],
        legal_basis=(legal_basis.strip() or default_legal_basis())[:4000],
        remedies=(remedies.strip() or default_remedies(case))[:4000],
        prepared_by=officer,
        prepared_at=now or timezone.now(),
    )
    _audit(officer, "recognition.booking_prepared", case, decision=decision.pk, term=booking.term)
    return booking


@transaction.atomic
def confirm_booking(
    *, registrar: User, booking: DecisionBooking, sis_reference: str, now: datetime | None = None
) -> DecisionBooking:
    """The registrar confirms that the student system holds the credits."""
    booking = (
        DecisionBooking.objects.select_for_update(of=("self",))
        .select_related("decision__request")
        .get(pk=booking.pk)
    )
    case = booking.decision.request
    permissions.require(
        recognition_permissions.can_book_recognition_decisions(registrar, case.institution_id)
    )
    if booking.status == BookingStatus.BOOKED:
        raise ConflictError(
            _("Already booked (%(reference)s).") % {"reference": booking.sis_reference}
        )
    sis_reference = sis_reference.strip()
    if not sis_reference:
        raise DomainError(_("Give the student system's reference."), field="sis_reference")
    booking.status = BookingStatus.BOOKED
    booking.sis_reference = sis_reference[:100]
    booking.booked_by = registrar
    booking.booked_at = now or timezone.now()
    booking.save(update_fields=["status", "sis_reference", "booked_by", "booked_at"])
    _audit(
        registrar,
        "recognition.booked",
        case,
        decision=booking.decision_id,
        sis_reference=booking.sis_reference,
    )
    return booking
