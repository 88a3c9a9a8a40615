"""Operators manage the trust registry's external issuers (the portal's institutions are in it
by being institutions); `manage.py import_issuer_registry` imports a registry list."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alliances import permissions
from portal.audit import record_event
from recognition.models import TrustedIssuer


@admin.register(TrustedIssuer)
class TrustedIssuerAdmin(admin.ModelAdmin):
    list_display = ["name", "did", "country", "is_active", "source", "registered_at"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "did"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            action="recognition.trusted_issuer_saved",
            target=obj,
            data={"did": obj.did, "name": obj.name, "active": obj.is_active},
        )
