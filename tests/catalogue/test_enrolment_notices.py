"""Learners are told by e-mail that they are enrolled or waiting, in their language, and see an
enrolment as completed once they pass (back to enrolled if the pass is corrected)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from catalogue import services
from portal.errors import ConflictError
from tests.catalogue.factories import learners, open_offering, past, published_programme
from tests.issuance.factories import run_on_commit

pytestmark = pytest.mark.django_db


@pytest.fixture
def offering(alice, institution_a):
    return open_offering(alice, published_programme(alice, institution_a), capacity=1)


def test_enrolling_sends_a_confirmation_and_a_full_offering_a_waiting_list_notice(offering):
    first, second = learners(2)
    second.preferred_language = "de"
    second.save(update_fields=["preferred_language"])
    with run_on_commit():
        services.enrol(learner=first, offering=offering)
    with run_on_commit():
        services.enrol(learner=second, offering=offering)
    assert [message.to for message in mail.outbox] == [[first.email], [second.email]]
    confirmation, waiting = mail.outbox
    assert confirmation.subject == "You are enrolled: Data literacy for engineers"
    assert 'You are enrolled in "Data literacy for engineers", from' in confirmation.body
    assert "/dashboard/" in confirmation.body
    assert waiting.subject == "Auf der Warteliste: Data literacy for engineers"


def test_no_notice_when_the_enrolment_is_refused(offering):
    (learner,) = learners(1)
    with run_on_commit():
        services.enrol(learner=learner, offering=offering)
    mail.outbox.clear()
    with pytest.raises(ConflictError), run_on_commit():
        services.enrol(learner=learner, offering=offering)
    assert mail.outbox == []


def test_a_pass_completes_the_enrolment_for_the_learner(as_user, alice, offering):
    (learner,) = learners(1)
    enrolment = services.enrol(learner=learner, offering=offering)
    dashboard = as_user(learner).get(reverse("dashboard")).content.decode()
    assert "Completed" not in dashboard
    for outcome, grade, completed in (("passed", "8", True), ("failed", "3", False)):
        services.record_result(
            actor=alice,
            enrolment=enrolment,
            outcome=outcome,
            grade=grade,
            assessed_on=past(),
            identity_verified=True,
        )
        enrolment.refresh_from_db()
        assert enrolment.is_completed is completed
        dashboard = as_user(learner).get(reverse("dashboard")).content.decode()
        assert ("Completed" in dashboard) is completed


def test_the_api_tells_the_learner_when_the_enrolment_was_completed(api_as, alice, offering):
    (learner,) = learners(1)
    enrolment = services.enrol(learner=learner, offering=offering)
    assert api_as(learner).get("/api/v1/enrolments/").json()[0]["completed_at"] is None
    services.record_result(
        actor=alice,
        enrolment=enrolment,
        outcome="passed",
        grade="8",
        assessed_on=past(),
        identity_verified=True,
    )
    assert api_as(learner).get("/api/v1/enrolments/").json()[0]["completed_at"] is not None
