"""E-mails to learners when their credential is issued, revoked, suspended or reinstated."""

from __future__ import annotations

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from issuance.models import Credential

EVENTS = ("issued", "revoked", "suspended", "reinstated")


def send_credential_notices(credential_ids: list[int], event: str) -> int:
    """One message per credential, sent over one connection (a cohort means thousands)."""
    if event not in EVENTS:
        raise ValueError(f"unknown credential event {event!r}")
    messages = []
    for credential in Credential.objects.filter(pk__in=credential_ids).select_related(
        "learner", "issuer"
    ):
        learner = credential.learner
        if not learner.is_active:
            continue
        context = {
            "credential": credential,
            "learner": learner,
            "event": event,
            "wallet_url": settings.PORTAL_BASE_URL + reverse("wallet:wallet"),
        }
        with translation.override(learner.preferred_language or settings.LANGUAGE_CODE):
            subject = render_to_string("issuance/email/credential_subject.txt", context).strip()
            body = render_to_string("issuance/email/credential.txt", context)
        messages.append(mail.EmailMessage(subject, body, None, [learner.email]))
    if messages:
        with mail.get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
