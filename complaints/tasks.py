"""Background work for complaints: tasks take ids, call a service, and are safe to run twice."""

from celery import shared_task


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
