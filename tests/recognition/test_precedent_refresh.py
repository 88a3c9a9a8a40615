"""When a case is decided, open cases about the same credential and target show the new
precedent at once: the officer does not run the checks again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from recognition import services
from tests.recognition.factories import DATA_COURSE, RECEIVED, signed_credential, submit

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _precedents(case) -> dict:
    case.refresh_from_db()
    return next(check for check in case.checks["checks"] if check["id"] == "precedents")


@pytest.fixture
def two_open_cases(dana, eve, institution_a, course_a):
    first = submit(dana, institution_a, course_a)
    second = submit(eve, institution_a, course_a, now=RECEIVED + DAY)
    for case in (first, second):
        services.run_preassessment(request_id=case.pk, now=RECEIVED + DAY)
    return first, second


def test_deciding_a_case_refreshes_the_precedents_of_a_similar_open_case(bob, two_open_cases):
    first, second = two_open_cases
    assert _precedents(second)["evidence"] == {}
    checks_before = [c for c in second.checks["checks"] if c["id"] != "precedents"]

    services.decide_request(officer=bob, case=first, outcome="full", now=RECEIVED + 2 * DAY)

    rows = _precedents(second)["evidence"]["decisions"]
    assert [(row["request_id"], row["outcome"]) for row in rows] == [(first.pk, "full")]
    # Only the precedents changed; the rest of the report is as it was computed.
    assert [c for c in second.checks["checks"] if c["id"] != "precedents"] == checks_before
    assert second.checks["precedents_refreshed_at"].startswith(str((RECEIVED + 2 * DAY).date()))
    assert AuditEvent.objects.filter(
        action="recognition.precedents_refreshed", object_id=str(second.pk)
    ).exists()


def test_the_officer_sees_the_new_precedent_on_the_case_page(as_user, bob, two_open_cases):
    first, second = two_open_cases
    services.decide_request(officer=bob, case=first, outcome="full", now=RECEIVED + 2 * DAY)
    html = (
        as_user(bob)
        .get(reverse("recognition:case_detail", kwargs={"pk": second.pk}))
        .content.decode()
    )
    assert first.reference in html
    assert "Recognised in full" in html
    assert "Earlier decisions updated on" in html


def test_a_case_about_another_credential_is_left_alone(bob, dana, eve, institution_a, course_a):
    first = submit(dana, institution_a, course_a)
    other = submit(
        eve,
        institution_a,
        course_a,
        documents=[signed_credential(replace(DATA_COURSE, achievement_id="urn:uuid:another"))],
    )
    for case in (first, other):
        services.run_preassessment(request_id=case.pk, now=RECEIVED + DAY)
    other.refresh_from_db()
    before = other.checks
    services.decide_request(officer=bob, case=first, outcome="full", now=RECEIVED + 2 * DAY)
    other.refresh_from_db()
    assert other.checks == before
