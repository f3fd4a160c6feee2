"""CSV downloads of a list: streamed row by row, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse
from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: str) -> str:
    """Typed text, safe for a spreadsheet: one starting like a formula (= + - @, or a tab or
    carriage return before one) is read as text, never run."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def _with_bom(rows: Iterator[str]) -> Iterator[str]:
    yield "\ufeff"  # so spreadsheet programs read the Chinese as UTF-8
    yield from rows


def csv_response(rows: Iterable[list[str]], *, name: str) -> StreamingHttpResponse:
    """`rows` (a header first) as a download named `name`-<local time>.csv."""
    writer = csv.writer(_Echo())
    lines = (writer.writerow(row) for row in rows)
    response = StreamingHttpResponse(_with_bom(lines), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response
