"""Complaint reminders: follow-up dates, targets due soon, missed targets escalated once per
breach, and resolutions still without feedback after 48 hours."""

from __future__ import annotations

import io
import uuid
from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import roles
from complaints import selectors, services
from complaints.models import SlaBreach, Ticket, TimelineEvent
from complaints.services import reminders
from complaints.tasks import reminders_chunk_task, reminders_sla_task
from notifications.models import Notification
from notifications.services import notification_send
from tests.factories import UserFactory
from tests.support.mail import outbox
from tests.support.waiting import wait_for, workers_idle

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://grc.hotel.test"


def run(kinds, at: datetime, chunk_size: int = reminders.CHUNK_SIZE) -> dict[str, int]:
    """One sweep, its chunks run in this process, then every queued message delivered."""
    counts = reminders.reminders_fan_out(
        kinds=kinds,
        at=at,
        enqueue=lambda kind, ids, on: reminders.reminders_send_chunk(kind=kind, ids=ids, at=on),
        chunk_size=chunk_size,
    )
    for pk in Notification.objects.filter(status="pending").values_list("pk", flat=True):
        notification_send(notification_id=pk)
    return counts


def sent_to() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def assign(ticket: Ticket, user) -> Ticket:
    Ticket.objects.filter(pk=ticket.pk).update(assigned_to=user)
    ticket.refresh_from_db()
    return ticket


def in_progress(ticket: Ticket, by) -> Ticket:
    services.ticket_acknowledge(ticket=ticket, by=by)
    return services.ticket_start(ticket=ticket, by=by)


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", role=roles.GUEST_RELATIONS, email="owner@hotel.test")


@pytest.fixture
def duty(db, manager, owner):
    """The duty managers: everyone holding handle_escalation with an e-mail (owner included:
    guest relations take escalations too). A front-desk user without the permission is not."""
    UserFactory(username="desk2", role=roles.FRONT_DESK)
    UserFactory(username="mute", role=roles.MANAGER, email="")
    UserFactory(username="gone", role=roles.MANAGER, is_active=False)
    return sorted([manager.email, owner.email])


# --- SLA due soon ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_owner_is_reminded_when_the_acknowledge_target_is_due_soon_and_not_before(
    make_ticket, front_desk, owner
):
    ticket = assign(make_ticket(by=front_desk), owner)  # medium: acknowledge within 4 hours
    assert run(reminders.SLA_KINDS, ticket.ack_due_at - 61 * MINUTE)["ack_soon"] == 0
    assert mail.outbox == []

    run(reminders.SLA_KINDS, ticket.ack_due_at - 59 * MINUTE)
    assert sent_to() == ["owner@hotel.test"]
    message = mail.outbox[0]
    assert ticket.number in message.subject and "Mr. Smith" in message.subject
    assert "Acknowledge by" in message.subject
    assert f"https://grc.hotel.test/complaints/{ticket.pk}/" in message.body
    note = Notification.objects.get()
    assert note.kind == Notification.Kind.COMPLAINT_SLA_SOON
    assert note.recipient_user == owner
    assert note.key.startswith(f"complaint_sla_soon:ticket:{ticket.pk}:ack:")


@pytest.mark.django_db
def test_the_due_soon_window_is_the_one_the_queues_show(make_ticket, front_desk, owner):
    """The SQL sweep and Ticket.sla_state (the queues' badge) agree, minute by minute."""
    ticket = assign(make_ticket(by=front_desk), owner)
    for minutes in range(-90, 5, 3):
        now = ticket.ack_due_at + minutes * MINUTE
        in_sweep = selectors.ticket_sla_due_soon(target="ack", now=now).filter(pk=ticket.pk)
        assert in_sweep.exists() == (ticket.sla_state(now) == "due_soon"), minutes


@pytest.mark.django_db
def test_the_resolve_target_due_soon_reminds_the_owner_once_per_due_time(
    make_ticket, front_desk, owner
):
    ticket = in_progress(make_ticket(by=front_desk), owner)  # the acknowledger owns it
    soon = ticket.resolve_due_at - 2 * HOUR  # window: a quarter of 72 hours
    run(reminders.SLA_KINDS, soon)
    run(reminders.SLA_KINDS, soon + 30 * MINUTE)
    assert sent_to() == ["owner@hotel.test"]
    assert "Resolve by" in mail.outbox[0].subject


@pytest.mark.django_db
def test_a_target_met_is_not_chased(make_ticket, front_desk, owner):
    ticket = make_ticket(by=front_desk)
    services.ticket_acknowledge(ticket=ticket, by=owner)
    counts = run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    assert counts["ack_soon"] == counts["ack_breached"] == 0
    assert not SlaBreach.objects.exists()


