"""Background work for complaints: tasks take ids, call a service, and are safe to run twice."""

from datetime import datetime

from celery import shared_task

from core.dates import hotel_instant
from core.retry import RETRY_TRANSIENT


@shared_task(name="complaints.feedback_owner_notify", ignore_result=True, **RETRY_TRANSIENT)
def feedback_owner_notify_task(feedback_id: int) -> bool:
    """Tell a ticket's owner the guest scored the resolution low and the ticket is reopened."""
    from complaints.services import feedback_owner_notify

    return feedback_owner_notify(feedback_id=feedback_id)


# No result is kept (the outbox row is the record): a result would tie each queueing to the
# result store, whose reconnect gives up with a RuntimeError after 20 s while Redis is down.
@shared_task(name="complaints.feedback_request", ignore_result=True, **RETRY_TRANSIENT)
def feedback_request_task(ticket_id: int) -> str:
    """Send the guest the feedback link for the ticket's latest resolution (once a round)."""
    from complaints.services import feedback_request_send

    return feedback_request_send(ticket_id=ticket_id)


reminder_instant = hotel_instant  # the sweep's instant (core.dates)


def _sweep(kinds: tuple[str, ...], at: str | None) -> dict[str, int]:
    from complaints.services.reminders import reminders_fan_out

    def enqueue(kind: str, ids: list[int], instant: datetime) -> None:
        reminders_chunk_task.delay(kind, ids, instant.isoformat())

    return reminders_fan_out(kinds=kinds, at=reminder_instant(at), enqueue=enqueue)


@shared_task(name="complaints.reminders_sla", **RETRY_TRANSIENT)
def reminders_sla_task(at: str | None = None) -> dict[str, int]:
    """Every few minutes: targets due soon to their owners; missed targets escalated."""
    from complaints.services.reminders import SLA_KINDS

    return _sweep(SLA_KINDS, at)


@shared_task(name="complaints.reminders_follow_up", **RETRY_TRANSIENT)
def reminders_follow_up_task(at: str | None = None) -> dict[str, int]:
    """Each morning: tickets whose follow-up date has come, to their owners."""
    from complaints.services.reminders import FOLLOW_UP_KINDS

    return _sweep(FOLLOW_UP_KINDS, at)


@shared_task(name="complaints.reminders_feedback_missing", **RETRY_TRANSIENT)
def reminders_feedback_missing_task(at: str | None = None) -> dict[str, int]:
    """Hourly: resolutions still without the guest's feedback after 48 hours."""
    from complaints.services.reminders import FEEDBACK_KINDS

    return _sweep(FEEDBACK_KINDS, at)


@shared_task(name="complaints.reminders_chunk", **RETRY_TRANSIENT)
def reminders_chunk_task(kind: str, ids: list[int], at: str) -> int:
    from complaints.services.reminders import reminders_send_chunk

    return reminders_send_chunk(kind=kind, ids=ids, at=reminder_instant(at))
