"""Celery tasks of the wallet app: they call a service."""

from __future__ import annotations

from celery import shared_task

from wallet import sharing


@shared_task
def write_buffered_share_views() -> int:
    return sharing.write_buffered_share_views()
