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
from recognition.models import (
    DECIDABLE_STATUSES,
    CaseMessage,
    ClockPause,
    MessageKind,
    RecognitionRequest,
    RequestStatus,
)
from recognition.services.common import _audit, _lock, _now
from recognition.services.submission import AttachmentInput, _check_attachments, _store_attachments


def _refuse_if_leased_by_other(request: RecognitionRequest, officer: User, now: datetime) -> None:
    if request.lease_held_by_other(officer, now):
        holder = request.assigned_to.display_name if request.assigned_to else ""
        raise ConflictError(
            _(
                "%(name)s is assessing this case until %(time)s; it cannot be taken or decided by someone else meanwhile."
            )
            % {
                "name": holder,
                "time": timezone.localtime(request.lease_expires_at).strftime("%H:%M"),
            },
            code="case_taken",
        )


@transaction.atomic
def take_case(
    *, officer: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    """Assign the case to the officer for a while (a lease), so that two officers do not
    assess it at once. Taking it again renews the lease."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _("This case cannot be taken now: %(status)s.")
            % {"status": request.get_status_display()}
        )
    _refuse_if_leased_by_other(request, officer, now)
    request.assigned_to = officer
    request.lease_expires_at = now + clock.CASE_LEASE
    request.status = RequestStatus.IN_REVIEW
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.taken", request, until=request.lease_expires_at.isoformat())
    return request


@transaction.atomic
def release_case(
    *, officer: User, request: RecognitionRequest, now: datetime | None = None
) -> RecognitionRequest:
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.assigned_to_id != officer.pk:
        raise ConflictError(_("You have not taken this case."))
    request.assigned_to = None
    request.lease_expires_at = None
    if request.status == RequestStatus.IN_REVIEW:
        request.status = RequestStatus.SUBMITTED
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.released", request)
    return request


def _notify_learner(request: RecognitionRequest, template: str, **context: Any) -> None:
    learner = request.learner
    notify_by_email(
        recipient=learner.email,
        template=f"recognition/email/{template}",
        context={
            "request": request,
            "learner": learner,
            "institution": request.institution,
            "case_url": f"{settings.PORTAL_BASE_URL}/recognition/requests/{request.pk}/",
            **context,
        },
        language=learner.preferred_language or None,
    )


@transaction.atomic
def request_information(
    *, officer: User, request: RecognitionRequest, question: str, now: datetime | None = None
) -> CaseMessage:
    """Ask the learner for more information; the clock stops until the learner answers."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_assess_recognition_request(officer, request))
    if request.status not in DECIDABLE_STATUSES:
        raise ConflictError(
            _(
                "Information can only be requested while the case is open and not already waiting for the learner."
            )
        )
    _refuse_if_leased_by_other(request, officer, now)
    question = question.strip()
    if not question:
        raise DomainError(_("Write what you need from the learner."), field="question")
    message = CaseMessage.objects.create(
        request=request,
        author=officer,
        kind=MessageKind.INFORMATION_REQUEST,
        body=question[:4000],
        created_at=now,
    )
    ClockPause.objects.create(request=request, started_at=now, question=message)
    request.status = RequestStatus.AWAITING_LEARNER
    request.paused_since = now
    request.assigned_to = officer
    request.updated_at = now
    request.save()
    _audit(officer, "recognition.information_requested", request, message=message.pk)
    _notify_learner(request, "information_requested", question=message.body)
    return message


@transaction.atomic
def answer_information(
    *,
    learner: User,
    request: RecognitionRequest,
    answer: str,
    attachments: Sequence[AttachmentInput] = (),
    now: datetime | None = None,
) -> CaseMessage:
    """The learner answers; the clock resumes and the deadline moves by the time it stood."""
    now = _now(now)
    request = _lock(request)
    permissions.require(permissions.can_act_as_recognition_learner(learner, request))
    if request.status != RequestStatus.AWAITING_LEARNER or request.paused_since is None:
        raise ConflictError(_("No question is waiting for your answer."))
    answer = answer.strip()
    if not answer:
        raise DomainError(_("Write your answer."), field="answer")
    checked = _check_attachments(attachments)
    message = CaseMessage.objects.create(
        request=request, author=learner, kind=MessageKind.ANSWER, body=answer[:4000], created_at=now
    )
    _store_attachments(request, learner, checked)
    ClockPause.objects.filter(request=request, ended_at__isnull=True).update(ended_at=now)
    paused_for = now - request.paused_since
    request.deadline_at = clock.deadline_after_pause(request.deadline_at, request.paused_since, now)
    request.paused_since = None
    request.status = RequestStatus.IN_REVIEW if request.assigned_to_id else RequestStatus.SUBMITTED
    request.updated_at = now
    request.save()
    _audit(
        learner,
        "recognition.information_provided",
        request,
        message=message.pk,
        paused_seconds=int(paused_for.total_seconds()),
        deadline=request.deadline_at.isoformat(),
    )
    if request.assigned_to is not None:
        notify_by_email(
            recipient=request.assigned_to.email,
            template="recognition/email/information_provided",
            context={
                "request": request,
                "case_url": f"{settings.PORTAL_BASE_URL}/recognition/manage/cases/{request.pk}/",
            },
            language=request.assigned_to.preferred_language or settings.LANGUAGE_CODE,
        )
    return message
