from __future__ import annotations

from django.http import HttpRequest
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from portal.models import User


def signed_in_user(request: HttpRequest | Request) -> User:
    """The request's user, for views that require sign-in (login_required or DRF's
    IsAuthenticated already ran); anonymous requests never reach a service."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise NotAuthenticated
    return user
