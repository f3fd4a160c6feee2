import json
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from guests.messages import GuestMessage, guest_messages_record
from notifications.models import MessageTemplate, Notification
from notifications.services import (
    NewNotification,
    notification_retry,
    notification_send,
    notifications_due_sweep,
)
from tests.factories import make_guest

DAY = date(2026, 5, 20)


def birthday_for(guest, **overrides) -> GuestMessage:
    """A birthday greeting to the guest, linked to them as the greetings job records it."""
    fields = {
        "key": f"birthday:guest:{guest.pk}:{DAY}",
        "kind": Notification.Kind.BIRTHDAY,
        "channel": "email",
        "to": guest.email,
        "occasion_date": DAY,
        "language": guest.preferred_language,
        "context": {"name": guest.address_as, "hotel": "Harbour Hotel"},
    }
    return GuestMessage(guest_id=guest.pk, message=NewNotification(**{**fields, **overrides}))


@pytest.fixture
def email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.mark.django_db
def test_recording_the_same_occasion_twice_keeps_one_message(django_capture_on_commit_callbacks):
    guest = make_guest()
    with django_capture_on_commit_callbacks():
        guest_messages_record(items=[birthday_for(guest)])
        guest_messages_record(items=[birthday_for(guest), birthday_for(guest)])
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_message_is_sent_once_however_often_the_task_runs(email_backend):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=pk) == "sent"
    assert notification_send(notification_id=pk) == "skipped"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [guest.email]
    assert message.subject == "Happy birthday, Mr. Chen!"
    assert "Harbour Hotel" in message.body
    assert message.alternatives[0][1] == "text/html"
    row = Notification.objects.get(pk=pk)
    assert row.status == "sent" and row.attempts == 1 and row.body.startswith("Dear Mr. Chen,")


@pytest.mark.django_db
def test_a_guest_who_reads_chinese_is_greeted_in_chinese(email_backend):
    guest = make_guest(family="陈", given="伟", salutation="陈生", language="zh-hans")
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    notification_send(notification_id=pk)
    assert mail.outbox[0].subject == "陈生，祝您生日快乐！"
    assert "尊敬的陈生：" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_hotels_own_wording_replaces_ours(email_backend):
    MessageTemplate.objects.create(
        kind="birthday",
        language="en",
        subject="Many happy returns, {{ name }}",
        body_text="From all of us at {{ hotel }}.",
    )
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    notification_send(notification_id=pk)
    assert mail.outbox[0].subject == "Many happy returns, Mr. Chen"
    assert mail.outbox[0].body == "From all of us at Harbour Hotel.\n"


@pytest.mark.django_db
def test_an_opt_out_after_the_message_was_queued_still_stops_it(email_backend):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    guest.greetings_consent = False
    guest.save()
    assert notification_send(notification_id=pk) == "cancelled"
    assert mail.outbox == []
    assert Notification.objects.get(pk=pk).status == "cancelled"


@pytest.mark.django_db
def test_an_erased_guest_is_never_contacted(email_backend):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    guest.erased_at = timezone.now()
    guest.save()
    assert notification_send(notification_id=pk) == "cancelled"
    assert mail.outbox == []


def time_passes(pk: int) -> None:
    """The retry time of a message comes (rather than waiting for it)."""
    Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now())


@pytest.mark.django_db
def test_a_passing_failure_is_retried_later_then_given_up(settings, monkeypatch):
    import smtplib

    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60

    def busy(self, *args, **kwargs):
        raise smtplib.SMTPServerDisconnected("421 busy")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", busy)
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])

    before = timezone.now()
    assert notification_send(notification_id=pk) == "retry"
    row = Notification.objects.get(pk=pk)
    assert row.status == "pending" and row.attempts == 1 and "421 busy" in row.last_error
    assert row.next_attempt_at >= before + timedelta(seconds=60)

    assert notification_send(notification_id=pk) == "skipped"  # not before its time
    time_passes(pk)
    assert notification_send(notification_id=pk) == "retry"
    assert Notification.objects.get(pk=pk).next_attempt_at >= before + timedelta(seconds=120)
    time_passes(pk)
    assert notification_send(notification_id=pk) == "failed"
    assert Notification.objects.get(pk=pk).status == "failed"


@pytest.mark.django_db
def test_a_message_without_an_address_fails_at_once(email_backend):
    guest = make_guest(email="")
    [pk] = guest_messages_record(items=[birthday_for(guest, to="")])
    assert notification_send(notification_id=pk) == "failed"
    row = Notification.objects.get(pk=pk)
    assert row.reason == Notification.Reason.NO_ADDRESS
    assert row.problem == "No e-mail address on file."


