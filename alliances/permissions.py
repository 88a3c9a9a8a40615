"""The role helpers every app's permission rules build on, and the alliance and institution
rules themselves.

HTML views, the API and the admin all ask predicates; none of them checks roles on its own.
Predicates take the user and the object (or ids) and return a bool. Each app keeps its own
predicates in its `permissions` module (`catalogue.permissions`, `issuance.permissions`,
`wallet.permissions`, `recognition.permissions`), typed with its own models and built on the
helpers here. Scoping helpers narrow querysets to what a user may see. Objects a user may not
see answer 404 (see `get_object_or_404_for`), so the existence of another institution's data
does not leak.

Roles are read once per request and cached on the user object (`roles_of`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.http import Http404

from alliances.models import (
    Alliance,
    AllianceRole,
    Institution,
    InstitutionRole,
    Membership,
    StaffRole,
)
from portal import epochs
from portal.audit import record_event

ModelT = TypeVar("ModelT", bound=Model)

ADMIN = InstitutionRole.INSTITUTION_ADMIN
MANAGER = InstitutionRole.PROGRAMME_MANAGER
OFFICER = InstitutionRole.RECOGNITION_OFFICER
REGISTRAR = InstitutionRole.REGISTRAR
MENTOR = InstitutionRole.MENTOR

_CACHE_ATTRIBUTE = "_alliance_roles_cache"


@dataclass(frozen=True)
class RoleIndex:
    """What roles one user holds, loaded with two queries."""

    by_institution: dict[int, frozenset[str]] = field(default_factory=dict)
    admin_of_alliances: frozenset[int] = frozenset()
    # Institutions currently in an alliance the user administers.
    alliance_member_institutions: frozenset[int] = frozenset()
    is_operator: bool = False

    def institutions_with(self, *roles: str) -> frozenset[int]:
        wanted = set(roles)
        return frozenset(
            institution_id for institution_id, held in self.by_institution.items() if held & wanted
        )

    def has(self, institution_id: int | None, *roles: str) -> bool:
        if institution_id is None:
            return False
        return bool(self.by_institution.get(institution_id, frozenset()) & set(roles))

    @property
    def is_institution_staff(self) -> bool:
        return bool(self.by_institution)

    @property
    def is_alliance_admin(self) -> bool:
        return bool(self.admin_of_alliances)

    @property
    def manages_programmes(self) -> bool:
        """Programme manager or institution admin somewhere, or operator (the programme
        workspace); recognition officers alone have no business there."""
        return self.is_operator or bool(self.institutions_with(ADMIN, MANAGER))

    @property
    def assesses_recognition(self) -> bool:
        """Recognition officer or institution admin somewhere (the recognition workspace)."""
        return bool(self.institutions_with(OFFICER, ADMIN))

    @property
    def needs_second_factor(self) -> bool:
        return self.is_institution_staff or self.is_alliance_admin or self.is_operator


ANONYMOUS_ROLES = RoleIndex()


# How long a person's roles are kept in the shared cache; a change of roles or memberships
# moves the roles epoch, which changes the key at once.
ROLES_CACHE_SECONDS = 300


def roles_of(user: Any) -> RoleIndex:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS_ROLES
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    # Every signed-in request asks (the second-factor rule for staff): from the shared cache
    # under the roles epoch, the database only after a change.
    key = f"roles:{user.pk}:{epochs.read([epochs.ROLES])[epochs.ROLES]}"
    stored: tuple[dict[int, frozenset[str]], frozenset[int], frozenset[int]] | None = cache.get(key)
    if stored is None:
        stored = _roles_from_database(user)
        if not epochs.in_open_transaction():  # roles being changed may yet roll back
            cache.set(key, stored, ROLES_CACHE_SECONDS)
    by_institution, alliance_ids, member_ids = stored
    index = RoleIndex(
        by_institution=by_institution,
        admin_of_alliances=alliance_ids,
        alliance_member_institutions=member_ids,
        is_operator=bool(user.is_superuser),
    )
    setattr(user, _CACHE_ATTRIBUTE, index)
    return index


def _roles_from_database(
    user: Any,
) -> tuple[dict[int, frozenset[str]], frozenset[int], frozenset[int]]:
    by_institution: dict[int, set[str]] = {}
    for institution_id, role in StaffRole.objects.filter(user=user).values_list(
        "institution_id", "role"
    ):
        by_institution.setdefault(institution_id, set()).add(role)
    alliance_ids = frozenset(
        AllianceRole.objects.filter(user=user).values_list("alliance_id", flat=True)
    )
    member_ids: frozenset[int] = frozenset()
    if alliance_ids:
        member_ids = frozenset(
            Membership.objects.filter(
                alliance_id__in=alliance_ids, left_on__isnull=True
            ).values_list("institution_id", flat=True)
        )
    return {k: frozenset(v) for k, v in by_institution.items()}, alliance_ids, member_ids


def forget_roles(user: Any) -> None:
    """Drop the cached roles after they changed within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