@pytest.mark.django_db
def test_a_ticket_nobody_owns_goes_to_the_duty_managers(make_ticket, front_desk, duty):
    ticket = make_ticket(by=front_desk)
    run(reminders.SLA_KINDS, ticket.ack_due_at - 10 * MINUTE)
    assert sent_to() == duty


@pytest.mark.django_db
def test_an_owner_who_left_is_replaced_by_the_duty_managers(make_ticket, front_desk, duty):
    leaver = UserFactory(username="leaver", role=roles.GUEST_RELATIONS, is_active=False)
    ticket = assign(make_ticket(by=front_desk), leaver)
    run(reminders.SLA_KINDS, ticket.ack_due_at - 10 * MINUTE)
    assert sent_to() == duty


@pytest.mark.django_db
def test_each_reminder_is_in_its_recipients_language(make_ticket, front_desk, owner, manager):
    owner.language = "zh-hans"
    owner.save()
    ticket = make_ticket(by=front_desk)  # nobody owns it: the duty managers, each in theirs
    run(reminders.SLA_KINDS, ticket.ack_due_at - 10 * MINUTE)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "受理" in by_address[owner.email].subject
    assert "Acknowledge by" in by_address[manager.email].subject
    assert "投诉" in by_address[owner.email].body
    html = by_address[owner.email].alternatives[0][0]
    assert f'href="https://grc.hotel.test/complaints/{ticket.pk}/"' in html


@pytest.mark.django_db
def test_the_sla_sweep_run_twice_sends_once(make_ticket, front_desk, owner):
    tickets = [assign(make_ticket(by=front_desk), owner) for _ in range(3)]
    at = tickets[-1].ack_due_at - 10 * MINUTE
    run(reminders.SLA_KINDS, at)
    run(reminders.SLA_KINDS, at)
    for _ in range(2):  # the chunk task itself, as a redelivered message would run it
        reminders_chunk_task("ack_soon", [t.pk for t in tickets], at.isoformat())
    assert len(mail.outbox) == 3
    assert Notification.objects.count() == 3


# --- SLA missed: escalation -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_missed_acknowledgement_escalates_once_to_every_duty_manager(
    make_ticket, front_desk, duty
):
    ticket = make_ticket(by=front_desk)
    assert run(reminders.SLA_KINDS, ticket.ack_due_at - MINUTE)["ack_breached"] == 0

    run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    run(reminders.SLA_KINDS, ticket.ack_due_at + 6 * MINUTE)  # the next sweep
    again = ticket.ack_due_at + 10 * MINUTE  # a straggling worker calling the service itself
    assert services.ticket_sla_breach_escalate(ticket=ticket, target="ack", now=again) is None

    ticket.refresh_from_db()
    assert ticket.escalated and ticket.escalated_at is not None
    assert "not acknowledged" in ticket.escalation_reason
    event = TimelineEvent.objects.get(ticket=ticket, kind=TimelineEvent.Kind.ESCALATED)
    assert event.by is None  # the system
    assert event.detail.startswith("SLA breached: not acknowledged by ")
    assert SlaBreach.objects.get().due_at == ticket.ack_due_at
    escalated = sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Escalated:"))
    assert escalated == duty  # each duty manager once (they also had the "due soon" reminder)
    assert Notification.objects.filter(kind="complaint_sla_breached").count() == len(duty)


@pytest.mark.django_db
def test_the_escalation_shows_on_the_timeline_in_the_readers_language(
    make_ticket, front_desk, owner
):
    from django.utils import translation

    ticket = make_ticket(by=front_desk)
    run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    event = TimelineEvent.objects.get(ticket=ticket, kind=TimelineEvent.Kind.ESCALATED)
    with translation.override("zh-hans"):
        assert "超时" in event.detail


@pytest.mark.django_db
def test_a_missed_resolution_after_a_missed_acknowledgement_is_a_new_breach(
    make_ticket, front_desk, owner, duty
):
    ticket = make_ticket(by=front_desk)
    run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    in_progress(ticket, owner)  # acknowledged late, then worked, but not resolved in time
    ticket.refresh_from_db()
    run(reminders.SLA_KINDS, ticket.resolve_due_at + MINUTE)
    run(reminders.SLA_KINDS, ticket.resolve_due_at + 6 * MINUTE)

    assert sorted(SlaBreach.objects.values_list("target", flat=True)) == ["ack", "resolve"]
    escalations = TimelineEvent.objects.filter(ticket=ticket, kind=TimelineEvent.Kind.ESCALATED)
    assert [e.data["sla"] for e in escalations] == ["ack", "resolve"]
    breached = Notification.objects.filter(kind="complaint_sla_breached")
    assert breached.count() == 2 * len(duty)
    assert "not resolved" in Ticket.objects.get(pk=ticket.pk).escalation_reason


