"""Deadline arithmetic with explicit times: the clock stands still while the officer waits
for the learner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from recognition import clock

RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def case(deadline, paused_since=None):
    return SimpleNamespace(deadline_at=deadline, paused_since=paused_since)


def test_the_deadline_is_the_time_limit_in_calendar_days_after_receipt():
    assert clock.initial_deadline(RECEIVED, 30) == datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def test_a_pause_moves_the_deadline_by_exactly_its_length():
    deadline = clock.initial_deadline(RECEIVED, 30)
    resumed = clock.deadline_after_pause(deadline, RECEIVED + 5 * DAY, RECEIVED + 12 * DAY)
    assert resumed == RECEIVED + 37 * DAY
    twice = clock.deadline_after_pause(
        resumed, RECEIVED + 20 * DAY, RECEIVED + 20 * DAY + timedelta(hours=6)
    )
    assert twice == RECEIVED + 37 * DAY + timedelta(hours=6)


def test_a_pause_cannot_end_before_it_began():
    with pytest.raises(ValueError, match="cannot end before"):
        clock.deadline_after_pause(RECEIVED, RECEIVED + DAY, RECEIVED)


def test_while_paused_the_deadline_keeps_moving_and_is_never_overdue():
    paused = case(RECEIVED + 30 * DAY, paused_since=RECEIVED + 25 * DAY)
    now = RECEIVED + 40 * DAY
    assert clock.effective_deadline(paused, now) == RECEIVED + 45 * DAY
    assert not clock.is_overdue(paused, now)
    assert not clock.is_due_soon(paused, now)
    assert clock.time_left(paused, now) == 5 * DAY


def test_overdue_and_due_soon_flags():
    running = case(RECEIVED + 30 * DAY)
    assert not clock.is_due_soon(running, RECEIVED + 20 * DAY)
    assert clock.is_due_soon(running, RECEIVED + 26 * DAY)
    assert not clock.is_overdue(running, RECEIVED + 29 * DAY)
    assert clock.is_overdue(running, RECEIVED + 30 * DAY)
    assert not clock.is_due_soon(running, RECEIVED + 31 * DAY)


def test_the_appeal_deadline_counts_from_the_decision():
    assert clock.appeal_deadline(RECEIVED, 14) == RECEIVED + 14 * DAY
    assert clock.days_between(RECEIVED, RECEIVED + timedelta(hours=36)) == 1.5
