"""Dates the whole product agrees on: yearly occasions (29 February) and the day/instant a job
or command is run for."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time

from django.utils import timezone


def day_exists(*, month: int, day: int, year: int | None = None) -> bool:
    """Whether `day` is a day of `month`; without a year, 29 February exists."""
    if not 1 <= month <= 12:
        return False
    days = calendar.monthrange(year or 2000, month)[1]  # 2000 is a leap year
    return 1 <= day <= days


def occasion_days(day: date) -> list[tuple[int, int]]:
    """The (month, day) pairs celebrated on `day`: 29 February is kept on 28 February in
    years without one."""
    days = [(day.month, day.day)]
    if (day.month, day.day) == (2, 28) and not calendar.isleap(day.year):
        days.append((2, 29))
    return days


def occasion_in_year(*, month: int, day: int, year: int) -> date:
    """The date a yearly occasion falls on in `year` (29 February → 28 February)."""
    if month == 2 and day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return date(year, month, day)


def occasion_next(*, month: int, day: int, today: date) -> date:
    """The next time (today or later) a yearly date comes round."""
    this_year = occasion_in_year(month=month, day=day, year=today.year)
    if this_year >= today:
        return this_year
    return occasion_in_year(month=month, day=day, year=today.year + 1)


def hotel_instant(value: str | None) -> datetime:
    """An instant given to a job or command: ISO date-time (a trailing Z is UTC; no offset
    means hotel time), or now. A bare date means the start of that day in the hotel."""
    if not value:
        return timezone.now()
    value = value.strip()
    if "T" not in value and " " not in value:
        day = date.fromisoformat(value)
        return timezone.make_aware(datetime.combine(day, time.min))
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    return instant


def hotel_day(value: str | None) -> date:
    """The hotel's date given to a job or command: YYYY-MM-DD, or an ISO instant, or today.

    Workers may run in any time zone; "today" is always the hotel's (settings.TIME_ZONE).
    """
    if not value:
        return timezone.localdate()
    value = value.strip()
    if "T" in value or " " in value:
        return timezone.localdate(hotel_instant(value))
    return date.fromisoformat(value)
