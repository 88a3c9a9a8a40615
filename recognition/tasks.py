"""Background work of the recognition workflow: tasks take ids and call a service."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from celery import shared_task
from django.utils import timezone

from issuance.models import Credential
from portal.tasking import enqueue_on_commit, send_task_now
from recognition import commitments, selectors, services

# A request whose checks have not run this long after it arrived was probably never queued
# (broker away at commit time): the sweeper queues it again.
CHECKS_GRACE = timedelta(minutes=10)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def run_preassessment_task(request_id: int) -> None:
    services.run_preassessment(request_id=request_id)


@shared_task(acks_late=True)
def finalise_unappealed_task(request_id: int) -> None:
    services.finalise_unappealed(request_id=request_id)


@shared_task
def sweep_recognition_task() -> None:
    """Queue checks that were never queued, make final the decisions whose appeal period
    ended without an appeal, and apply pre-approvals whose credential arrived while the broker
    was away."""
    now = timezone.now()
    for request_id in selectors.requests_waiting_for_checks(now - CHECKS_GRACE):
        send_task_now(run_preassessment_task, request_id)
    for request_id in selectors.requests_past_appeal_period(now):
        send_task_now(finalise_unappealed_task, request_id)
    for preapproval_id, credential_id in commitments.fulfilled_preapprovals():
        send_task_now(apply_preapproval_task, preapproval_id, credential_id)


@shared_task(acks_late=True)
def escalate_overdue_case_task(request_id: int) -> None:
    services.escalate_overdue_case(request_id=request_id)


@shared_task
def escalate_overdue_cases_task() -> None:
    """Celery beat: cases past their time limit are escalated to the institution's admins."""
    for request_id in selectors.overdue_cases_to_escalate(timezone.now()):
        send_task_now(escalate_overdue_case_task, request_id)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def apply_preapproval_task(preapproval_id: int, credential_id: int) -> None:
    services.apply_preapproval(preapproval_id=preapproval_id, credential_id=credential_id)


def queue_preapprovals_fulfilled(credential_ids: list[int], **_signal: Any) -> None:
    """Receiver of `issuance.signals.credentials_issued`: each approved pre-approval that a
    newly issued credential fulfils is applied after the issuing commits."""
    for credential in Credential.objects.filter(pk__in=credential_ids):
        for preapproval_id in services.preapprovals_waiting_for(credential):
            enqueue_on_commit(apply_preapproval_task, preapproval_id, credential.pk)
