from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from rest_framework.authtoken.models import TokenProxy

from portal.models import AuditEvent, NameChange, User
from portal.tokens import revoke_api_tokens


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_staff", "is_active", "date_joined"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal information"), {"fields": ("full_name", "preferred_language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ()
    list_filter = ["is_staff", "is_active"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Names are identity data: a change is a recorded `NameChange` (approved under
        # "Name changes"), never a silent edit of the field here.
        readonly = tuple(super().get_readonly_fields(request, obj))
        return (*readonly, "full_name") if obj is not None else readonly

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> Any:
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            # A password set by an operator ends the person's API tokens too.
            user = User.objects.filter(pk=id).first()
            if user is not None:
                revoke_api_tokens(user=user, reason="password_set_by_operator", request=request)
        return response


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the audit trail cannot be changed through the application."""

    list_display = ["created_at", "actor_label", "action", "object_type", "object_repr"]
    list_filter = ["action"]
    search_fields = ["actor_label", "action", "object_repr", "object_id"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return False


class NameChangeDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—"), ("approve", _("Approve")), ("reject", _("Reject"))],
        required=False,
    )

    class Meta:
        model = NameChange
        fields = ["decision_note"]


@admin.register(NameChange)
class NameChangeAdmin(admin.ModelAdmin):
    """Staff approve or reject pending changes of name here, with a note (audited)."""

    form = NameChangeDecisionForm
    list_display = ["user", "old_name", "new_name", "status", "requested_at"]
    list_filter = ["status"]
    search_fields = ["user__email", "old_name", "new_name"]
    readonly_fields = [
        "user",
        "old_name",
        "new_name",
        "reason",
        "status",
        "requested_at",
        "applied_at",
        "decided_by",
    ]
    fields = [*readonly_fields, "decision_note", "decision"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        from portal import identity
        from portal.errors import DomainError

        decision = form.cleaned_data.get("decision")
        if not decision:
            return
        try:
            identity.decide_name_change(
                actor=request.user,  # type: ignore[arg-type]
                change=obj,
                approve=decision == "approve",
                note=form.cleaned_data.get("decision_note", ""),
            )
        except DomainError as error:
            self.message_user(request, error.message, level=messages.ERROR)


# API tokens are managed by their owners on the profile page; the operators' site does not
# list DRF's clear-text token table (emptied by a migration: keys are stored as digests).
if admin.site.is_registered(TokenProxy):
    admin.site.unregister(TokenProxy)

# VC-API clients are registered with `manage.py vc_api_client` and their tokens live only as
# checksums: the operators' site lists none of django-oauth-toolkit's tables.
for _model in apps.get_app_config("oauth2_provider").get_models():
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
