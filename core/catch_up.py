"""Daily jobs that catch up the days beat missed.

Beat fires a daily job once a day; if workers and beat were down all that day, nothing fires
it again. A job run by beat (no day given) therefore runs every day since the last one it
completed (core.models.JobDay), at most DAILY_JOBS_CATCH_UP_DAYS days back, then today. The
jobs are idempotent (their outcome rows have unique keys), so a day run twice sends nothing
twice; a day is recorded only once its run has finished.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.db.models import Max

from core.models import JobDay

T = TypeVar("T")


def days_to_run(*, job: str, today: date, most: int | None = None) -> list[date]:
    """The days missed since the job last completed (at most `most` back), then today."""
    most = settings.DAILY_JOBS_CATCH_UP_DAYS if most is None else most
    last = JobDay.objects.filter(job=job, day__lt=today).aggregate(last=Max("day"))["last"]
    if last is None:
        return [today]  # never run before (a new install): nothing to catch up
    first = max(last + timedelta(days=1), today - timedelta(days=most))
    return [first + timedelta(days=n) for n in range((today - first).days)] + [today]


def day_done(*, job: str, day: date) -> None:
    JobDay.objects.update_or_create(job=job, day=day)


def daily_run(*, job: str, today: date, run: Callable[[date], T]) -> dict[str, T]:
    """Run `run(day)` for each day to run, recording each when it completes.

    Returns each day's result by ISO date. A failure stops here with the days before it
    recorded, so the next run starts again at the day that failed.
    """
    results = {}
    for day in days_to_run(job=job, today=today):
        results[day.isoformat()] = run(day)
        day_done(job=job, day=day)
    return results
