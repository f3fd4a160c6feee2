"""The feedback link reaches the guest: through the outbox, on their channel, once a round."""

from __future__ import annotations

import pytest
from django.utils import translation

from complaints import services
from complaints.models import Ticket, TimelineEvent
from guests.models import CareTask, Guest
from notifications.models import Notification
from notifications.services import notification_send

REQUEST = Notification.Kind.COMPLAINT_FEEDBACK_REQUEST


@pytest.fixture
def resolve(make_ticket, officer):
    def do(guest: Guest) -> Ticket:
        ticket = make_ticket(by=officer, guest=guest)
        services.ticket_acknowledge(ticket=ticket, by=officer)
        services.ticket_start(ticket=ticket, by=officer)
        return services.ticket_resolve(ticket=ticket, by=officer, note="Room moved.")

    return do


def consenting(guest: Guest, **changes) -> Guest:
    changes.setdefault("greetings_consent", True)
    Guest.objects.filter(pk=guest.pk).update(**changes)
    guest.refresh_from_db()
    return guest


@pytest.mark.django_db
def test_resolving_queues_the_request_once_committed(resolve, returning_guest, monkeypatch):
    queued = []
    monkeypatch.setattr("complaints.tasks.feedback_request_task.delay", queued.append)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        ticket = resolve(consenting(returning_guest))
    assert queued == [ticket.pk]


@pytest.mark.django_db
def test_an_email_guest_gets_the_link_by_email_once_per_round(
    resolve, returning_guest, mailoutbox, settings
):
    settings.HOTEL_NAME = "Hotel Lotus"
    ticket = resolve(consenting(returning_guest, preferred_channel=Guest.Channel.EMAIL))
    assert services.feedback_request_send(ticket_id=ticket.pk) == "sent"
    assert services.feedback_request_send(ticket_id=ticket.pk) == "already"
    (message,) = Notification.objects.filter(kind=REQUEST)
    assert (message.channel, message.to) == ("email", "wei.chen@example.com")
    assert message.guest_link.guest_id == returning_guest.pk
    assert notification_send(notification_id=message.pk) == "sent"
    assert mailoutbox[0].to == ["wei.chen@example.com"]
    assert "/complaints/feedback/" in mailoutbox[0].body
    assert "Hotel Lotus" in mailoutbox[0].body
    event = TimelineEvent.objects.filter(ticket=ticket).last()
    assert event.kind == TimelineEvent.Kind.FEEDBACK_REQUESTED
    with translation.override("en"):
        assert event.detail == "Feedback link sent to the guest by e-mail."


@pytest.mark.django_db
def test_an_sms_guest_gets_the_link_by_sms_in_their_language(resolve, returning_guest):
    guest = consenting(
        returning_guest, preferred_channel=Guest.Channel.SMS, preferred_language="zh-hans"
    )
    ticket = resolve(guest)
    assert services.feedback_request_send(ticket_id=ticket.pk) == "sent"
    message = Notification.objects.get(kind=REQUEST)
    assert (message.channel, message.to, message.language) == ("sms", "+8613800138000", "zh-hans")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "channel", [Guest.Channel.PHONE, Guest.Channel.VISIT, Guest.Channel.LETTER]
)
def test_a_guest_who_prefers_a_person_gets_a_task_for_the_owner(
    resolve, returning_guest, officer, channel
):
    ticket = resolve(consenting(returning_guest, preferred_channel=channel))
    assert services.feedback_request_send(ticket_id=ticket.pk) == "task"
    assert services.feedback_request_send(ticket_id=ticket.pk) == "already"
    task = CareTask.objects.get(kind=CareTask.Kind.FEEDBACK_ASK)
    assert task.assigned_to == officer and task.guest_id == returning_guest.pk
    assert ticket.number in task.title
    assert not Notification.objects.filter(kind=REQUEST).exists()


@pytest.mark.django_db
def test_nothing_goes_to_a_guest_without_consent_or_to_a_walk_in(
    resolve, returning_guest, make_ticket, officer
):
    ticket = resolve(returning_guest)  # greetings_consent is False
    assert services.feedback_request_send(ticket_id=ticket.pk) == "no_consent"
    walk_in = make_ticket(by=officer)
    services.ticket_acknowledge(ticket=walk_in, by=officer)
    services.ticket_start(ticket=walk_in, by=officer)
    services.ticket_resolve(ticket=walk_in, by=officer)
    assert services.feedback_request_send(ticket_id=walk_in.pk) == "no_guest"
    assert not Notification.objects.filter(kind=REQUEST).exists()


