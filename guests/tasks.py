"""Scheduled guest care: greetings and post-stay follow-ups. Thin: parse, call a service."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from core.catch_up import daily_run, day_done
from core.dates import hotel_day
from core.retry import RETRY_TRANSIENT


@shared_task(name="guests.greetings_daily", **RETRY_TRANSIENT)
def greetings_daily_task(day: str | None = None) -> dict:
    """Find the day's birthdays and special days and fan them out in chunks.

    Given a day, that day's counts per kind. Run by beat (no day), it also catches up the
    days beat missed (core.catch_up) and returns each day's counts.
    """
    from guests.greetings import greetings_fan_out

    def enqueue(kind: str, ids: list[int], on: date) -> None:
        greetings_chunk_task.delay(kind, ids, on.isoformat())

    def run(on: date) -> dict[str, int]:
        return greetings_fan_out(day=on, enqueue=enqueue)

    if day:
        on = hotel_day(day)
        counts = run(on)
        day_done(job="guests.greetings_daily", day=on)
        return counts
    return daily_run(job="guests.greetings_daily", today=hotel_day(None), run=run)


@shared_task(name="guests.greetings_chunk", **RETRY_TRANSIENT)
def greetings_chunk_task(kind: str, ids: list[int], day: str) -> int:
    from guests.greetings import greetings_send_chunk

    return greetings_send_chunk(kind=kind, ids=ids, day=date.fromisoformat(day))


@shared_task(name="guests.post_stay_followups", **RETRY_TRANSIENT)
def post_stay_followups_task(day: str | None = None) -> dict:
    """The day's thank-yous and follow-up tasks; run by beat, the missed days' too."""
    from guests.followups import post_stay_followups_create

    def run(on: date) -> dict[str, int]:
        return post_stay_followups_create(day=on)

    if day:
        on = hotel_day(day)
        counts = run(on)
        day_done(job="guests.post_stay_followups", day=on)
        return counts
    return daily_run(job="guests.post_stay_followups", today=hotel_day(None), run=run)


@shared_task(name="guests.stages_refresh", **RETRY_TRANSIENT)
def guest_stages_refresh_task(day: str | None = None) -> dict[str, int]:
    """Nightly: in-house and past-guest stages follow the stays."""
    from guests.services import guest_stages_refresh

    return guest_stages_refresh(today=hotel_day(day))


@shared_task(name="guests.duplicates_refresh", **RETRY_TRANSIENT)
def duplicates_refresh_task() -> dict:
    """Find likely duplicate profiles across the hotel for the Duplicates list (nightly)."""
    from guests.duplicates import duplicates_refresh

    return duplicates_refresh()
