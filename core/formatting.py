"""Dates, times and numbers written for people, in the active language (grc/formats).

Pages use the same formats through the ``date`` filter and these helpers' template filters
(``core_tags``); exports keep ISO dates and plain numbers.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone


def _as_date_or_datetime(value: date | datetime | str) -> date | datetime:
    if isinstance(value, str):
        value = value.strip()
        if "T" in value or " " in value:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed
        return date.fromisoformat(value)
    return value


def day_text(value: date | datetime | str | None) -> str:
    """'3 Dec 2026' / '2026年12月3日'; an instant is read in the hotel's zone first."""
    if value in (None, ""):
        return ""
    value = _as_date_or_datetime(value)
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


def day_month_text(*, month: int | None, day: int | None, year: int | None = None) -> str:
    """A yearly date, with its year when known: "29 Feb" / "29 Feb 1980" / "1980年2月29日"."""
    from core.dates import day_exists

    if not month or not day or not day_exists(month=month, day=day, year=year):
        return ""
    if year:
        return formats.date_format(date(year, month, day), "DATE_FORMAT")
    return formats.date_format(date(2000, month, day), "MONTH_DAY_FORMAT")  # 2000: 29 Feb exists


def instant_text(value: datetime | str | None) -> str:
    """'3 Dec 2026, 14:05' / '2026年12月3日 14:05' in the hotel's zone."""
    if value in (None, ""):
        return ""
    value = _as_date_or_datetime(value)
    if not isinstance(value, datetime):
        return day_text(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def number_text(value: int | float | Decimal | str | None) -> str:
    """5,830 — grouped by thousands in every language we ship."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        try:
            value = Decimal(value)
        except ArithmeticError:
            return value
    return formats.number_format(value, force_grouping=True)
