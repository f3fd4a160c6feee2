"""Scheduled loyalty jobs. Thin: they parse a date and call a service; safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task

from core.catch_up import daily_run, day_done
from core.dates import hotel_day
from core.retry import RETRY_TRANSIENT


def _day(today: str | None) -> datetime.date:
    return hotel_day(today)


@shared_task(name="loyalty.points_expire_run", **RETRY_TRANSIENT)
def points_expire_run_task(today: str | None = None) -> int:
    """Nightly: expire points past their expiry date (the hotel's today unless given)."""
    from loyalty.services import points_expire_run

    return points_expire_run(today=_day(today))


@shared_task(name="loyalty.tier_review_run", **RETRY_TRANSIENT)
def tier_review_run_task(today: str | None = None) -> int:
    """Annually: re-qualify every member's tier; the only place a tier goes down."""
    from loyalty.services import tier_review_run

    return tier_review_run(today=_day(today))


@shared_task(name="loyalty.stays_points_post_run", **RETRY_TRANSIENT)
def stays_points_post_run_task(today: str | None = None) -> int:
    """Nightly: the stays that departed the day before `today` (the hotel's today unless
    given) earn their points."""
    from loyalty.services import stays_points_post_run

    def run(on: datetime.date) -> int:
        return stays_points_post_run(day=on - datetime.timedelta(days=1))

    job = "loyalty.stays_points_post_run"
    if today:
        on = _day(today)
        posted = run(on)
        day_done(job=job, day=on)
        return posted
    # run by beat: the days beat missed too (core.catch_up)
    return sum(daily_run(job=job, today=_day(None), run=run).values())
