"""The wallet predicates in `wallet.permissions`: the holder only (another learner and
other institutions' staff are refused); exports also for the issuing institution's staff."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from issuance import permissions as issuance_permissions
from wallet import permissions as wallet_permissions

pytestmark = pytest.mark.django_db


def _owned_by(user):
    return SimpleNamespace(learner_id=user.pk)


@pytest.mark.parametrize(
    "predicate",
    [
        wallet_permissions.can_share_credential,
        wallet_permissions.can_manage_share_link,
        wallet_permissions.can_view_imported_credential,
    ],
)
def test_only_the_holder(predicate, dana, eve, alice, oscar):
    owned = _owned_by(dana)
    assert predicate(dana, owned)
    assert not predicate(eve, owned)
    assert not predicate(alice, owned)
    assert not predicate(oscar, owned)
    dana.is_active = False
    assert not predicate(dana, owned)


def test_exports_for_the_holder_and_the_issuing_institutions_staff(
    dana, eve, alice, bob, charlie, institution_a
):
    credential = SimpleNamespace(learner_id=dana.pk, issuer_id=institution_a.pk)
    assert wallet_permissions.can_download_credential_exports(dana, credential)
    assert wallet_permissions.can_download_credential_exports(alice, credential)
    assert not wallet_permissions.can_download_credential_exports(eve, credential)
    assert not wallet_permissions.can_download_credential_exports(bob, credential)  # officer only
    assert not wallet_permissions.can_download_credential_exports(charlie, credential)


def test_seals_for_the_institutions_admins(alice, bob, charlie, olga, dana, institution_a):
    assert issuance_permissions.can_manage_seal(alice, institution_a)
    assert issuance_permissions.can_manage_seal(olga, institution_a)  # alliance admin
    assert not issuance_permissions.can_manage_seal(bob, institution_a)
    assert not issuance_permissions.can_manage_seal(charlie, institution_a)
    assert not issuance_permissions.can_manage_seal(dana, institution_a)
