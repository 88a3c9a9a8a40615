"""Background work of the recognition workflow: tasks take ids and call a service."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from portal.tasking import send_task_now
from recognition import selectors, services

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
    """Queue checks that were never queued, and make final the decisions whose appeal period
    ended without an appeal."""
    now = timezone.now()
    for request_id in selectors.requests_waiting_for_checks(now - CHECKS_GRACE):
        send_task_now(run_preassessment_task, request_id)
    for request_id in selectors.requests_past_appeal_period(now):
        send_task_now(finalise_unappealed_task, request_id)
