"""Foundation tasks: a round-trip probe, the scheduler heartbeat and message delivery."""

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


@shared_task(name="grc.notification_send", bind=True, max_retries=None)
def notification_send_task(self, notification_id: int) -> str:
    """Deliver one notification; a passing failure comes back after a growing delay.

    The attempt count lives on the row, so the database, not this task, decides when to stop.
    """
    from grc.messaging.services import notification_send, retry_delay
    from grc.models import Notification

    outcome = notification_send(notification_id=notification_id)
    if outcome == "retry":
        attempts = Notification.objects.values_list("attempts", flat=True).get(pk=notification_id)
        raise self.retry(countdown=retry_delay(attempts).total_seconds())
    return outcome


@shared_task(name="grc.notifications_due_sweep", ignore_result=True)
def notifications_due_sweep_task() -> int:
    """Queue pending messages whose retry time has passed (a lost retry is never lost long)."""
    from grc.messaging.services import notifications_due_sweep

    return notifications_due_sweep()
