"""The background import and what it tells other apps. Thin: take ids, call a service."""

from __future__ import annotations

from celery import shared_task

from core.retry import RETRY_TRANSIENT


# Longer than the default limit: a big file takes minutes; a run cut short resumes anyway.
@shared_task(name="imports.run_execute", time_limit=4 * 3600, soft_time_limit=4 * 3600 - 60)
def run_execute_task(run_id: int) -> str:
    """Import the run's checked rows chunk by chunk. Safe twice: only one worker claims it."""
    from imports.services import run_execute

    run = run_execute(run_id=run_id)
    return run.status if run is not None else "not claimed"


@shared_task(name="imports.stay_hooks_run", **RETRY_TRANSIENT)
def stay_hooks_run_task(stay_ids: list[int]) -> int:
    """Tell other apps about the stays one chunk wrote (loyalty earns for stays that have
    ended), as guests.services does for a stay saved by hand. Each hook is safe to run twice."""
    from imports.services import stay_hooks_run

    return stay_hooks_run(stay_ids=stay_ids)
