"""Deadline arithmetic for recognition requests, as pure functions of explicit times.

Time limits are calendar days counted from the moment the request was received (Lisbon
Recognition Convention, Art. III.5: a reasonable time limit set in advance). Deadlines are
shown to learners as dates in the receiving institution's time zone, so they are enforced at
that precision too: a deadline is the end of its calendar day there. While the
officer waits for information from the learner the clock stands still: when the learner
answers, the deadline moves later by exactly the time the clock stood still. Nothing here
reads the current time; callers pass `now`, so tests freeze time by passing it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any

DUE_SOON = timedelta(days=5)
CASE_LEASE = timedelta(hours=2)


def end_of_local_day(moment: datetime, zone: tzinfo) -> datetime:
    """The last microsecond of `moment`'s calendar day in `zone`."""
    local = moment.astimezone(zone)
    return datetime.combine(local.date(), time.max, tzinfo=zone)


def initial_deadline(received_at: datetime, time_limit_days: int, zone: tzinfo) -> datetime:
    return end_of_local_day(received_at + timedelta(days=time_limit_days), zone)


def deadline_after_pause(
    deadline: datetime, paused_since: datetime, resumed_at: datetime, zone: tzinfo
) -> datetime:
    """The deadline once a pause that began at `paused_since` ends at `resumed_at`: later by
    the time the clock stood still, to the end of that day."""
    if resumed_at < paused_since:
        raise ValueError("A pause cannot end before it began")
    return end_of_local_day(deadline + (resumed_at - paused_since), zone)


def effective_deadline(case: Any, now: datetime) -> datetime:
    """The deadline as it stands at `now`: an open pause keeps pushing it later."""
    if case.paused_since is not None:
        return case.deadline_at + (max(now, case.paused_since) - case.paused_since)
    return case.deadline_at


def time_left(case: Any, now: datetime) -> timedelta:
    return effective_deadline(case, now) - now


def is_overdue(case: Any, now: datetime) -> bool:
    return case.paused_since is None and case.deadline_at <= now


def is_due_soon(case: Any, now: datetime, within: timedelta = DUE_SOON) -> bool:
    return case.paused_since is None and now < case.deadline_at <= now + within


def appeal_deadline(decided_at: datetime, appeal_period_days: int, zone: tzinfo) -> datetime:
    return end_of_local_day(decided_at + timedelta(days=appeal_period_days), zone)


def may_appeal_inaction(case: Any, now: datetime) -> bool:
    """Silence is appealable (Lisbon Recognition Convention, Art. III.5): once the time limit
    has passed with the clock running and no decision taken."""
    return is_overdue(case, now)


def days_between(start: datetime, end: datetime) -> float:
    return (end - start).total_seconds() / 86400
