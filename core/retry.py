"""How the scheduled jobs ride out a passing outage of the database or the broker.

The jobs that use this are idempotent (their outcome rows have unique keys), so running one
again after a dropped connection cannot send or post anything twice; without it a day's
greetings or reminders would be lost to a database restart at the wrong minute.
"""

import logging

import django.db
import kombu.exceptions

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (
    django.db.OperationalError,
    django.db.InterfaceError,
    kombu.exceptions.OperationalError,
)

# @shared_task(name=…, **RETRY_TRANSIENT): 1 s, 2 s, 4 s … (jittered) up to 10 minutes, 5 times.
RETRY_TRANSIENT = {
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": True,
    "retry_backoff_max": 600,
    "max_retries": 5,
}


def queue_or_run_now(task, *args, run, what: str) -> None:
    """Queue `task` (on commit, usually); with the broker down, do its work here and now.

    The caller's transaction is already committed, so a broker outage must not turn into an
    error the user sees after their change was saved. `run()` does what the task would (every
    task here is idempotent, so a late redelivery changes nothing); if the database fails too,
    the error is logged and the periodic sweeps or staff pick the work up.
    """
    try:
        task.delay(*args)
        return
    except TRANSIENT_ERRORS as exc:
        logger.warning("broker unavailable; %s done now instead: %s", what, exc)
    try:
        run()
    except TRANSIENT_ERRORS as exc:
        logger.error("%s not done: %s", what, exc)