@pytest.mark.django_db
def test_sms_is_recorded_by_the_default_backend(settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
    guest = make_guest(channel="sms", phone="+8613800138000")
    [pk] = guest_messages_record(items=[birthday_for(guest, channel="sms", to="+8613800138000")])
    assert notification_send(notification_id=pk) == "sent"
    [line] = (tmp_path / "sms.jsonl").read_text().splitlines()
    record = json.loads(line)
    assert record["to"] == "+8613800138000" and "Mr. Chen" in record["text"]


@pytest.mark.django_db
def test_staff_retry_a_failed_message_and_it_goes_out(email_backend):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    Notification.objects.filter(pk=pk).update(status="failed", attempts=5, last_error="x")
    assert notification_retry(notification=Notification.objects.get(pk=pk))
    assert notification_send(notification_id=pk) == "sent"
    assert not notification_retry(notification=Notification.objects.get(pk=pk))


@pytest.mark.django_db
def test_the_sweep_queues_messages_whose_retry_time_has_come(monkeypatch):
    queued = []
    monkeypatch.setattr("notifications.services._queue_sends", queued.extend)
    guest = make_guest()
    [due] = guest_messages_record(items=[birthday_for(guest)])
    [later] = guest_messages_record(items=[birthday_for(guest, key="other")])
    now = timezone.now() + timedelta(minutes=5)
    Notification.objects.filter(pk=due).update(next_attempt_at=now - timedelta(seconds=1))
    Notification.objects.filter(pk=later).update(next_attempt_at=now + timedelta(minutes=10))
    queued.clear()
    assert notifications_due_sweep(now=now) == 1
    assert queued == [due]


# --- the Notifications page ----------------------------------------------------------------


@pytest.mark.django_db
def test_front_desk_cannot_see_notifications(client, front_desk):
    client.force_login(front_desk)
    assert client.get(reverse("notifications")).status_code == 403


@pytest.mark.django_db
def test_officers_list_notifications_in_constant_queries(
    client, officer, django_assert_max_num_queries
):
    for i in range(30):
        guest = make_guest(family=f"F{i}")
        guest_messages_record(items=[birthday_for(guest)])
    client.force_login(officer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications"), {"status": "pending"})
    assert response.status_code == 200
    assert response.content.decode().count("data-notification=") == 30


@pytest.mark.django_db
def test_an_officer_retries_a_failed_message_from_the_page(client, officer):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    Notification.objects.filter(pk=pk).update(status="failed", last_error="550 mailbox full")
    client.force_login(officer)
    page = client.get(reverse("notifications"), {"status": "failed"}).content.decode()
    assert "550 mailbox full" in page and "Retry" in page
    response = client.post(reverse("notification_retry", args=[pk]), follow=True)
    assert "The message will be sent again." in response.content.decode()
    assert Notification.objects.get(pk=pk).status in {"pending", "sent"}


@pytest.mark.django_db
def test_an_account_manager_cannot_retry_messages(client, account_manager):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    Notification.objects.filter(pk=pk).update(status="failed")
    client.force_login(account_manager)
    assert client.post(reverse("notification_retry", args=[pk])).status_code == 403
    assert Notification.objects.get(pk=pk).status == "failed"


# --- a template the hotel broke, and what the mail server says -----------------------------


@pytest.mark.django_db
def test_a_broken_hotel_template_fails_the_message_and_names_the_problem(email_backend):
    template = MessageTemplate.objects.create(
        kind="birthday",
        language="en",
        subject="Many happy returns, {{ name }}",
        body_text="{% if name %}From all of us at {{ hotel }}.",  # no {% endif %}
    )
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=pk) == "failed"
    row = Notification.objects.get(pk=pk)
    assert row.status == "failed" and row.next_attempt_at is None
    assert f"message template #{template.pk} (birthday, en)" in row.last_error
    assert "TemplateSyntaxError" in row.last_error and "endif" in row.last_error
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_broken_template_once_corrected_sends_on_retry(email_backend):
    template = MessageTemplate.objects.create(
        kind="birthday", language="en", subject="Hi {{ name|nosuchfilter }}", body_text="x"
    )
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=pk) == "failed"
    template.subject = "Hi {{ name }}"
    template.save()
    assert notification_retry(notification=Notification.objects.get(pk=pk))
    assert notification_send(notification_id=pk) == "sent"
    assert mail.outbox[0].subject == "Hi Mr. Chen"


def refuse_with(monkeypatch, exc) -> None:
    def refuse(self, *args, **kwargs):
        raise exc

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)


@pytest.mark.django_db
def test_a_recipient_refused_for_now_is_retried(settings, monkeypatch):
    import smtplib

    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    guest = make_guest()
    refuse_with(
        monkeypatch,
        smtplib.SMTPRecipientsRefused({guest.email: (451, b"4.7.1 greylisted, try later")}),
    )
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=pk) == "retry"
    row = Notification.objects.get(pk=pk)
    assert row.status == "pending" and "greylisted" in row.last_error


