"""How the scheduled jobs ride out a passing outage of the database or the broker.

The jobs that use this are idempotent (their outcome rows have unique keys), so running one
again after a dropped connection cannot send or post anything twice; without it a day's
greetings or reminders would be lost to a database restart at the wrong minute.
"""

import django.db
import kombu.exceptions

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
