"""The shell's tasks: a round-trip probe and the scheduler heartbeat."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from grc.health import HEARTBEAT_KEY


@shared_task(name="grc.ping")
def ping() -> str:
    """Answer 'pong': proves a worker takes tasks from the broker and returns results."""
    return "pong"


@shared_task(name="grc.heartbeat", ignore_result=True)
def heartbeat() -> str:
    """Record that beat is firing scheduled jobs; /healthz shows when it last did."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=24 * 3600)
    return now
