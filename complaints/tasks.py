"""Background work for complaints: tasks take ids, call a service, and are safe to run twice."""

from datetime import datetime

from celery import shared_task
from django.utils import timezone

from core.retry import RETRY_TRANSIENT


@shared_task(
    name="complaints.feedback_owner_notify",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=600,
    max_retries=5,
)
def feedback_owner_notify_task(feedback_id: int) -> bool:
    """Tell a ticket's owner the guest scored the resolution low and the ticket is reopened."""
    from complaints.services import feedback_owner_notify

    return feedback_owner_notify(feedback_id=feedback_id)


def reminder_instant(value: str | None) -> datetime:
    """The sweep's instant: an ISO date-time (naive means hotel time), or now."""
    if not value:
        return timezone.now()
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if timezone.is_naive(instant):
        instant = timezone.make_aware(instant)
    return instant


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
