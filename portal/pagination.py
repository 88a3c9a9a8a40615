"""Pagination that counts no further than a reader can page."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """Counts at most `cap` rows (plus one, to know there are more).

    An exact count reads every matching row: over a catalogue of 100,000 programmes that was
    most of a page's time, for a number nobody pages through. Beyond the cap the page says
    "more than" and offers the first `cap` rows, best first.
    """

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, cap: int, **kwargs: Any):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _counted(self) -> int:
        # Unordered: the database stops at the cap instead of sorting every match first.
        rows: QuerySet[Any] = self.object_list  # type: ignore[assignment]
        return int(rows.order_by()[: self.cap + 1].count())

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than are counted and offered."""
        return self._counted > self.cap