# --- predicates --------------------------------------------------------------------------


def is_operator(user: Any) -> bool:
    return roles_of(user).is_operator


def has_institution_role(user: Any, institution_id: int | None, *roles: str) -> bool:
    return roles_of(user).has(institution_id, *roles)


def administers_institution(user: Any, institution_id: int | None) -> bool:
    """Institution admin there, alliance admin of an alliance it belongs to, or operator."""
    index = roles_of(user)
    return (
        index.is_operator
        or index.has(institution_id, ADMIN)
        or institution_id in index.alliance_member_institutions
    )


def can_manage_staff(user: Any, institution: Institution) -> bool:
    return administers_institution(user, institution.pk)


def can_edit_institution(user: Any, institution: Institution) -> bool:
    return administers_institution(user, institution.pk)


def can_create_institution(user: Any) -> bool:
    index = roles_of(user)
    return index.is_operator or index.is_alliance_admin


def can_edit_alliance(user: Any, alliance: Alliance) -> bool:
    index = roles_of(user)
    return index.is_operator or alliance.pk in index.admin_of_alliances


def can_create_alliance(user: Any) -> bool:
    return is_operator(user)


def is_staff_somewhere(user: Any) -> bool:
    index = roles_of(user)
    return index.is_institution_staff or index.is_alliance_admin or index.is_operator


# --- scoping -----------------------------------------------------------------------------


def institution_ids_where(user: Any, *roles: str) -> frozenset[int]:
    """Institutions where the user holds one of the roles (alliance admins: their members)."""
    index = roles_of(user)
    ids = index.institutions_with(*roles)
    if ADMIN in roles:
        ids = ids | index.alliance_member_institutions
    return ids


def scope_to_institutions(
    queryset: QuerySet[ModelT], user: Any, *roles: str, field: str = "institution"
) -> QuerySet[ModelT]:
    """Keep rows whose `field` is an institution where the user holds one of the roles."""
    if is_operator(user):
        return queryset
    return queryset.filter(**{f"{field}__in": institution_ids_where(user, *roles)})


def get_object_or_404_for(
    queryset: QuerySet[ModelT],
    user: Any,
    predicate: Callable[[Any, ModelT], bool],
    **lookup: Any,
) -> ModelT:
    """Fetch an object and answer 404 both when it is absent and when the user may not act
    on it, so another institution's objects look exactly like missing ones."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    if not predicate(user, obj):
        record_event(
            actor=user if getattr(user, "is_authenticated", False) else None,
            action="authorization.refused",
            target=obj,
            data={"rule": predicate.__name__},
        )
        raise Http404
    return obj


def require(allowed: bool) -> None:
    """Raise 404 unless allowed: services call it as a last line of defence."""
    if not allowed:
        raise Http404
