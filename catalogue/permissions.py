"""Who may do what with programmes, offerings and results.

Built on the role helpers in `alliances.permissions` (one way of deciding access: same role
cache, same 404 rule through `get_object_or_404_for`, same audit of refusals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.permissions import ADMIN, MANAGER, MENTOR, roles_of

if TYPE_CHECKING:
    from catalogue.models import Offering, Programme


def manages_programmes_at(user: Any, institution_id: int | None) -> bool:
    """Programme manager or institution admin there, or operator."""
    index = roles_of(user)
    return index.is_operator or index.has(institution_id, ADMIN, MANAGER)


def programme_institution_ids_managed_by(user: Any) -> frozenset[int]:
    return roles_of(user).institutions_with(ADMIN, MANAGER)


def can_create_programme(user: Any, institution_id: int | None) -> bool:
    return manages_programmes_at(user, institution_id)


def can_edit_programme(user: Any, programme: Programme) -> bool:
    """Only the coordinating institution edits, submits, withdraws and archives."""
    return manages_programmes_at(user, programme.coordinator_id)


def can_view_programme_work(user: Any, programme: Programme) -> bool:
    """Drafts, approvals and versions: staff of the coordinator and of every partner."""
    if can_edit_programme(user, programme):
        return True
    return any(
        manages_programmes_at(user, institution_id)
        for institution_id in programme.partner_institution_ids
    )


def can_approve_programme(user: Any, programme: Programme, institution_id: int) -> bool:
    """A programme manager or admin of that partner institution approves for it."""
    return institution_id in programme.partner_institution_ids and manages_programmes_at(
        user, institution_id
    )


def can_manage_offerings(user: Any, programme: Programme) -> bool:
    return can_edit_programme(user, programme)


def can_view_offering_staff_data(user: Any, offering: Offering) -> bool:
    """Enrolment lists and results: the coordinator's and delivering institutions' staff."""
    if can_manage_offerings(user, offering.programme):
        return True
    return any(
        manages_programmes_at(user, institution_id)
        for institution_id in offering.delivery_institution_ids
    )


def can_record_results(user: Any, offering: Offering) -> bool:
    """Staff of a delivering institution record results (the coordinator only if it
    delivers the offering too), and the mentors assigned to the offering."""
    return any(
        manages_programmes_at(user, institution_id)
        for institution_id in offering.delivery_institution_ids
    ) or mentors_offering(user, offering)


def mentors_offering(user: Any, offering: Offering) -> bool:
    """A mentor assigned to this offering who still holds the mentor role at the organisation
    they were assigned for."""
    from catalogue.models import OfferingMentor

    user_id = getattr(user, "pk", None)
    if user_id is None:
        return False
    organisation_ids = OfferingMentor.objects.filter(
        offering_id=offering.pk, mentor_id=user_id
    ).values_list("organisation_id", flat=True)
    return any(roles_of(user).has(organisation_id, MENTOR) for organisation_id in organisation_ids)
