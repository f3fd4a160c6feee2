"""Delivering the outbox. The task names keep their old "grc." prefix on purpose: the beat
schedule rows and any task already queued in the broker name them, and must keep working."""

from celery import shared_task


# No result is kept: the row is the record. A result would also tie each queueing to the result
# store, whose reconnect gives up with a RuntimeError after 20 s while Redis is down.
@shared_task(name="grc.notification_send", bind=True, max_retries=None, ignore_result=True)
def notification_send_task(self, notification_id: int) -> str:
    """Deliver one notification; a passing failure comes back after a growing delay.

    The attempt count lives on the row, so the database, not this task, decides when to stop.
    """
    from notifications.models import Notification
    from notifications.services import notification_send, retry_delay

    outcome = notification_send(notification_id=notification_id)
    if outcome == "retry":
        attempts = Notification.objects.values_list("attempts", flat=True).get(pk=notification_id)
        raise self.retry(countdown=retry_delay(attempts).total_seconds())
    return outcome


@shared_task(name="grc.notifications_due_sweep", ignore_result=True)
def notifications_due_sweep_task() -> int:
    """Queue pending messages whose retry time has passed (a lost retry is never lost long)."""
    from notifications.services import notifications_due_sweep

    return notifications_due_sweep()


@shared_task(name="notifications.stuck_resolve", ignore_result=True)
def notifications_stuck_resolve_task() -> dict[str, int]:
    """Resolve messages left "sending" by a worker that died mid-send (see the service)."""
    from notifications.services import notifications_stuck_resolve

    return notifications_stuck_resolve()
