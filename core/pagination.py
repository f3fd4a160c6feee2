"""Paging long lists without counting all of them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts up to COUNT_CAP rows: counting 500,000 tickets or a million guests costs a full
    index scan on every page view, and nobody pages that far. `capped` says the list is
    longer (the page asks to narrow the filters)."""

    COUNT_CAP = 10_000
    capped = False

    @cached_property
    def count(self) -> int:
        found = self.object_list[: self.COUNT_CAP + 1].count()
        self.capped = found > self.COUNT_CAP
        return min(found, self.COUNT_CAP)
