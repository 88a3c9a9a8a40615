"""Role x action matrix over the permission predicates."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from alliances import permissions
from alliances.models import Institution, StaffRole

ACTORS = ["anonymous", "alice", "bob", "charlie", "carol", "dana", "olga", "oscar"]


@pytest.fixture
def cast(request, alice, bob, charlie, carol, dana, olga, oscar, institution_c):
    return {
        "anonymous": AnonymousUser(),
        "alice": alice,
        "bob": bob,
        "charlie": charlie,
        "carol": carol,
        "dana": dana,
        "olga": olga,
        "oscar": oscar,
    }


# action -> the actors allowed, for institution A (B and C checked separately below).
MATRIX_ON_A = {
    "can_manage_staff": {"alice", "olga", "oscar"},
    "can_edit_institution": {"alice", "olga", "oscar"},
}
MATRIX_ON_ALLIANCE = {"can_edit_alliance": {"olga", "oscar"}}
MATRIX_GLOBAL = {
    "can_create_alliance": {"oscar"},
    "can_create_institution": {"olga", "oscar"},
    "is_staff_somewhere": {"alice", "bob", "charlie", "carol", "olga", "oscar"},
}


@pytest.mark.parametrize("action", sorted(MATRIX_ON_A))
@pytest.mark.parametrize("actor", ACTORS)
def test_institution_actions_on_a(cast, institution_a, action, actor):
    predicate = getattr(permissions, action)
    assert predicate(cast[actor], institution_a) is (actor in MATRIX_ON_A[action])


@pytest.mark.parametrize("action", sorted(MATRIX_ON_ALLIANCE))
@pytest.mark.parametrize("actor", ACTORS)
def test_alliance_actions(cast, alliance, action, actor):
    predicate = getattr(permissions, action)
    assert predicate(cast[actor], alliance) is (actor in MATRIX_ON_ALLIANCE[action])


@pytest.mark.parametrize("action", sorted(MATRIX_GLOBAL))
@pytest.mark.parametrize("actor", ACTORS)
def test_global_actions(cast, action, actor):
    predicate = getattr(permissions, action)
    assert predicate(cast[actor]) is (actor in MATRIX_GLOBAL[action])


def test_olga_cannot_administer_an_institution_outside_her_alliance(cast, institution_c):
    assert not permissions.can_manage_staff(cast["olga"], institution_c)
    assert permissions.can_manage_staff(cast["oscar"], institution_c)


def test_charlie_administers_b_but_not_a(cast, institution_a, institution_b):
    assert permissions.can_manage_staff(cast["charlie"], institution_b)
    assert not permissions.can_manage_staff(cast["charlie"], institution_a)


def test_inactive_user_has_no_roles(alice, institution_a):
    alice.is_active = False
    assert not permissions.can_manage_staff(alice, institution_a)


def test_roles_are_read_once_per_user_object(alice, institution_a, django_assert_max_num_queries):
    permissions.forget_roles(alice)
    # At most the roles epoch and the two role tables, once (less when the cache holds them).
    with django_assert_max_num_queries(3):
        for _ in range(5):
            permissions.can_manage_staff(alice, institution_a)
            permissions.has_institution_role(alice, institution_a.pk, permissions.MANAGER)


def test_scope_to_institutions_keeps_only_the_users_institutions(
    alice, charlie, oscar, institution_a, institution_b, institution_c
):
    rows = StaffRole.objects.all()
    assert {
        r.institution_id for r in permissions.scope_to_institutions(rows, alice, permissions.ADMIN)
    } == {institution_a.pk}
    assert {
        r.institution_id
        for r in permissions.scope_to_institutions(rows, charlie, permissions.ADMIN)
    } == {institution_b.pk}
    assert (
        permissions.scope_to_institutions(
            Institution.objects.all(), oscar, permissions.ADMIN, field="pk"
        ).count()
        == 3
    )


def test_get_object_or_404_for_hides_refusals_as_missing(charlie, institution_a):
    from django.http import Http404

    with pytest.raises(Http404):
        permissions.get_object_or_404_for(
            Institution.objects.all(),
            charlie,
            permissions.can_manage_staff,
            slug=institution_a.slug,
        )
    with pytest.raises(Http404):
        permissions.get_object_or_404_for(
            Institution.objects.all(), charlie, permissions.can_manage_staff, slug="no-such"
        )


def test_predicate_names_are_unique_across_the_apps_permission_modules():
    """A refusal is audited by the rule's name, so one name must mean one rule."""
    import inspect

    from catalogue import permissions as catalogue_permissions
    from issuance import permissions as issuance_permissions
    from recognition import permissions as recognition_permissions
    from wallet import permissions as wallet_permissions

    seen: dict[str, str] = {}
    for module in (
        permissions,
        catalogue_permissions,
        issuance_permissions,
        wallet_permissions,
        recognition_permissions,
    ):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__:
                continue  # imported from a lower layer, counted there
            assert name not in seen, f"{name} is defined in {seen[name]} and {module.__name__}"
            seen[name] = module.__name__
    assert {"can_manage_staff", "can_edit_programme", "can_manage_seal"} <= set(seen)
    assert {"can_manage_share_link", "can_decide_appeal"} <= set(seen)
