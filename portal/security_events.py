"""Security events from sign-in flows, written to the audit log.

Django and allauth announce these steps only through signals, so this module connects
receivers that do nothing but record the event.
"""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset, password_set
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from portal.audit import record_event
from portal.tokens import revoke_api_tokens


def _on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="auth.login", request=request)


def _on_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action="auth.logout", request=request)


def _on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    attempted = str(credentials.get("email") or credentials.get("username") or "")[:254]
    record_event(actor=None, action="auth.login_failed", data={"login": attempted}, request=request)


def _on_password_changed(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="auth.password_changed", request=request)
    # Whoever knew the old password may have made a token with it.
    revoke_api_tokens(user=user, reason="password_changed", request=request)


def _on_password_set(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    revoke_api_tokens(user=user, reason="password_set", request=request)


def _on_password_reset(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    record_event(actor=user, action="auth.password_reset", request=request)
    revoke_api_tokens(user=user, reason="password_reset", request=request)


def _on_authenticator_added(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    record_event(
        actor=user,
        action="auth.mfa_added",
        data={"type": authenticator.type},
        request=request,
    )


def _on_authenticator_removed(
    sender: Any, request: HttpRequest, user: Any, authenticator: Any, **kwargs: Any
) -> None:
    record_event(
        actor=user,
        action="auth.mfa_removed",
        data={"type": authenticator.type},
        request=request,
    )


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="audit-login")
    user_logged_out.connect(_on_logout, dispatch_uid="audit-logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit-login-failed")
    password_changed.connect(_on_password_changed, dispatch_uid="audit-password-changed")
    password_reset.connect(_on_password_reset, dispatch_uid="audit-password-reset")
    password_set.connect(_on_password_set, dispatch_uid="audit-password-set")
    authenticator_added.connect(_on_authenticator_added, dispatch_uid="audit-mfa-added")
    authenticator_removed.connect(_on_authenticator_removed, dispatch_uid="audit-mfa-removed")
