"""Notification e-mails go through a real Celery worker when a broker is configured."""

from __future__ import annotations

import pytest

from alliances import services
from tests.services import wait_for

pytestmark = pytest.mark.services


def test_invitation_email_is_delivered_by_a_worker(workers, alice, institution_a):
    workers.start()
    invitation = services.invite_staff(
        actor=alice, institution=institution_a, email="remote@example.org", role="programme_manager"
    )
    delivered = wait_for(lambda: list(workers.mail_dir.glob("*.log")), timeout=60)
    body = delivered[0].read_text()
    assert "remote@example.org" in body
    assert invitation.token in body
