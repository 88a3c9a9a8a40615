from __future__ import annotations

from celery import shared_task
from django.core.mail import send_mail


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_notification_email(subject: str, body: str, recipient: str) -> None:
    send_mail(subject, body, None, [recipient])
