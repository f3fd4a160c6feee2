"""A message left "sending" by a worker that died mid-send is resolved once, without a duplicate:
sent if the backend's record has it, otherwise queued again (notifications_stuck_resolve)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from notifications.models import STUCK_AFTER, Notification
from notifications.services import notification_send, notifications_stuck_resolve
from notifications.sms import FileSmsBackend, LocmemSmsBackend

DAY = date(2026, 5, 20)


class WorkerKilled(BaseException):
    """Stands for SIGKILL: nothing after it runs, no except clause catches it."""


class DiesAfterSendingBackend(EmailBackend):
    """The message reaches the server's record, then the worker dies before it notes 'sent'."""

    def send_messages(self, messages):
        super().send_messages(messages)
        raise WorkerKilled


class DiesBeforeSendingBackend(EmailBackend):
    def send_messages(self, messages):
        raise WorkerKilled


class DiesAfterSendingSms(LocmemSmsBackend):
    def send_with_reference(self, to, text, reference):
        super().send_with_reference(to, text, reference)
        raise WorkerKilled


class DiesAfterWritingSmsFile(FileSmsBackend):
    def send_with_reference(self, to, text, reference):
        super().send_with_reference(to, text, reference)
        raise WorkerKilled


def message(channel: str = "email", n: int = 1) -> Notification:
    return Notification.objects.create(
        key=f"test:{channel}:{n}",
        kind=Notification.Kind.COMPLAINT_FOLLOW_UP,
        channel=channel,
        to="officer@example.com" if channel == "email" else "+86 138 0013 8000",
        occasion_date=DAY,
        context={"number": "C-2026-0001", "title": "Noisy room", "url": "http://x/"},
    )


