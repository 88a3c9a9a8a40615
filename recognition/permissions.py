"""Who may see, assess and decide recognition requests, appeals, targets and agreements.

Built on the role helpers in `alliances.permissions` (one way of deciding access: same role
cache, same 404 rule through `get_object_or_404_for`, same audit of refusals).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from alliances.permissions import (
    ADMIN,
    OFFICER,
    REGISTRAR,
    administers_institution,
    is_operator,
    roles_of,
)

if TYPE_CHECKING:
    from recognition.models import Appeal, PreApproval, RecognitionRequest

RECOGNITION_STAFF = (OFFICER, ADMIN)


def assesses_recognition_at(user: Any, institution_id: int | None) -> bool:
    """Recognition officers and institution admins assess and decide requests there."""
    return roles_of(user).has(institution_id, *RECOGNITION_STAFF)


def recognition_institution_ids(user: Any) -> frozenset[int]:
    return roles_of(user).institutions_with(*RECOGNITION_STAFF)


def can_view_recognition_request(user: Any, request: RecognitionRequest) -> bool:
    """The learner who asked, and the receiving institution's officers and admins."""
    user_id = getattr(user, "pk", None)
    return (user_id is not None and request.learner_id == user_id) or assesses_recognition_at(
        user, request.institution_id
    )


def can_assess_recognition_request(user: Any, request: RecognitionRequest) -> bool:
    """Take, question and decide a case. Never one's own request."""
    return request.learner_id != getattr(user, "pk", None) and assesses_recognition_at(
        user, request.institution_id
    )


def can_act_as_recognition_learner(user: Any, request: RecognitionRequest) -> bool:
    """Answer questions, appeal, accept or withdraw: only the learner who asked."""
    return getattr(user, "pk", None) is not None and request.learner_id == user.pk


def can_manage_recognition_targets(user: Any, institution_id: int | None) -> bool:
    return is_operator(user) or assesses_recognition_at(user, institution_id)


def can_manage_recognition_policy(user: Any, institution_id: int | None) -> bool:
    return administers_institution(user, institution_id)


def can_manage_recognition_agreements(user: Any, institution_id: int | None) -> bool:
    """Only the receiving institution's officers and admins: an agreement binds the
    institution, and an alliance cannot bind a member it does not speak for (an alliance
    admin proposes blanket rules instead, which each member countersigns)."""
    return assesses_recognition_at(user, institution_id)


def can_propose_blanket_rule(user: Any, alliance_id: int) -> bool:
    """Admins of the alliance propose (and withdraw) its blanket recognition rules."""
    return alliance_id in roles_of(user).admin_of_alliances


def can_countersign_blanket_rule(user: Any, institution_id: int | None) -> bool:
    """A rule binds an institution only when its own officers or admins countersign."""
    return assesses_recognition_at(user, institution_id)


def can_decide_preapproval(user: Any, preapproval: PreApproval) -> bool:
    """The home institution's officers and admins, never for their own pre-approval."""
    return preapproval.learner_id != getattr(user, "pk", None) and assesses_recognition_at(
        user, preapproval.institution_id
    )


def can_view_preapproval(user: Any, preapproval: PreApproval) -> bool:
    user_id = getattr(user, "pk", None)
    return (user_id is not None and preapproval.learner_id == user_id) or assesses_recognition_at(
        user, preapproval.institution_id
    )


def can_decide_appeal(user: Any, appeal: Appeal) -> bool:
    """Appeals go to someone other than the officer who decided: another officer (or an
    admin) of the institution, or only its admins, as the institution's policy says."""
    user_id = getattr(user, "pk", None)
    if user_id is None or user_id in (appeal.decided_by_id, appeal.learner_id):
        return False
    if appeal.route == "institution_admin":
        return roles_of(user).has(appeal.institution_id, ADMIN)
    return assesses_recognition_at(user, appeal.institution_id)


def can_book_recognition_decisions(user: Any, institution_id: int | None) -> bool:
    """Registrars (and admins) of the receiving institution book decisions in its student
    system and confirm the booking."""
    return roles_of(user).has(institution_id, REGISTRAR, ADMIN)


def booking_institution_ids(user: Any) -> frozenset[int]:
    return roles_of(user).institutions_with(REGISTRAR, ADMIN)
