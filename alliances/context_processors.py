from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alliances.permissions import roles_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Roles for the navigation bar, loaded only when a template asks for them."""
    return {"nav_roles": SimpleLazyObject(lambda: roles_of(getattr(request, "user", None)))}