@pytest.mark.django_db
def test_a_recipient_refused_for_good_fails_at_once(settings, monkeypatch):
    import smtplib

    guest = make_guest()
    refuse_with(
        monkeypatch, smtplib.SMTPRecipientsRefused({guest.email: (550, b"5.1.1 no such user")})
    )
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=pk) == "failed"
    assert "no such user" in Notification.objects.get(pk=pk).last_error


@pytest.mark.django_db
def test_a_refusal_with_one_temporary_code_is_retried(settings, monkeypatch):
    import smtplib

    refuse_with(
        monkeypatch,
        smtplib.SMTPRecipientsRefused(
            {"a@guest.test": (550, b"no such user"), "b@guest.test": (452, b"mailbox full")}
        ),
    )
    [pk] = guest_messages_record(items=[birthday_for(make_guest())])
    assert notification_send(notification_id=pk) == "retry"


@pytest.mark.django_db
def test_a_sender_refused_for_now_is_retried_and_for_good_fails(settings, monkeypatch):
    import smtplib

    guest = make_guest()
    refuse_with(monkeypatch, smtplib.SMTPSenderRefused(421, b"too many connections", "hotel@x"))
    [first] = guest_messages_record(items=[birthday_for(guest)])
    assert notification_send(notification_id=first) == "retry"

    refuse_with(monkeypatch, smtplib.SMTPSenderRefused(553, b"sender not allowed", "hotel@x"))
    [second] = guest_messages_record(items=[birthday_for(guest, key="second")])
    assert notification_send(notification_id=second) == "failed"


# --- the sweep and the retry time ----------------------------------------------------------


@pytest.mark.django_db
def test_the_sweep_leaves_fresh_messages_to_the_task_queued_with_them(monkeypatch):
    queued = []
    monkeypatch.setattr("notifications.services._queue_sends", queued.extend)
    guest = make_guest()
    [fresh] = guest_messages_record(items=[birthday_for(guest)])
    [forgotten] = guest_messages_record(items=[birthday_for(guest, key="forgotten")])
    now = timezone.now()
    Notification.objects.filter(pk=forgotten).update(created_at=now - timedelta(minutes=16))
    Notification.objects.filter(pk=fresh).update(created_at=now - timedelta(minutes=14))
    queued.clear()
    assert notifications_due_sweep(now=now) == 1
    assert queued == [forgotten]


@pytest.mark.django_db
def test_a_message_waiting_for_its_retry_time_is_not_sent_early(email_backend):
    guest = make_guest()
    [pk] = guest_messages_record(items=[birthday_for(guest)])
    later = timezone.now() + timedelta(minutes=5)
    Notification.objects.filter(pk=pk).update(attempts=1, next_attempt_at=later)
    assert notification_send(notification_id=pk) == "skipped"
    row = Notification.objects.get(pk=pk)
    assert (row.status, row.attempts) == ("pending", 1) and mail.outbox == []

    Notification.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
    assert notification_send(notification_id=pk) == "sent"


# --- the admin refuses a template that does not compile ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["subject", "body_text", "body_html"])
def test_the_admin_refuses_a_template_with_a_syntax_error(client, administrator, field):
    client.force_login(administrator)
    data = {
        "kind": "birthday",
        "language": "en",
        "subject": "Happy birthday, {{ name }}",
        "body_text": "From all of us at {{ hotel }}.",
        "body_html": "",
        "is_active": "on",
    }
    data[field] = "{% if name %}Dear {{ name }}"
    response = client.post(reverse("admin:notifications_messagetemplate_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field]
    assert "This is not a valid template:" in errors[field][0] and "endif" in errors[field][0]
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_the_admin_explains_a_broken_template_in_chinese(client, administrator):
    administrator.language = "zh-hans"
    administrator.save()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:notifications_messagetemplate_add"),
        {
            "kind": "birthday",
            "language": "zh-hans",
            "subject": "{{ name|nosuch }}",
            "body_text": "x",
        },
    )
    assert response.status_code == 200
    assert "这不是有效的模板" in response.content.decode()
    assert not MessageTemplate.objects.exists()


@pytest.mark.django_db
def test_the_admin_saves_a_template_that_compiles(client, administrator):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:notifications_messagetemplate_add"),
        {
            "kind": "birthday",
            "language": "en",
            "subject": "Happy birthday, {{ name }}",
            "body_text": "{% load i18n %}{% if hotel %}From {{ hotel }}.{% endif %}",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert MessageTemplate.objects.get().subject == "Happy birthday, {{ name }}"
