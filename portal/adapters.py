"""Account e-mails name the portal and link to its public address (PORTAL_BASE_URL), not to
whatever host the request happened to arrive on."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailConfirmation
from django.conf import settings
from django.http import HttpRequest

from portal.client_address import client_address
from portal.models import User


class PortalSite:
    name = "Alliance Credentials"

    @property
    def domain(self) -> str:
        return urlsplit(settings.PORTAL_BASE_URL).netloc


def on_portal(url: str) -> str:
    parts = urlsplit(url)
    return settings.PORTAL_BASE_URL + parts.path + (f"?{parts.query}" if parts.query else "")


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": PortalSite()})

    def get_email_confirmation_url(
        self, request: HttpRequest, emailconfirmation: EmailConfirmation
    ) -> str:
        return on_portal(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_portal(super().get_reset_password_from_key_url(key))

    def get_client_ip(self, request: HttpRequest) -> str:
        # allauth's rate limits (sign-in, sign-up, password reset) count per this address.
        return client_address(request)

    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        user.preferred_language = getattr(request, "LANGUAGE_CODE", "") or ""
        return super().save_user(request, user, form, commit)
