"""API tokens: creating, revoking and authenticating them.

A token authenticates as its owner for the API only. The second-factor rule for staff is
added by the alliances app, which knows roles (alliances.authentication).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import SAFE_METHODS

from portal.audit import record_event
from portal.models import ApiToken, User

TOKEN_MARKER = "ac_"  # noqa: S105 - marks keys of this portal, not a secret
PREFIX_LENGTH = 10
# How often the "last used" time is written at most (a write per request would be wasteful).
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@transaction.atomic
def create_api_token(
    *, user: User, read_only: bool = False, request: HttpRequest | None = None
) -> tuple[ApiToken, str]:
    """Replace the user's token with a new one; returns the row and the key, which is not
    stored and cannot be shown again."""
    ApiToken.objects.filter(user=user).delete()
    key = TOKEN_MARKER + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        prefix=key[:PREFIX_LENGTH],
        digest=token_digest(key),
        read_only=read_only,
        expires_at=timezone.now() + timedelta(days=settings.API_TOKEN_LIFETIME_DAYS),
    )
    record_event(
        actor=user,
        action="api_token.created",
        target=token,
        data={"read_only": read_only, "expires_at": token.expires_at.isoformat()},
        request=request,
    )
    return token, key


@transaction.atomic
def revoke_api_tokens(*, user: User, reason: str, request: HttpRequest | None = None) -> int:
    deleted, _ = ApiToken.objects.filter(user=user).delete()
    if deleted:
        record_event(
            actor=user, action="api_token.revoked", data={"reason": reason}, request=request
        )
    return deleted


class ReadOnlyToken(exceptions.PermissionDenied):
    default_detail = "This API token may only read: it cannot change anything."
    default_code = "read_only_token"


class HashedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, looked up by the key's digest."""

    keyword = "Token"

    def authenticate_credentials(self, key: str) -> tuple[User, ApiToken]:
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Invalid token.")
        if token.expired:
            raise exceptions.AuthenticationFailed(
                "The token has expired; create a new one on your profile page."
            )
        return token.user, token

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        authenticated = super().authenticate(request)
        if authenticated is None:
            return None
        user, token = authenticated
        if token.read_only and request.method not in SAFE_METHODS:
            raise ReadOnlyToken()
        self.check_user(request, user)
        now = timezone.now()
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def check_user(self, request: Any, user: User) -> None:
        """Further conditions on who may use a token (raise an APIException to refuse)."""
