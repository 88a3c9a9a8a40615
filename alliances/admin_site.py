from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from alliances import permissions


class PortalAdminSite(admin.AdminSite):
    """The operators' admin, also open to institution and alliance admins for their own
    rows (each ModelAdmin narrows with `alliances.permissions`)."""

    site_header = _("Alliance Credentials administration")
    site_title = _("Alliance Credentials admin")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not user.is_active:
            return False
        index = permissions.roles_of(user)
        return bool(
            user.is_staff
            or index.is_operator
            or index.is_alliance_admin
            or index.institutions_with(permissions.ADMIN)
        )
