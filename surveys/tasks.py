"""Background work for surveys: tasks take ids, call a service, and are safe to run twice."""

from celery import shared_task

from core.retry import RETRY_TRANSIENT


@shared_task(name="surveys.recovery", ignore_result=True, **RETRY_TRANSIENT)
def survey_recovery_task(response_id: int) -> str:
    """Open the recovery ticket for a low-scored survey response (once, however often run)."""
    from surveys.recovery import survey_recovery

    return survey_recovery(response_id=response_id)
