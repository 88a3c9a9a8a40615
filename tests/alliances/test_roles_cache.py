"""A person's roles come from the shared cache on each request, and a change of roles or of an
alliance's members is in force from the next request on."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alliances import services
from alliances.models import AllianceRole, Membership, StaffRole
from alliances.permissions import roles_of
from portal import epochs
from portal.models import User
from tests.factories import ADMIN, MANAGER, grant

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    """The user as the next request loads it (nothing remembered on the object)."""
    return User.objects.get(pk=user.pk)


def test_roles_are_read_from_the_database_once(alice, institution_a):
    assert roles_of(_fresh(alice)).has(institution_a.pk, ADMIN)
    user = _fresh(alice)
    with CaptureQueriesContext(connection) as queries:
        assert roles_of(user).has(institution_a.pk, ADMIN)
    assert len(queries) == 0


@override_settings(STAFF_MFA_REQUIRED=True)
def test_a_learner_given_a_staff_role_must_set_up_a_second_factor_at_once(
    dana, institution_a, as_user
):
    client = as_user(dana)
    assert client.get(reverse("dashboard")).status_code == 200  # roles cached: none
    grant(dana, institution_a, MANAGER)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_removed_role_is_gone_on_the_next_request(alice, charlie, institution_a):
    grant(charlie, institution_a, MANAGER)
    assert roles_of(_fresh(charlie)).has(institution_a.pk, MANAGER)
    services.remove_staff_role(
        actor=alice,
        staff_role=StaffRole.objects.get(user=charlie, institution=institution_a, role=MANAGER),
    )
    assert not roles_of(_fresh(charlie)).has(institution_a.pk, MANAGER)


def test_an_institution_leaving_the_alliance_leaves_its_admins_reach(olga, institution_a):
    alliance_id = AllianceRole.objects.get(user=olga).alliance_id
    assert institution_a.pk in roles_of(_fresh(olga)).alliance_member_institutions
    Membership.objects.get(alliance_id=alliance_id, institution=institution_a).delete()
    assert institution_a.pk not in roles_of(_fresh(olga)).alliance_member_institutions


def test_roles_read_while_they_change_are_not_shared(dana, institution_a):
    with transaction.atomic():
        grant(dana, institution_a, MANAGER)
        assert roles_of(_fresh(dana)).has(institution_a.pk, MANAGER)
        transaction.set_rollback(True)
    epochs.bump(epochs.ROLES)  # another change of roles, committed: the epoch meets that value
    assert not roles_of(_fresh(dana)).has(institution_a.pk, MANAGER)
