"""E-mail notices to people. Messages are rendered in the web process (in the recipient's
language) and delivered by a worker, so a slow mail server never blocks a request."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from portal.tasking import enqueue_on_commit
from portal.tasks import send_notification_email


def notify_by_email(
    *, recipient: str, template: str, context: dict[str, Any], language: str | None = None
) -> None:
    with translation.override(language or translation.get_language()):
        subject = render_to_string(f"{template}_subject.txt", context).strip()
        body = render_to_string(f"{template}.txt", context)
    enqueue_on_commit(send_notification_email, subject, body, recipient)
