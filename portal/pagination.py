"""Pagination that counts no further than a reader can page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet


class CappedPaginator(Paginator):
    """Pages through at most `cap` rows, read in one query together with one more row (to
    know that more match).

    An exact count reads every matching row: over a catalogue of 100,000 programmes that was
    most of a page's time, for a number nobody pages through. Beyond the cap the page says
    "more than" and offers the first `cap` rows, best first. Counting up to the cap and then
    reading the page was two passes over the matches (the second ranking them all again for a
    text query); reading the first `cap + 1` rows is one, so give it narrow rows such as ids.
    """

    def __init__(
        self, object_list: QuerySet[Any] | Sequence[Any], per_page: int, *, cap: int, **kwargs: Any
    ):
        first = list(object_list[: cap + 1])
        super().__init__(first[:cap], per_page, **kwargs)
        self.cap = cap
        # More rows match than are counted and offered.
        self.capped = len(first) > cap
