from __future__ import annotations

import pytest

from tests.factories import OFFICER, UserFactory, grant
from tests.recognition.factories import policy, target


@pytest.fixture
def brian(institution_a):
    """A second recognition officer at institution A."""
    return grant(
        UserFactory(email="brian@a.example", full_name="Brian Officer"), institution_a, OFFICER
    )


@pytest.fixture
def course_a(alice, bob, institution_a):
    """Institution A publishes its procedure (30 days, appeal 14 days) and a 5-ECTS course."""
    policy(alice, institution_a)
    return target(bob, institution_a)


@pytest.fixture
def course_b(charlie, carol, institution_b):
    policy(charlie, institution_b)
    return target(carol, institution_b, code="B-DS", title="Datenanalyse")
