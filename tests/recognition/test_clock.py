"""Deadline arithmetic with explicit times: the clock stands still while the officer waits
for the learner."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from recognition import clock

RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MADRID = ZoneInfo("Europe/Madrid")
TOKYO = ZoneInfo("Asia/Tokyo")


def case(deadline, paused_since=None):
    return SimpleNamespace(deadline_at=deadline, paused_since=paused_since)


def test_the_deadline_is_the_end_of_the_day_the_time_limit_ends_in_the_institutions_zone():
    # 1 April 2026, 09:00 UTC is 11:00 in Madrid: the deadline is that day's last moment there.
    deadline = clock.initial_deadline(RECEIVED, 30, MADRID)
    assert deadline == datetime(2026, 4, 1, 23, 59, 59, 999999, tzinfo=MADRID)
    assert deadline.astimezone(UTC) == datetime(2026, 4, 1, 21, 59, 59, 999999, tzinfo=UTC)


def test_the_calendar_day_is_the_institutions_not_the_servers():
    # 21:00 UTC on 1 April is already 2 April in Tokyo.
    late = datetime(2026, 3, 2, 21, 0, tzinfo=UTC)
    assert clock.initial_deadline(late, 30, TOKYO).date().isoformat() == "2026-04-02"
    assert clock.initial_deadline(late, 30, MADRID).date().isoformat() == "2026-04-01"


def test_a_pause_moves_the_deadline_by_its_length_to_the_end_of_that_day():
    deadline = clock.initial_deadline(RECEIVED, 30, MADRID)
    resumed = clock.deadline_after_pause(deadline, RECEIVED + 5 * DAY, RECEIVED + 12 * DAY, MADRID)
    assert resumed == datetime(2026, 4, 8, 23, 59, 59, 999999, tzinfo=MADRID)
    # Six hours past the end of 8 April is 9 April.
    twice = clock.deadline_after_pause(
        resumed, RECEIVED + 20 * DAY, RECEIVED + 20 * DAY + timedelta(hours=6), MADRID
    )
    assert twice == datetime(2026, 4, 9, 23, 59, 59, 999999, tzinfo=MADRID)


def test_a_pause_cannot_end_before_it_began():
    with pytest.raises(ValueError, match="cannot end before"):
        clock.deadline_after_pause(RECEIVED, RECEIVED + DAY, RECEIVED, MADRID)


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


def test_the_appeal_deadline_counts_from_the_decision_to_the_end_of_that_day():
    assert clock.appeal_deadline(RECEIVED, 14, MADRID) == datetime(
        2026, 3, 16, 23, 59, 59, 999999, tzinfo=MADRID
    )
    assert clock.days_between(RECEIVED, RECEIVED + timedelta(hours=36)) == 1.5


def test_silence_is_appealable_once_the_running_clock_passed_the_deadline():
    running = case(RECEIVED + 30 * DAY)
    assert not clock.may_appeal_inaction(running, RECEIVED + 29 * DAY)
    assert clock.may_appeal_inaction(running, RECEIVED + 31 * DAY)
    paused = case(RECEIVED + 30 * DAY, paused_since=RECEIVED + 25 * DAY)
    assert not clock.may_appeal_inaction(paused, RECEIVED + 31 * DAY)
