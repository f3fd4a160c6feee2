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
