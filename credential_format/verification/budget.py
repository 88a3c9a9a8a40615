"""How long one verification may take: all its fetches (status lists, DID and controller
documents, including those of the status lists' own proofs) share one deadline, and the whole
verification has a cap; a nested verification (of a status list) shares the outer budget."""

from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from credential_format.verification.fetchers import Fetcher, FetchError
from credential_format.verification.report import Outcome, VerificationReport

# All the fetches of one verification (status lists, DID and controller documents, including
# those of the status lists' own proofs) share one deadline; the whole verification has a cap.
FETCH_BUDGET_SECONDS = 10.0
VERIFICATION_BUDGET_SECONDS = 20.0


@dataclass(frozen=True)
class _Budget:
    fetch_deadline: float
    deadline: float


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar(
    "verification_budget", default=None
)


def fetch_deadline() -> float | None:
    """The ``time.monotonic()`` by which every fetch of the running verification must be done
    (None outside a verification). Network fetchers bound their whole exchange by it, not
    only each read, so a server that answers one byte at a time cannot hold a verification."""
    budget = _budget.get()
    return None if budget is None else budget.fetch_deadline


@contextmanager
def verification_budget(fetch_seconds: float, total_seconds: float) -> Iterator[_Budget]:
    """The budget of the outermost verification; a nested one (a status list's) shares it."""
    current = _budget.get()
    if current is not None:
        yield current
        return
    now = time.monotonic()
    budget = _Budget(now + fetch_seconds, now + total_seconds)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


class BudgetedFetcher:
    """Refuses to start a fetch once the verification's fetch deadline has passed."""

    def __init__(self, fetcher: Fetcher, budget: _Budget) -> None:
        self._fetcher = fetcher
        self._budget = budget

    def fetch_json(self, url: str) -> dict[str, Any]:
        if time.monotonic() >= self._budget.fetch_deadline:
            raise FetchError(
                f"{url} was not fetched: the time allowed for fetching documents during one "
                "verification is used up."
            )
        return self._fetcher.fetch_json(url)


def out_of_time(report: VerificationReport) -> bool:
    budget = _budget.get()
    if budget is None or time.monotonic() < budget.deadline:
        return False
    if report.check("time-limit") is None:
        report.add(
            "time-limit",
            Outcome.FAILED,
            "The verification took longer than allowed and was stopped before every check "
            "was made, so the credential cannot be confirmed. Try again later.",
            "VERIFICATION_TIME_LIMIT",
        )
    return True