@pytest.mark.django_db
def test_consent_withdrawn_after_queueing_cancels_the_request_with_a_coded_reason(
    resolve, returning_guest
):
    ticket = resolve(consenting(returning_guest))
    services.feedback_request_send(ticket_id=ticket.pk)
    Guest.objects.filter(pk=returning_guest.pk).update(greetings_consent=False)
    message = Notification.objects.get(kind=REQUEST)
    assert notification_send(notification_id=message.pk) == "cancelled"
    message.refresh_from_db()
    assert message.reason == Notification.Reason.CONSENT_WITHDRAWN
    with translation.override("zh-hans"):
        assert message.problem == "客人已撤回同意。"
    with translation.override("en"):
        assert message.problem == "The guest withdrew consent."


@pytest.mark.django_db
def test_staff_can_send_the_link_again_and_each_resend_is_its_own_message(
    resolve, returning_guest, officer, front_desk
):
    ticket = resolve(consenting(returning_guest))
    services.feedback_request_send(ticket_id=ticket.pk)
    assert services.feedback_request_resend(ticket=ticket, by=officer) == "sent"
    assert services.feedback_request_resend(ticket=ticket, by=officer) == "sent"
    assert Notification.objects.filter(kind=REQUEST).count() == 3
    with pytest.raises(services.TransitionError):
        services.feedback_request_resend(ticket=ticket, by=front_desk)
    services.feedback_record(ticket=ticket, by=officer, score=5)
    with pytest.raises(services.TransitionError):
        services.feedback_request_resend(ticket=ticket, by=officer)


@pytest.mark.django_db
def test_the_ticket_page_offers_the_resend_to_those_who_may(
    client, resolve, returning_guest, officer, front_desk
):
    ticket = resolve(consenting(returning_guest))
    services.feedback_request_send(ticket_id=ticket.pk)
    client.force_login(front_desk)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Send the feedback link to the guest again" not in page
    assert client.post(f"/complaints/{ticket.pk}/feedback/send/").status_code == 403
    client.force_login(officer)
    page = client.get(ticket.get_absolute_url()).content.decode()
    assert "Send the feedback link to the guest again" in page
    assert "Link sent by E-mail" in page
    response = client.post(f"/complaints/{ticket.pk}/feedback/send/", follow=True)
    assert "The feedback link is on its way to the guest." in response.content.decode()
    assert Notification.objects.filter(kind=REQUEST).count() == 2


@pytest.mark.django_db
def test_system_timeline_entries_read_in_the_readers_language(resolved_ticket, officer):
    """Before: the reopen reason was stored in the language of whoever triggered it."""
    with translation.override("zh-hans"):
        services.feedback_record(ticket=resolved_ticket, score=1, via="guest_link")
    services.feedback_owner_notify(feedback_id=resolved_ticket.feedback.get().pk)
    reopened = TimelineEvent.objects.get(ticket=resolved_ticket, kind=TimelineEvent.Kind.REOPENED)
    notified = TimelineEvent.objects.get(
        ticket=resolved_ticket, kind=TimelineEvent.Kind.OWNER_NOTIFIED
    )
    assert reopened.text == "" and notified.text == ""
    with translation.override("en"):
        assert "The guest scored the resolution 1 out of 5." in reopened.detail
        assert notified.detail.endswith("was told by e-mail.")
    with translation.override("zh-hans"):
        assert "客人对处理结果的评分为 1 分" in reopened.detail
        assert notified.detail.startswith("已通过电子邮件通知")


@pytest.mark.django_db
def test_the_feedback_page_opens_in_the_guests_language_with_the_hotels_name(
    client, resolve, returning_guest, settings
):
    settings.HOTEL_NAME = "Hotel Lotus"
    ticket = resolve(consenting(returning_guest, preferred_language="zh-hans"))
    url = services.feedback_url(ticket=ticket).removeprefix(settings.SITE_URL)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="zh-hans">' in page
    assert "Hotel Lotus" in page and "简体中文" in page and "GRC" not in page
    page = client.get(url + "?lang=en", HTTP_ACCEPT_LANGUAGE="zh").content.decode()
    assert '<html lang="en">' in page and "How did we do?" in page
