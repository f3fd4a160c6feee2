"""The nightly valuation and churn radar. Thin: parse, call the services."""

from __future__ import annotations

from dataclasses import asdict

from celery import shared_task

from core.dates import hotel_day
from core.retry import RETRY_TRANSIENT


@shared_task(name="retention.nightly", **RETRY_TRANSIENT)
def retention_nightly_task(day: str | None = None) -> dict:
    """Every guest's and company's value and segment, then the churn radar's tasks. Safe to
    run twice: the figures are recomputed whole and each absence has one task."""
    from retention.services.radar import radar_run
    from retention.services.valuation import values_refresh

    today = hotel_day(day)
    counts = asdict(values_refresh(today=today))
    counts.update(radar_run(today=today))
    return counts
