"""The populated portal every hardening test starts from."""

from __future__ import annotations

import pytest

from tests.hardening.world import build_world


@pytest.fixture
def world(
    alice, bob, charlie, carol, dana, eve, olga, oscar, institution_a, institution_b, alliance
):
    cast = {
        "anonymous": None,
        "learner": dana,
        "other_learner": eve,
        "owner_staff": alice,
        "other_staff": charlie,
        "owner_officer": bob,
        "other_officer": carol,
        "alliance_admin": olga,
        "operator": oscar,
    }
    return build_world(cast, institution_a, institution_b, alliance)
