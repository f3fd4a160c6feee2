"""Scheduled guest care: greetings and post-stay follow-ups. Thin: parse, call a service."""

from __future__ import annotations

from datetime import date

from celery import shared_task

from core.dates import hotel_day
from core.retry import RETRY_TRANSIENT


@shared_task(name="guests.greetings_daily", **RETRY_TRANSIENT)
def greetings_daily_task(day: str | None = None) -> dict[str, int]:
    """Find today's birthdays and special days and fan them out in chunks."""
    from guests.greetings import greetings_fan_out

    def enqueue(kind: str, ids: list[int], on: date) -> None:
        greetings_chunk_task.delay(kind, ids, on.isoformat())

    return greetings_fan_out(day=hotel_day(day), enqueue=enqueue)


@shared_task(name="guests.greetings_chunk", **RETRY_TRANSIENT)
def greetings_chunk_task(kind: str, ids: list[int], day: str) -> int:
    from guests.greetings import greetings_send_chunk

    return greetings_send_chunk(kind=kind, ids=ids, day=date.fromisoformat(day))


@shared_task(name="guests.post_stay_followups", **RETRY_TRANSIENT)
def post_stay_followups_task(day: str | None = None) -> dict[str, int]:
    from guests.followups import post_stay_followups_create

    return post_stay_followups_create(day=hotel_day(day))


@shared_task(name="guests.stages_refresh", **RETRY_TRANSIENT)
def guest_stages_refresh_task(day: str | None = None) -> dict[str, int]:
    """Nightly: in-house and past-guest stages follow the stays."""
    from guests.services import guest_stages_refresh

    return guest_stages_refresh(today=hotel_day(day))
