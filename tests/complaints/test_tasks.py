from datetime import timedelta

import pytest
from django.core import mail

from complaints import services
from complaints.models import ResolutionFeedback
from complaints.tasks import feedback_owner_notify_task
from tests.support.waiting import wait_for


@pytest.mark.django_db
def test_the_notification_task_is_safe_to_run_twice(resolved_ticket, officer):
    from notifications.models import Notification

    feedback = services.feedback_record(ticket=resolved_ticket, score=2, via="guest_link")
    assert feedback_owner_notify_task(feedback.pk) is True
    assert feedback_owner_notify_task(feedback.pk) is False
    message = Notification.objects.get(kind=Notification.Kind.COMPLAINT_REOPENED_BY_GUEST)
    assert message.recipient_user == officer
    assert ResolutionFeedback.objects.get().owner_notified_at is not None


@pytest.mark.django_db
def test_the_owners_message_is_never_sent_inline(resolved_ticket, monkeypatch):
    """Before: send_mail inside the row lock; a dead SMTP server failed the whole step."""
    feedback = services.feedback_record(ticket=resolved_ticket, score=1, via="guest_link")

    def smtp_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("django.core.mail.send_mail", smtp_down)
    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", smtp_down)
    assert services.feedback_owner_notify(feedback_id=feedback.pk) is True
    assert len(mail.outbox) == 0
    assert ResolutionFeedback.objects.get().owner_notified_at is not None


def test_a_low_score_reaches_the_owner_through_a_real_worker(
    celery_worker_process, make_ticket, officer
):

    from complaints.models import Ticket, TimelineEvent

    ticket = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=ticket, by=officer)
    services.ticket_start(ticket=ticket, by=officer)
    services.ticket_resolve(ticket=ticket, by=officer)
    feedback = services.feedback_record(ticket=ticket, score=1, via="guest_link")  # commits

    def notified():
        feedback.refresh_from_db()
        return feedback.owner_notified_at

    assert wait_for(notified, timeout=30) is not None
    assert Ticket.objects.get(pk=ticket.pk).status == Ticket.Status.REOPENED
    notified = TimelineEvent.objects.get(ticket=ticket, kind=TimelineEvent.Kind.OWNER_NOTIFIED)
    assert notified.data["user"] == officer.pk


@pytest.mark.django_db
@pytest.mark.parametrize(
    "task_name",
    ["reminders_sla_task", "reminders_follow_up_task", "reminders_feedback_missing_task"],
)
def test_a_reminder_sweep_rides_out_a_passing_outage(monkeypatch, task_name):
    from django.db import OperationalError

    from complaints import tasks
    from complaints.services import reminders
    from tests.support.faults import fail_once

    sweep = fail_once(reminders.reminders_fan_out, OperationalError("the database is starting up"))
    monkeypatch.setattr("complaints.services.reminders.reminders_fan_out", sweep)
    result = getattr(tasks, task_name).apply(args=["2026-05-20T09:00:00"])
    assert result.successful(), result.traceback
    assert isinstance(result.get(), dict) and sweep.calls == 2


@pytest.mark.django_db
def test_a_reminder_chunk_rides_out_a_dropped_database_connection(
    monkeypatch, make_ticket, front_desk
):
    from django.db import InterfaceError

    from complaints.models import SlaBreach
    from complaints.services import reminders
    from complaints.tasks import reminders_chunk_task
    from tests.support.faults import fail_once

    ticket = make_ticket(by=front_desk)
    chunk = fail_once(reminders.reminders_send_chunk, InterfaceError("connection already closed"))
    monkeypatch.setattr("complaints.services.reminders.reminders_send_chunk", chunk)
    at = (ticket.ack_due_at + timedelta(minutes=1)).isoformat()
    result = reminders_chunk_task.apply(args=["ack_breached", [ticket.pk], at])
    assert result.successful(), result.traceback
    assert chunk.calls == 2
    assert SlaBreach.objects.filter(ticket=ticket).count() == 1
