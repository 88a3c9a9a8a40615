"""Operators' admin. Querysets and object rights come from `alliances.permissions`, so an
admin user sees and edits only what the same predicates allow elsewhere."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from alliances import permissions
from alliances.models import (
    Alliance,
    AllianceRole,
    Institution,
    Membership,
    StaffInvitation,
    StaffRole,
)
from alliances.selectors import look_alike_institution_name


class ReadOnlyAdminMixin:
    """Rows that change only through the portal's services, which keep workflows and the audit
    trail intact: the admin shows them and nothing more."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False


class InstitutionScopedAdmin(admin.ModelAdmin):
    """Rows belong to an institution; admins of it (or their alliance admins) manage them."""

    institution_field = "institution"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return permissions.scope_to_institutions(
            super().get_queryset(request),
            request.user,
            permissions.ADMIN,
            field=self.institution_field,
        )

    def _may_manage(self, request: HttpRequest, obj: Any | None) -> bool:
        if obj is None:
            return permissions.is_operator(request.user) or bool(
                permissions.institution_ids_where(request.user, permissions.ADMIN)
            )
        institution_id = getattr(obj, f"{self.institution_field}_id", None)
        return permissions.administers_institution(request.user, institution_id)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may_manage(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may_manage(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return self._may_manage(request, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request, None)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may_manage(request, None)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]


@admin.register(Alliance)
class AllianceAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "founded_year", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        if obj is None:
            return (
                permissions.is_operator(request.user)
                or permissions.roles_of(request.user).is_alliance_admin
            )
        return permissions.can_edit_alliance(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_create_alliance(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_staff_somewhere(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_staff_somewhere(request.user)


class InstitutionAdminForm(forms.ModelForm):
    class Meta:
        model = Institution
        exclude: list[str] = []

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        candidate = Institution(
            pk=self.instance.pk,
            legal_name=cleaned.get("legal_name") or "",
            short_name=cleaned.get("short_name") or "",
        )
        clash = look_alike_institution_name(candidate)
        if clash is not None:
            self.add_error(
                "legal_name",
                _("%(name)s looks like the name of another institution (%(other)s).")
                % {"name": clash[0], "other": clash[1]},
            )
        return cleaned


@admin.register(Institution)
class InstitutionAdmin(InstitutionScopedAdmin):
    form = InstitutionAdminForm
    institution_field = "pk"
    list_display = ["legal_name", "short_name", "kind", "country", "city", "erasmus_code"]
    list_filter = ["country"]
    search_fields = ["legal_name", "short_name", "city", "erasmus_code"]
    prepopulated_fields = {"slug": ["short_name"]}

    def _may_manage(self, request: HttpRequest, obj: Any | None) -> bool:
        if obj is None:
            return super()._may_manage(request, None)
        return permissions.can_edit_institution(request.user, obj)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.can_create_institution(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)


@admin.register(StaffRole)
class StaffRoleAdmin(InstitutionScopedAdmin):
    list_display = ["user", "institution", "role", "granted_at"]
    list_filter = ["role", "institution"]
    search_fields = ["user__email", "institution__legal_name"]
    raw_id_fields = ["user", "granted_by"]


@admin.register(StaffInvitation)
class StaffInvitationAdmin(InstitutionScopedAdmin):
    list_display = ["email", "institution", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    readonly_fields = ["token", "accepted_at", "accepted_by"]
    search_fields = ["email"]


@admin.register(AllianceRole)
class AllianceRoleAdmin(admin.ModelAdmin):
    list_display = ["user", "alliance", "role", "granted_at"]
    raw_id_fields = ["user"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return permissions.is_operator(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)
