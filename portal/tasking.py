"""Queueing Celery tasks after a transaction commits, without letting a broker outage
turn a successful write into an error page.

Work is always persisted first (an intent row); the task only carries ids. If the broker
cannot be reached when the transaction commits, the failure is logged and the periodic
sweeper of the owning app re-queues the intent later.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import Task
from django.db import transaction

logger = logging.getLogger(__name__)


def send_task_now(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Publish a task; return False (and log) when the broker is unavailable."""
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:
        # Eager mode runs the task right here: its own errors must surface in tests and demo.
        if task.app.conf.task_always_eager:
            raise
        logger.warning("Could not queue %s; the sweeper will retry it", task.name, exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: send_task_now(task, *args, **kwargs))
