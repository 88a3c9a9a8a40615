"""Reads for alliances, institutions and staff."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from alliances import permissions
from alliances.confusables import confusable
from alliances.models import Alliance, Institution, Membership, StaffInvitation, StaffRole


def current_memberships() -> QuerySet[Membership]:
    today = timezone.localdate()
    return Membership.objects.filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def list_alliances() -> QuerySet[Alliance]:
    return Alliance.objects.annotate(
        member_count=Count(
            "memberships",
            filter=Q(memberships__left_on__isnull=True)
            | Q(memberships__left_on__gt=timezone.localdate()),
        )
    ).order_by("name")


def get_alliance_with_members(*, slug: str) -> Alliance:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        Alliance.objects.prefetch_related(
            Prefetch(
                "memberships",
                queryset=current_memberships().select_related("institution"),
                to_attr="current_memberships",
            )
        ),
        slug=slug,
    )


def list_institutions(
    *, search: str = "", country: str = "", alliance_slug: str = ""
) -> QuerySet[Institution]:
    queryset = Institution.objects.all()
    if search:
        queryset = queryset.filter(
            Q(legal_name__icontains=search)
            | Q(short_name__icontains=search)
            | Q(city__icontains=search)
        )
    if country:
        queryset = queryset.filter(country=country.upper())
    if alliance_slug:
        queryset = queryset.filter(
            memberships__in=current_memberships().filter(alliance__slug=alliance_slug)
        )
    return queryset.prefetch_related(
        Prefetch(
            "memberships",
            queryset=current_memberships().select_related("alliance"),
            to_attr="current_memberships",
        )
    ).distinct()


def get_institution(*, slug: str) -> Institution:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(list_institutions(), slug=slug)


def get_managed_institution(*, user: Any, slug: str) -> Institution:
    """An institution whose staff the user manages; 404 otherwise."""
    return permissions.get_object_or_404_for(
        Institution.objects.all(), user, permissions.can_manage_staff, slug=slug
    )


def list_staff(*, institution: Institution) -> QuerySet[StaffRole]:
    return StaffRole.objects.filter(institution=institution).select_related("user", "granted_by")


def list_open_invitations(*, institution: Institution) -> QuerySet[StaffInvitation]:
    return StaffInvitation.objects.filter(
        institution=institution,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).select_related("invited_by")


def list_roles_for_dashboard(*, user: Any) -> dict[str, Any]:
    """The user's roles, grouped for the dashboard and navigation."""
    staff_roles = list(
        StaffRole.objects.filter(user=user)
        .select_related("institution")
        .order_by("institution__legal_name", "role")
    )
    institutions: dict[int, dict[str, Any]] = {}
    for staff_role in staff_roles:
        entry = institutions.setdefault(
            staff_role.institution_id,
            {"institution": staff_role.institution, "roles": []},
        )
        entry["roles"].append(staff_role)
    alliances = list(Alliance.objects.filter(roles__user=user).distinct())
    return {"institutions": list(institutions.values()), "alliances": alliances}


def look_alike_institution_name(institution: Institution) -> tuple[str, str] | None:
    """A name of `institution` that looks like (but is not) another institution's name, with
    that name (`alliances.confusables`); None when its names are distinct."""
    others = {
        name
        for pair in Institution.objects.exclude(pk=institution.pk).values_list(
            "legal_name", "short_name"
        )
        for name in pair
        if name
    }
    for name in sorted({institution.legal_name, institution.short_name} - {""}):
        for other in sorted(others):
            if confusable(name, other):
                return name, other
    return None


def slugs_with_logo(slugs: Iterable[str]) -> set[str]:
    """Which of these institutions have a logo (pages link to it only then)."""
    return set(
        Institution.objects.filter(slug__in=list(slugs))
        .exclude(logo="")
        .values_list("slug", flat=True)
    )
