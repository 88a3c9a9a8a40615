"""Operators' view of issuance: read-only rows scoped by `alliances.permissions`, plus the
key rotation action (re-wrapping needs the old key and is a management command)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from alliances.admin import InstitutionScopedAdmin, ReadOnlyAdminMixin
from issuance import permissions as issuance_permissions
from issuance.models import Credential, IssuanceJob, SigningKey, StatusList
from issuance.signing_keys import rotate_signing_key
from portal.auth import signed_in_user


class ReadOnlyScopedAdmin(ReadOnlyAdminMixin, InstitutionScopedAdmin):
    """Issuance rows of the institutions the admin user administers, read-only."""


@admin.register(SigningKey)
class SigningKeyAdmin(ReadOnlyScopedAdmin):
    list_display = [
        "institution",
        "key_id",
        "state",
        "public_key_multibase",
        "created_at",
        "retired_at",
    ]
    list_filter = ["state"]
    exclude = ["wrapped_private_key"]
    actions = ["rotate"]

    @admin.action(description="Rotate the institution's signing key")
    def rotate(self, request: HttpRequest, queryset: QuerySet[SigningKey]) -> None:
        actor = signed_in_user(request)
        institutions = {key.institution for key in queryset.select_related("institution")}
        for institution in institutions:
            if not issuance_permissions.can_manage_keys(actor, institution):
                continue
            key = rotate_signing_key(actor=actor, institution=institution)
            self.message_user(request, f"{institution}: new key {key.key_id}", messages.SUCCESS)


@admin.register(StatusList)
class StatusListAdmin(ReadOnlyScopedAdmin):
    list_display = ["institution", "number", "allocated_count", "is_full", "updated_at"]
    exclude = ["allocated", "revoked", "suspended"]


@admin.register(Credential)
class CredentialAdmin(ReadOnlyScopedAdmin):
    institution_field = "issuer"
    list_display = ["title", "learner", "issuer", "kind", "state", "issued_at", "revoked_at"]
    list_filter = ["state", "kind"]
    search_fields = ["title", "learner__email", "natural_key"]
    raw_id_fields = ["learner", "result", "programme_version", "pathway", "job", "status_list"]


@admin.register(IssuanceJob)
class IssuanceJobAdmin(ReadOnlyScopedAdmin):
    list_display = ["description", "institution", "offering", "created_at"]
