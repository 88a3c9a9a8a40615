"""The officer's handling of a case: taking and releasing it, and the exchange of
requests for information with the learner.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliances import permissions
from portal.errors import ConflictError, DomainError
from portal.models import User
from portal.notifications import notify_by_email
from recognition import clock
from recognition import permissions as recognition_permissions
from recognition.models import (
    DECIDABLE_STATUSES,
    CaseMessage,
    ClockPause,
    MessageKind,
    RecognitionRequest,
    RequestStatus,
)
from recognition.services.common import _audit, _lock, _now
from recognition.services.submission import (
    AttachmentInput,
    _check_attachment_quota,
    _check_attachments,
    _store_attachments,
)


def _refuse_if_leased_by_other(case: RecognitionRequest, officer: User, now: datetime) -> None:
    if case.lease_held_by_other(officer, now):
        holder = case.assigned_to.display_name if case.assigned_to else ""
        raise ConflictError(
            _(
                "%(name)s is assessing this case until %(time)s; it cannot be taken or decided by someone else meanwhile."
            )
            % {
                "name": holder,
                "time": timezone.localtime(case.lease_expires_at).strftime("%H:%M"),
            },
            code="case_taken",
        )


@transaction.atomic
def take_case(
    *, officer: User, case: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    """Assign the case to the officer for a while (a lease), so that two officers do not
    assess it at once. Taking it again renews the lease."""
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if case.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _("This case cannot be taken now: %(status)s.") % {"status": case.get_status_display()}
        )
    _refuse_if_leased_by_other(case, officer, now)
    case.assigned_to = officer
    case.lease_expires_at = now + clock.CASE_LEASE
    case.status = RequestStatus.IN_REVIEW
    case.updated_at = now
    case.save()
    _audit(officer, "recognition.taken", case, until=case.lease_expires_at.isoformat())
    return case


@transaction.atomic
def release_case(
    *, officer: User, case: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if case.assigned_to_id != officer.pk:
        raise ConflictError(_("You have not taken this case."))
    case.assigned_to = None
    case.lease_expires_at = None
    if case.status == RequestStatus.IN_REVIEW:
        case.status = RequestStatus.SUBMITTED
    case.updated_at = now
    case.save()
    _audit(officer, "recognition.released", case)
    return case


def _notify_learner(case: RecognitionRequest, template: str, **context: Any) -> None:
    learner = case.learner
    notify_by_email(
        recipient=learner.email,
        template=f"recognition/email/{template}",
        context={
            "request": case,
            "learner": learner,
            "institution": case.institution,
            "case_url": f"{settings.PORTAL_BASE_URL}/recognition/requests/{case.pk}/",
            **context,
        },
        language=learner.preferred_language or None,
    )


def notify_institution_staff(
    case: RecognitionRequest,
    template: str,
    *,
    roles: tuple[str, ...] = (permissions.ADMIN, permissions.OFFICER),
    **context: Any,
) -> int:
    """E-mail the receiving institution's staff holding `roles`, each in their language."""
    return notify_staff_of(
        case.institution_id,
        template,
        roles=roles,
        context={
            "request": case,
            "institution": case.institution,
            "case_url": f"{settings.PORTAL_BASE_URL}/recognition/manage/cases/{case.pk}/",
            **context,
        },
    )


def notify_staff_of(
    institution_id: int,
    template: str,
    *,
    roles: tuple[str, ...] = (permissions.ADMIN, permissions.OFFICER),
    context: dict[str, Any],
) -> int:
    staff = User.objects.filter(
        institution_roles__institution_id=institution_id,
        institution_roles__role__in=roles,
        is_active=True,
    ).distinct()
    for person in staff:
        notify_by_email(
            recipient=person.email,
            template=f"recognition/email/{template}",
            context={"recipient": person, **context},
            language=person.preferred_language or None,
        )
    return len(staff)


@transaction.atomic
def request_information(
    *, officer: User, case: RecognitionRequest, question: str, now: datetime | None = None
) -> CaseMessage:
    """Ask the learner for more information; the clock stops until the learner answers."""
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_assess_recognition_request(officer, case))
    if case.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _(
                "Information can only be requested while the case is open and not already waiting for the learner."
            )
        )
    _refuse_if_leased_by_other(case, officer, now)
    question = question.strip()
    if not question:
        raise DomainError(_("Write what you need from the learner."), field="question")
    message = CaseMessage.objects.create(
        request=case,
        author=officer,
        kind=MessageKind.INFORMATION_REQUEST,
        body=question[:4000],
        created_at=now,
    )
    ClockPause.objects.create(request=case, started_at=now, question=message)
    case.status = RequestStatus.AWAITING_LEARNER
    case.paused_since = now
    case.assigned_to = officer
    case.updated_at = now
    case.save()
    _audit(officer, "recognition.information_requested", case, message=message.pk)
    _notify_learner(case, "information_requested", question=message.body)
    return message


@transaction.atomic
def answer_information(
    *,
    learner: User,
    case: RecognitionRequest,
    answer: str,
    attachments: Sequence[AttachmentInput] = (),
    now: datetime | None = None,
) -> CaseMessage:
    """The learner answers; the clock resumes and the deadline moves by the time it stood."""
    now = _now(now)
    case = _lock(case)
    permissions.require(recognition_permissions.can_act_as_recognition_learner(learner, case))
    if case.status != RequestStatus.AWAITING_LEARNER or case.paused_since is None:
        raise ConflictError(_("No question is waiting for your answer."))
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer."), field="answer")
    checked = _check_attachments(attachments)
    _check_attachment_quota(learner, case, checked)
    message = CaseMessage.objects.create(
        request=case, author=learner, kind=MessageKind.ANSWER, body=answer[:4000], created_at=now
    )
    _store_attachments(case, learner, checked)
    ClockPause.objects.filter(request=case, ended_at__isnull=True).update(ended_at=now)
    paused_for = now - case.paused_since
    case.deadline_at = clock.deadline_after_pause(
        case.deadline_at, case.paused_since, now, case.institution.zone
    )
    case.paused_since = None
    case.status = RequestStatus.IN_REVIEW if case.assigned_to_id else RequestStatus.SUBMITTED
    case.updated_at = now
    case.save()
    _audit(
        learner,
        "recognition.information_provided",
        case,
        message=message.pk,
        paused_seconds=int(paused_for.total_seconds()),
        deadline=case.deadline_at.isoformat(),
    )
    if case.assigned_to is not None:
        notify_by_email(
            recipient=case.assigned_to.email,
            template="recognition/email/information_provided",
            context={
                "request": case,
                "institution": case.institution,
                "case_url": f"{settings.PORTAL_BASE_URL}/recognition/manage/cases/{case.pk}/",
            },
            language=case.assigned_to.preferred_language or settings.LANGUAGE_CODE,
        )
    return message
