"""Reads: the officer's queue and its flags, scoping, precedents, statistics, the report."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.http import Http404

from recognition import selectors, services
from tests.recognition.factories import RECEIVED, submit

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def test_the_queue_shows_only_the_officers_institution_sorted_by_deadline(
    bob, carol, dana, eve, institution_a, institution_b, course_a, course_b
):
    later = submit(dana, institution_a, course_a, now=RECEIVED + 2 * DAY)
    sooner = submit(eve, institution_a, course_a, now=RECEIVED)
    elsewhere = submit(dana, institution_b, course_b)
    queue = list(selectors.officer_queue(user=bob, now=RECEIVED))
    assert queue == [sooner, later]
    assert list(selectors.officer_queue(user=bob, now=RECEIVED, order="-deadline")) == [
        later,
        sooner,
    ]
    assert list(selectors.officer_queue(user=carol, now=RECEIVED)) == [elsewhere]
    assert list(selectors.officer_queue(user=dana, now=RECEIVED)) == []


def test_an_officers_own_request_is_not_in_their_queue(bob, brian, institution_a, course_a):
    own = submit(bob, institution_a, course_a)
    assert list(selectors.officer_queue(user=bob, now=RECEIVED)) == []
    assert list(selectors.officer_queue(user=brian, now=RECEIVED)) == [own]


def test_queue_rows_flag_overdue_due_soon_and_paused(bob, dana, eve, institution_a, course_a):
    overdue = submit(dana, institution_a, course_a, now=RECEIVED - 40 * DAY)
    soon = submit(eve, institution_a, course_a, now=RECEIVED - 27 * DAY)
    services.request_information(officer=bob, case=overdue, question="?", now=RECEIVED - DAY)
    rows = {
        row.case.pk: row
        for row in selectors.queue_rows(selectors.officer_queue(user=bob, now=RECEIVED), RECEIVED)
    }
    assert rows[overdue.pk].paused
    assert not rows[overdue.pk].overdue
    assert rows[soon.pk].due_soon
    assert not rows[soon.pk].overdue
    assert list(selectors.officer_queue(user=bob, now=RECEIVED, status="overdue")) == []
    assert list(selectors.officer_queue(user=bob, now=RECEIVED + 10 * DAY, status="overdue")) == [
        soon
    ]


def test_the_learner_and_the_officers_see_a_case_others_get_404(
    bob, carol, dana, eve, institution_a, course_a
):
    request = submit(dana, institution_a, course_a)
    assert selectors.get_request_for_viewer(user=dana, pk=request.pk) == request
    assert selectors.get_request_for_officer(user=bob, pk=request.pk) == request
    for outsider in (carol, eve):
        with pytest.raises(Http404):
            selectors.get_request_for_viewer(user=outsider, pk=request.pk)
    with pytest.raises(Http404):
        selectors.get_request_for_officer(user=dana, pk=request.pk)


def test_the_wallet_offers_nothing_until_it_is_connected(dana):
    assert selectors.credentials_available_to(learner=dana) == []


def test_public_statistics(bob, dana, eve, institution_a, course_a):
    first = submit(dana, institution_a, course_a, now=RECEIVED)
    services.decide_request(officer=bob, case=first, outcome="full", now=RECEIVED + 10 * DAY)
    second = submit(eve, institution_a, course_a, now=RECEIVED)
    services.decide_request(
        officer=bob,
        case=second,
        outcome="refused",
        differences=[services.DifferenceInput("level", "Lower.")],
        now=RECEIVED + 40 * DAY,
    )
    services.accept_decision(learner=eve, case=second, now=RECEIVED + 41 * DAY)
    submit(dana, institution_a, course_a, now=RECEIVED + 50 * DAY, documents=None)
    stats = selectors.institution_statistics(institution=institution_a)
    assert stats.requests == 3
    assert stats.decided == 2
    assert stats.recognition_rate == 0.5
    assert stats.median_days_to_decision == 25.0
    assert stats.within_time_limit_share == 0.5
    assert stats.automatic_share == 0.0


def test_the_report_is_csv_and_formula_safe(bob, carol, institution_a, course_a):
    learner = type(bob).objects.create_user(email="x@learner.example", password="x")
    learner.full_name = "=cmd|' /C calc'!A0"
    learner.save()
    request = submit(learner, institution_a, course_a, motivation="@SUM(1)")
    services.decide_request(
        officer=bob,
        case=request,
        outcome="partial",
        credits_granted=Decimal("2"),
        differences=[services.DifferenceInput("workload", "-2 ECTS short")],
        now=RECEIVED,
    )
    rows = list(
        csv.reader(
            io.StringIO("".join(selectors.export_cases_csv(user=bob, institution=institution_a)))
        )
    )
    assert rows[0] == selectors.REPORT_COLUMNS
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["learner_name"] == "'=cmd|' /C calc'!A0"
    assert record["outcome"] == "partial"
    assert record["substantial_differences"] == "workload: -2 ECTS short"
    with pytest.raises(Http404):
        list(selectors.export_cases_csv(user=carol, institution=institution_a))