def die_while_sending(notification: Notification) -> Notification:
    with pytest.raises(WorkerKilled):
        notification_send(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == "sending" and notification.delivery_ref
    # ... and the stuck timeout passes
    Notification.objects.filter(pk=notification.pk).update(
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(seconds=1)
    )
    return notification


@pytest.fixture
def queued(monkeypatch):
    """The ids queued for sending again (the worker's task is run in other tests)."""
    ids: list[int] = []
    monkeypatch.setattr("notifications.services._queue_sends", ids.extend)
    return ids


@pytest.mark.django_db(transaction=True)
def test_an_email_the_server_has_is_marked_sent_and_never_sent_again(settings, queued):
    settings.EMAIL_BACKEND = "tests.notifications.test_stuck_sweep.DiesAfterSendingBackend"
    note = die_while_sending(message())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert mail.outbox[0].extra_headers["Message-ID"] == note.delivery_ref

    assert notifications_stuck_resolve() == {"sent": 1, "queued": 0, "failed": 0}
    note.refresh_from_db()
    assert note.status == "sent" and note.sent_at is not None
    assert queued == [] and len(mail.outbox) == 1
    assert notifications_stuck_resolve() == {"sent": 0, "queued": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_an_email_the_server_never_got_is_queued_again_and_sent_once(settings, queued):
    settings.EMAIL_BACKEND = "tests.notifications.test_stuck_sweep.DiesBeforeSendingBackend"
    note = die_while_sending(message())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    assert notifications_stuck_resolve() == {"sent": 0, "queued": 1, "failed": 0}
    assert queued == [note.pk]
    assert notifications_stuck_resolve()["queued"] == 0  # resolved once
    assert notification_send(notification_id=note.pk) == "sent"
    assert len(mail.outbox) == 1
    # the resend carries the Message-ID set before the first try
    assert mail.outbox[0].extra_headers["Message-ID"] == note.delivery_ref


@pytest.mark.django_db(transaction=True)
def test_the_email_record_in_the_file_backend_is_read(settings, tmp_path, queued):
    settings.EMAIL_FILE_PATH = str(tmp_path)
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    sent, lost = message(n=1), message(n=2)
    assert notification_send(notification_id=sent.pk) == "sent"
    sent.refresh_from_db()
    assert sent.delivery_ref.startswith("<grc-")
    # both were left "sending": the first went out (it is in a mail file), the second did not
    long_ago = timezone.now() - STUCK_AFTER - timedelta(minutes=1)
    Notification.objects.filter(pk=sent.pk).update(status="sending", claimed_at=long_ago)
    Notification.objects.filter(pk=lost.pk).update(
        status="sending", delivery_ref="<grc-lost-0@localhost>", claimed_at=long_ago
    )
    assert notifications_stuck_resolve() == {"sent": 1, "queued": 1, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_an_sms_the_provider_has_is_marked_sent(settings, queued):
    LocmemSmsBackend.outbox = []
    settings.SMS_BACKEND = "tests.notifications.test_stuck_sweep.DiesAfterSendingSms"
    note = die_while_sending(message("sms"))
    settings.SMS_BACKEND = "notifications.sms.LocmemSmsBackend"
    assert [sms["ref"] for sms in LocmemSmsBackend.outbox] == [note.delivery_ref]

    assert notifications_stuck_resolve()["sent"] == 1
    assert queued == [] and len(LocmemSmsBackend.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_sms_file_records_the_reference(settings, tmp_path, queued):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    settings.SMS_BACKEND = "tests.notifications.test_stuck_sweep.DiesAfterWritingSmsFile"
    note = die_while_sending(message("sms"))
    settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    assert json.loads(line)["ref"] == note.delivery_ref

    other = message("sms", n=2)
    Notification.objects.filter(pk=other.pk).update(
        status="sending", delivery_ref="grc-other", claimed_at=timezone.now() - timedelta(hours=1)
    )
    assert notifications_stuck_resolve() == {"sent": 1, "queued": 1, "failed": 0}
    assert queued == [other.pk]


@pytest.mark.django_db(transaction=True)
def test_a_backend_that_cannot_tell_gets_the_message_queued_again(settings, queued):
    settings.EMAIL_BACKEND = "tests.notifications.test_stuck_sweep.DiesAfterSendingBackend"
    note = die_while_sending(message())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"  # keeps no record
    assert notifications_stuck_resolve()["queued"] == 1
    assert queued == [note.pk]


@pytest.mark.django_db(transaction=True)
def test_a_message_interrupted_on_its_last_try_fails_with_the_reason(settings, queued):
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    settings.EMAIL_BACKEND = "tests.notifications.test_stuck_sweep.DiesBeforeSendingBackend"
    note = die_while_sending(message())
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications_stuck_resolve()["failed"] == 1
    note.refresh_from_db()
    assert note.status == "failed" and note.reason == "interrupted"
    assert queued == []


@pytest.mark.django_db(transaction=True)
def test_a_message_still_within_the_timeout_is_left_alone(settings, queued):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    recent = message(n=1)
    Notification.objects.filter(pk=recent.pk).update(
        status="sending", delivery_ref="<a@x>", claimed_at=timezone.now()
    )
    assert notifications_stuck_resolve() == {"sent": 0, "queued": 0, "failed": 0}


@pytest.mark.django_db(transaction=True)
def test_a_row_resolved_by_another_sweep_meanwhile_is_not_resolved_again(monkeypatch, queued):
    note = message()
    long_ago = timezone.now() - timedelta(hours=1)
    Notification.objects.filter(pk=note.pk).update(
        status="sending", delivery_ref="<a@x>", claimed_at=long_ago
    )

    def another_sweep_first(notification):
        # while this sweep asks the backend, another one queues it and a worker claims it anew
        Notification.objects.filter(pk=notification.pk).update(claimed_at=timezone.now())
        return True

    monkeypatch.setattr("notifications.services.delivery_delivered", another_sweep_first)
    assert notifications_stuck_resolve() == {"sent": 0, "queued": 0, "failed": 0}
    assert Notification.objects.get(pk=note.pk).status == "sending"  # left to its new claim


@pytest.mark.django_db
def test_the_stuck_sweep_is_in_the_database_schedule():
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(task="notifications.stuck_resolve")
    assert task.enabled and task.interval.every * 60 <= STUCK_AFTER.total_seconds() * 60