@pytest.mark.django_db
def test_a_reopened_ticket_that_misses_its_new_resolve_time_escalates_again(
    make_ticket, front_desk, owner
):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    run(reminders.SLA_KINDS, ticket.resolve_due_at + MINUTE)
    services.ticket_resolve(ticket=ticket, by=owner)
    services.ticket_reopen(ticket=ticket, by=owner, reason="The guest called again.")
    ticket.refresh_from_db()
    run(reminders.SLA_KINDS, ticket.resolve_due_at + MINUTE)
    assert SlaBreach.objects.filter(ticket=ticket, target="resolve").count() == 2


@pytest.mark.django_db
def test_a_ticket_escalated_by_hand_keeps_its_duty_manager_when_the_target_is_missed(
    make_ticket, front_desk, owner, manager
):
    ticket = make_ticket(by=front_desk)
    services.ticket_escalate(ticket=ticket, by=owner, reason="VIP, angry.", to=manager)
    run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    ticket.refresh_from_db()
    assert ticket.escalated_to == manager
    assert ticket.events.filter(kind=TimelineEvent.Kind.ESCALATED).count() == 2


# --- follow-up dates ------------------------------------------------------------------------


def hotel_morning(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 8, 0, tzinfo=timezone.get_current_timezone())


@pytest.mark.django_db
def test_the_owner_is_reminded_on_the_follow_up_date_and_not_the_day_before(
    make_ticket, front_desk, owner
):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 20))
    assert run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 19)))["follow_up"] == 0
    run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 20)))
    run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 21)))  # still due: not resent
    assert sent_to() == ["owner@hotel.test"]
    assert "Follow up today" in mail.outbox[0].subject
    note = Notification.objects.get()
    assert note.key == f"complaint_follow_up:ticket:{ticket.pk}:2026-05-20:user:{owner.pk}"
    assert note.occasion_date == date(2026, 5, 20)


@pytest.mark.django_db
def test_a_new_follow_up_date_is_a_new_reminder(make_ticket, front_desk, owner):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 20))
    run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 20)))
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 23))
    run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 23)))
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_the_follow_up_date_is_the_hotels_date_whatever_the_clock(make_ticket, front_desk, owner):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 20))
    # 17:30 UTC on 19 May is already 20 May at the hotel (Asia/Shanghai).
    run(reminders.FOLLOW_UP_KINDS, datetime.fromisoformat("2026-05-19T17:30:00+00:00"))
    assert sent_to() == ["owner@hotel.test"]


@pytest.mark.django_db
def test_a_follow_up_recorded_as_done_is_not_chased(make_ticket, front_desk, owner):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 20))
    ticket.refresh_from_db()
    services.ticket_step_record(ticket=ticket, by=owner, kind="follow_up_done", text="Called.")
    assert run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 20)))["follow_up"] == 0


# --- resolution feedback missing ------------------------------------------------------------


@pytest.mark.django_db
def test_missing_feedback_reminds_the_owner_after_48_hours_once_per_resolution(
    make_ticket, front_desk, owner
):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    ticket = services.ticket_resolve(ticket=ticket, by=owner)
    assert run(reminders.FEEDBACK_KINDS, ticket.resolved_at + 47 * HOUR)["feedback_missing"] == 0
    run(reminders.FEEDBACK_KINDS, ticket.resolved_at + 49 * HOUR)
    run(reminders.FEEDBACK_KINDS, ticket.resolved_at + 50 * HOUR)
    assert sent_to() == ["owner@hotel.test"]
    assert "No feedback yet" in mail.outbox[0].subject
    assert Notification.objects.get().key.endswith(f":round:1:user:{owner.pk}")

    # Reopened and resolved again: a new resolution, a new question to the guest.
    services.ticket_reopen(ticket=ticket, by=owner, reason="Still noisy.")
    services.ticket_start(ticket=ticket, by=owner)
    ticket = services.ticket_resolve(ticket=ticket, by=owner)
    run(reminders.FEEDBACK_KINDS, ticket.resolved_at + 49 * HOUR)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_feedback_given_stops_the_reminder(resolved_ticket):
    services.feedback_record(ticket=resolved_ticket, score=5, via="guest_link")
    at = resolved_ticket.resolved_at + 49 * HOUR
    assert run(reminders.FEEDBACK_KINDS, at)["feedback_missing"] == 0


