import pytest
from django.core import mail

from complaints import services
from complaints.models import ResolutionFeedback
from complaints.tasks import feedback_owner_notify_task


@pytest.mark.django_db
def test_the_notification_task_is_safe_to_run_twice(resolved_ticket, officer):
    feedback = services.feedback_record(ticket=resolved_ticket, score=2, via="guest_link")
    assert feedback_owner_notify_task(feedback.pk) is True
    assert feedback_owner_notify_task(feedback.pk) is False
    assert len(mail.outbox) == 1
    assert ResolutionFeedback.objects.get().owner_notified_at is not None


@pytest.mark.django_db
def test_a_failed_send_leaves_the_notification_to_retry(resolved_ticket, monkeypatch):
    feedback = services.feedback_record(ticket=resolved_ticket, score=1, via="guest_link")

    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.send_mail", smtp_down)
    with pytest.raises(OSError):
        services.feedback_owner_notify(feedback_id=feedback.pk)
    assert ResolutionFeedback.objects.get().owner_notified_at is None


def test_a_low_score_reaches_the_owner_through_a_real_worker(
    celery_worker_process, make_ticket, officer
):
    import time

    from complaints.models import Ticket, TimelineEvent

    ticket = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    services.ticket_resolve(ticket=ticket, by=officer)
    feedback = services.feedback_record(ticket=ticket, score=1, via="guest_link")  # commits
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        feedback.refresh_from_db()
        if feedback.owner_notified_at:
            break
        time.sleep(0.3)
    assert feedback.owner_notified_at is not None
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.REOPENED
    notified = TimelineEvent.objects.get(ticket=ticket, kind=TimelineEvent.Kind.OWNER_NOTIFIED)
    assert notified.data["user"] == officer.pk
