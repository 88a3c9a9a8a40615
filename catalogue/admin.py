"""Operators' read-only view of the catalogue. Programmes, offerings and results change only
through the portal's pages and API, whose services keep the publication workflow, versions
and audit trail intact; the admin lets operators look things up when supporting staff."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alliances import permissions
from alliances.admin import ReadOnlyAdminMixin
from catalogue.models import (
    AssessmentResult,
    Enrolment,
    Occupation,
    Offering,
    Pathway,
    Programme,
    ProgrammeVersion,
    Skill,
)


class OperatorReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return permissions.is_operator(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any | None = None) -> bool:
        return permissions.is_operator(request.user)


@admin.register(Programme)
class ProgrammeAdmin(OperatorReadOnlyAdmin):
    list_display = ["slug", "coordinator", "alliance", "status", "published_version", "updated_at"]
    list_filter = ["status", "alliance"]
    list_select_related = ["coordinator", "alliance", "published_version"]
    search_fields = ["slug", "coordinator__short_name"]


@admin.register(ProgrammeVersion)
class ProgrammeVersionAdmin(OperatorReadOnlyAdmin):
    list_display = ["title_en", "programme", "number", "ects", "eqf_level", "published_at"]
    list_select_related = ["programme"]
    search_fields = ["title_en", "programme__slug"]


@admin.register(Offering)
class OfferingAdmin(OperatorReadOnlyAdmin):
    list_display = ["code", "programme", "starts_on", "ends_on", "capacity", "enrolled_count"]
    list_select_related = ["programme"]
    search_fields = ["code", "programme__slug"]
    date_hierarchy = "starts_on"


@admin.register(Enrolment)
class EnrolmentAdmin(OperatorReadOnlyAdmin):
    list_display = ["learner", "offering", "status"]
    list_filter = ["status"]
    list_select_related = ["learner", "offering"]
    search_fields = ["learner__email", "offering__code"]


@admin.register(AssessmentResult)
class AssessmentResultAdmin(OperatorReadOnlyAdmin):
    list_display = ["learner", "offering", "outcome", "grade", "assessed_on"]
    list_filter = ["outcome"]
    list_select_related = ["learner", "offering"]
    search_fields = ["learner__email", "offering__code"]


@admin.register(Pathway)
class PathwayAdmin(OperatorReadOnlyAdmin):
    list_display = ["slug", "owner", "alliance", "rule"]
    list_select_related = ["owner", "alliance"]


@admin.register(Skill)
class SkillAdmin(OperatorReadOnlyAdmin):
    list_display = ["preferred_label", "skill_type", "uri"]
    search_fields = ["preferred_label", "uri"]


@admin.register(Occupation)
class OccupationAdmin(OperatorReadOnlyAdmin):
    list_display = ["preferred_label", "uri"]
    search_fields = ["preferred_label", "uri"]