# --- closed tickets -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_closed_ticket_is_never_chased(make_ticket, front_desk, owner):
    ticket = in_progress(make_ticket(by=front_desk), owner)
    services.ticket_resolve(ticket=ticket, by=owner)
    services.ticket_close(ticket=ticket, by=owner, reason="guest_unreachable")
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=date(2026, 5, 20))
    ticket.refresh_from_db()
    later = max(ticket.resolve_due_at, ticket.resolved_at + 49 * HOUR) + HOUR
    counts = run(reminders.KINDS, later)
    counts.update(run(reminders.FOLLOW_UP_KINDS, hotel_morning(date(2026, 5, 20))))
    assert set(counts.values()) == {0}
    assert mail.outbox == [] and not SlaBreach.objects.exists()


# --- shape: queries, command, schedule ------------------------------------------------------


@pytest.mark.django_db
def test_a_chunk_costs_the_same_queries_whatever_its_size(make_ticket, front_desk, owner):
    small = [assign(make_ticket(by=front_desk), owner) for _ in range(2)]
    large = [assign(make_ticket(by=front_desk), owner) for _ in range(12)]
    at = large[-1].ack_due_at - 10 * MINUTE

    def queries(tickets) -> int:
        with CaptureQueriesContext(connection) as ctx:
            reminders.reminders_send_chunk(kind="ack_soon", ids=[t.pk for t in tickets], at=at)
        return len(ctx.captured_queries)

    assert queries(small) == queries(large) <= 8


@pytest.mark.django_db
def test_the_dry_run_counts_and_sends_nothing(make_ticket, front_desk, owner):
    ticket = make_ticket(by=front_desk)
    out = io.StringIO()
    at = (ticket.ack_due_at + MINUTE).isoformat()
    call_command("complaint_reminders", "--dry-run", "--at", at, stdout=out)
    assert "ack_breached: due 1" in out.getvalue()
    assert not Notification.objects.exists() and not SlaBreach.objects.exists()
    assert not Ticket.objects.get(pk=ticket.pk).escalated
    assert mail.outbox == []

    call_command("complaint_reminders", "--only", "sla", "--at", at, stdout=out)
    assert SlaBreach.objects.count() == 1
    assert Notification.objects.filter(kind="complaint_sla_breached").exists()


@pytest.mark.django_db
def test_the_reminders_are_scheduled_by_default():
    from django_celery_beat.models import PeriodicTask

    tasks = {t.task: t for t in PeriodicTask.objects.select_related("interval", "crontab")}
    assert tasks["complaints.reminders_sla"].interval.every == 300
    assert tasks["complaints.reminders_feedback_missing"].crontab.hour == "*"
    follow_up = tasks["complaints.reminders_follow_up"].crontab
    assert (follow_up.hour, follow_up.minute, str(follow_up.timezone)) == (
        "8",
        "0",
        "Asia/Shanghai",
    )


# --- through real workers -------------------------------------------------------------------


def test_the_sla_sweep_enqueued_twice_on_two_workers_escalates_and_mails_once(
    celery_workers, make_ticket, front_desk, manager, owner
):
    key = f"test:outbox:{uuid.uuid4().hex[:8]}"
    env = {"EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend", "TEST_OUTBOX_KEY": key}
    celery_workers.start(env=env, concurrency=2)
    celery_workers.start(env=env, concurrency=2)
    tickets = [make_ticket(by=front_desk) for _ in range(3)]
    at = (max(t.ack_due_at for t in tickets) + MINUTE).isoformat()

    reminders_sla_task.delay(at)
    reminders_sla_task.delay(at)

    expected = 3 * 2  # three tickets, two duty managers
    assert wait_for(lambda: Notification.objects.filter(status="sent").count() == expected)
    assert workers_idle()  # both runs are over: a duplicate would be in the outbox now
    assert len(outbox(key)) == expected
    assert sorted({m["to"][0] for m in outbox(key)}) == sorted([manager.email, owner.email])
    assert SlaBreach.objects.count() == 3
    assert TimelineEvent.objects.filter(kind=TimelineEvent.Kind.ESCALATED).count() == 3
    assert Ticket.objects.filter(escalated=True).count() == 3


@pytest.mark.django_db
def test_the_system_escalation_reads_well_on_the_ticket_page_and_in_the_admin(
    client, make_ticket, front_desk, manager, administrator
):
    from django.urls import reverse

    ticket = make_ticket(by=front_desk)
    run(reminders.SLA_KINDS, ticket.ack_due_at + MINUTE)
    client.force_login(manager)
    page = client.get(reverse("complaints:ticket", args=[ticket.pk])).content.decode()
    assert "SLA breached: not acknowledged by" in page
    client.force_login(administrator)
    listing = client.get(reverse("admin:complaints_slabreach_changelist"), {"q": ticket.number})
    assert listing.status_code == 200 and ticket.number in listing.content.decode()
    breach = SlaBreach.objects.get()
    change = reverse("admin:complaints_slabreach_change", args=[breach.pk])
    assert client.post(change, {"target": "resolve"}).status_code == 403
