"""Celery tasks of the issuance app: they take ids and call a service.

Signing tasks acknowledge late and are rejected when their worker dies, so a killed worker's
batch is delivered again; the services make a second delivery harmless.
"""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from issuance import notices, services, usage

TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=8,
)
def issue_credentials(credential_ids: list[int]) -> dict[str, int]:
    outcome = services.issue_pending_credentials(credential_ids)
    return {
        "issued": len(outcome.issued),
        "failed": len(outcome.failed),
    }


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=8,
)
def cosign_credentials(credential_ids: list[int]) -> int:
    return len(services.cosign_pending_credentials(credential_ids))


@shared_task(acks_late=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=5)
def plan_pathway_credentials_task(credential_ids: list[int]) -> int:
    return len(services.plan_pathway_credentials(credential_ids))


@shared_task(acks_late=True, autoretry_for=(*TRANSIENT, OSError), retry_backoff=True, max_retries=5)
def notify_learners(credential_ids: list[int], event: str) -> int:
    return notices.send_credential_notices(credential_ids, event)


@shared_task
def sweep_stale_intents() -> int:
    return services.sweep_stale_intents()


@shared_task
def write_buffered_usage() -> int:
    return usage.write_buffered_usage()
