from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
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

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        # One sign-in page for everyone: allauth's, with its rate limits and second factor.
        if not request.user.is_authenticated:
            return redirect_to_login(
                request.GET.get("next") or reverse("admin:index"), reverse("account_login")
            )
        return super().login(request, extra_context)
