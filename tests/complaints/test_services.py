import threading
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.db.utils import InternalError
from django.utils import timezone

from complaints import services
from complaints.models import (
    ResolutionFeedback,
    SlaTarget,
    Ticket,
    TimelineEvent,
)
from complaints.services import ConflictError, TransitionError
from tests.support.timeline import kinds

Status = Ticket.Status
Kind = TimelineEvent.Kind


# --- Logging and numbers -----------------------------------------------------------------------


@pytest.mark.django_db
def test_logging_gives_a_readable_number_and_due_times_from_the_sla(make_ticket, front_desk):
    before = timezone.now()
    ticket = make_ticket(by=front_desk, severity=4)
    year = timezone.localdate().year
    assert ticket.number.startswith(f"C-{year}-") and len(ticket.number) == len("C-2026-000001")
    assert ticket.status == Status.NEW
    assert (
        before + timedelta(minutes=15)
        <= ticket.ack_due_at
        <= timezone.now() + timedelta(minutes=15)
    )
    assert ticket.resolve_due_at - ticket.created_at == timedelta(hours=4)
    assert kinds(ticket) == [Kind.CREATED]


@pytest.mark.django_db
def test_the_sla_follows_the_targets_an_admin_configured(make_ticket, front_desk):
    SlaTarget.objects.filter(severity=1).update(acknowledge_minutes=30, resolve_minutes=90)
    ticket = make_ticket(by=front_desk, severity=1)
    assert ticket.ack_due_at - ticket.created_at == timedelta(minutes=30)
    assert ticket.resolve_due_at - ticket.created_at == timedelta(minutes=90)


@pytest.mark.django_db
def test_numbers_follow_each_other(make_ticket, front_desk):
    first = make_ticket(by=front_desk)
    second = make_ticket(by=front_desk)
    assert int(second.number[-6:]) == int(first.number[-6:]) + 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_logging_never_shares_a_number():
    year = 2031
    results: list[str] = []
    errors: list[Exception] = []
    barrier = threading.Barrier(8)

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                results.extend(services.ticket_numbers_take(year=year, count=5))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(results) == 40 and len(set(results)) == 40
    assert sorted(results)[-1] == "C-2031-000040"


@pytest.mark.django_db
def test_a_double_submitted_quick_log_makes_one_ticket(make_ticket, front_desk):
    import uuid

    key = uuid.uuid4()
    first = make_ticket(by=front_desk, log_key=key)
    second = make_ticket(by=front_desk, log_key=key)
    assert first.pk == second.pk
    assert Ticket.objects.count() == 1


@pytest.mark.django_db
def test_a_ticket_needs_a_guest_or_a_walk_in_name(make_ticket, front_desk):
    with pytest.raises(TransitionError, match="walk-in"):
        make_ticket(by=front_desk, guest_name="  ")


@pytest.mark.django_db
def test_a_returning_guest_ticket_keeps_the_guest_and_their_name(
    make_ticket, front_desk, returning_guest
):
    ticket = make_ticket(by=front_desk, guest=returning_guest)
    assert ticket.guest == returning_guest and ticket.guest_name == "Wei Chen"


# --- Workflow ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_whole_workflow_writes_each_step_with_who(resolved_ticket, officer):
    ticket = resolved_ticket
    services.feedback_record(ticket=ticket, by=officer, score=5, comment="Lovely")
    ticket = services.ticket_close(ticket=ticket, by=officer, reason="feedback")
    assert ticket.status == Status.CLOSED and ticket.closed_at
    events = list(ticket.events.order_by("at", "pk"))
    assert [e.kind for e in events] == [
        Kind.CREATED,
        Kind.STATUS_CHANGED,
        Kind.ASSIGNED,
        Kind.STATUS_CHANGED,
        Kind.STATUS_CHANGED,
        Kind.FEEDBACK_RECORDED,
        Kind.STATUS_CHANGED,
    ]
    assert all(e.by == officer for e in events)
    assert [e.data.get("to") for e in events if e.kind == Kind.STATUS_CHANGED] == [
        "acknowledged",
        "in_progress",
        "resolved",
        "closed",
    ]


@pytest.mark.django_db
def test_acknowledging_makes_the_officer_the_owner(make_ticket, front_desk, officer):
    ticket = services.ticket_acknowledge(ticket=make_ticket(by=front_desk), by=officer)
    assert ticket.assigned_to == officer and ticket.acknowledged_at


@pytest.mark.django_db
@pytest.mark.parametrize(
    "step, message",
    [
        ("resolve", "Only a ticket in progress can be resolved"),
        ("start", "Only an acknowledged or reopened ticket can be started"),
        ("close", "Only a resolved ticket can be closed"),
        ("reopen", "Only a resolved or closed ticket can be reopened"),
    ],
)
def test_a_step_out_of_order_is_refused_with_a_clear_message(make_ticket, officer, step, message):
    ticket = make_ticket(by=officer)
    call = {
        "resolve": lambda: services.ticket_resolve(ticket=ticket, by=officer),
        "start": lambda: services.ticket_start(ticket=ticket, by=officer),
        "close": lambda: services.ticket_close(ticket=ticket, by=officer, reason="feedback"),
        "reopen": lambda: services.ticket_reopen(ticket=ticket, by=officer, reason="why"),
    }[step]
    with pytest.raises(TransitionError, match=message):
        call()
    ticket.refresh_from_db()
    assert ticket.status == Status.NEW and kinds(ticket) == [Kind.CREATED]


@pytest.mark.django_db
def test_the_front_desk_cannot_acknowledge(make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    with pytest.raises(TransitionError, match="Your role"):
        services.ticket_acknowledge(ticket=ticket, by=front_desk)


@pytest.mark.django_db
def test_a_department_head_cannot_close(resolved_ticket, department_head):
    with pytest.raises(TransitionError, match="Your role"):
        services.ticket_close(
            ticket=resolved_ticket, by=department_head, reason="guest_unreachable"
        )


@pytest.mark.django_db
def test_a_double_click_on_acknowledge_changes_nothing(make_ticket, officer):
    ticket = make_ticket(by=officer)
    version = ticket.version
    services.ticket_acknowledge(ticket=ticket, by=officer, version=version)
    again = services.ticket_acknowledge(ticket=ticket, by=officer, version=version)
    assert again.status == Status.ACKNOWLEDGED
    assert kinds(ticket).count(Kind.STATUS_CHANGED) == 1


@pytest.mark.django_db
def test_closing_needs_feedback_or_guest_unreachable(resolved_ticket, officer):
    with pytest.raises(TransitionError, match="not given feedback"):
        services.ticket_close(ticket=resolved_ticket, by=officer, reason="feedback")
    ticket = services.ticket_close(
        ticket=resolved_ticket, by=officer, reason="guest_unreachable", note="Three calls."
    )
    assert ticket.close_reason == "guest_unreachable"


@pytest.mark.django_db
def test_reopening_starts_a_fresh_resolve_target(resolved_ticket, officer):
    ticket = services.ticket_reopen(ticket=resolved_ticket, by=officer, reason="Still dirty")
    assert ticket.status == Status.REOPENED
    assert ticket.resolve_due_at > timezone.now() + timedelta(hours=71)
    ticket = services.ticket_start(ticket=ticket, by=officer)
    assert ticket.status == Status.IN_PROGRESS


# --- Lost updates ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stale_edit_is_refused_not_silently_applied(make_ticket, officer, manager):
    ticket = make_ticket(by=officer)
    opened_at = ticket.version
    services.ticket_update(ticket=ticket, by=manager, version=opened_at, changes={"severity": 3})
    with pytest.raises(ConflictError) as caught:
        services.ticket_update(
            ticket=ticket, by=officer, version=opened_at, changes={"description": "Mine"}
        )
    assert "Someone else changed this ticket" in str(caught.value)
    ticket.refresh_from_db()
    assert ticket.severity == 3 and ticket.description == "Hair in the bathtub."


@pytest.mark.django_db
def test_a_walk_in_ticket_keeps_a_name(make_ticket, officer):
    ticket = make_ticket(by=officer)
    with pytest.raises(TransitionError, match="walk-in"):
        services.ticket_update(
            ticket=ticket, by=officer, version=ticket.version, changes={"guest_name": " "}
        )


@pytest.mark.django_db
def test_a_severity_change_moves_the_due_times(make_ticket, officer):
    ticket = make_ticket(by=officer, severity=1)
    ticket = services.ticket_update(
        ticket=ticket, by=officer, version=ticket.version, changes={"severity": 4}
    )
    assert ticket.resolve_due_at - ticket.created_at == timedelta(hours=4)
    assert kinds(ticket)[-1] == Kind.UPDATED


@pytest.mark.django_db
def test_classifying_and_assigning_are_on_the_timeline(make_ticket, officer, manager):
    from complaints.models import RootCause

    ticket = make_ticket(by=officer)
    cause = RootCause.objects.get(code="staff-training")
    services.ticket_update(
        ticket=ticket,
        by=officer,
        version=ticket.version,
        changes={"kind": "emotional", "root_causes": [cause], "assigned_to": manager},
    )
    ticket.refresh_from_db()
    assert ticket.kind == "emotional" and list(ticket.root_causes.all()) == [cause]
    assert {Kind.CLASSIFIED, Kind.ASSIGNED} <= set(kinds(ticket))


# --- Timeline ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_handling_steps_are_recorded_and_a_double_click_records_one(make_ticket, officer):
    ticket = make_ticket(by=officer)
    services.ticket_step_record(ticket=ticket, by=officer, kind=Kind.APOLOGISED, text="Sorry")
    services.ticket_step_record(ticket=ticket, by=officer, kind=Kind.APOLOGISED, text="Sorry")
    assert kinds(ticket).count(Kind.APOLOGISED) == 1


@pytest.mark.django_db
def test_a_follow_up_done_clears_a_date_that_has_come(make_ticket, officer):
    ticket = make_ticket(by=officer)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=timezone.localdate())
    ticket.refresh_from_db()
    services.ticket_step_record(ticket=ticket, by=officer, kind=Kind.FOLLOW_UP_DONE, text="Called")
    ticket.refresh_from_db()
    assert ticket.follow_up_on is None


@pytest.mark.django_db
def test_a_follow_up_done_keeps_the_next_follow_up_the_officer_planned(make_ticket, officer):
    ticket = make_ticket(by=officer)
    planned = timezone.localdate() + timedelta(days=3)
    Ticket.objects.filter(pk=ticket.pk).update(follow_up_on=planned)
    ticket.refresh_from_db()
    services.ticket_step_record(ticket=ticket, by=officer, kind=Kind.FOLLOW_UP_DONE, text="Called")
    ticket.refresh_from_db()
    assert ticket.follow_up_on == planned
    assert kinds(ticket)[-1] == Kind.FOLLOW_UP_DONE


@pytest.mark.django_db
def test_the_front_desk_may_add_notes_but_not_handling_steps(make_ticket, front_desk):
    ticket = make_ticket(by=front_desk)
    services.ticket_step_record(ticket=ticket, by=front_desk, kind=Kind.NOTE, text="Guest left")
    with pytest.raises(TransitionError):
        services.ticket_step_record(ticket=ticket, by=front_desk, kind=Kind.LISTENED)


@pytest.mark.django_db
def test_the_timeline_cannot_be_changed_or_deleted(make_ticket, officer):
    ticket = make_ticket(by=officer)
    event = ticket.events.get()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        TimelineEvent.objects.filter(ticket=ticket).delete()
    with pytest.raises(PermissionError):
        TimelineEvent.objects.filter(ticket=ticket).update(text="rewritten")
    event.text = "rewritten"
    with pytest.raises(PermissionError):
        event.save()


@pytest.mark.django_db
def test_the_database_itself_refuses_to_rewrite_the_timeline(make_ticket, officer):
    ticket = make_ticket(by=officer)
    for sql in (
        "UPDATE complaints_timelineevent SET text = 'x' WHERE ticket_id = %s",
        "DELETE FROM complaints_timelineevent WHERE ticket_id = %s",
    ):
        with (
            pytest.raises(InternalError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [ticket.pk])
    assert ticket.events.get().text == "Hair in the bathtub."


# --- Ownership ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_escalating_hands_the_ticket_to_a_duty_manager_with_the_reason(
    make_ticket, department_head, officer
):
    ticket = make_ticket(by=department_head)
    ticket = services.ticket_escalate(
        ticket=ticket, by=department_head, reason="Guest wants the GM", to=officer
    )
    assert ticket.escalated and ticket.escalated_to == officer
    assert ticket.escalation_reason == "Guest wants the GM"
    assert kinds(ticket)[-1] == Kind.ESCALATED


@pytest.mark.django_db
def test_escalating_to_someone_who_is_not_a_duty_manager_is_refused(
    make_ticket, officer, front_desk
):
    with pytest.raises(TransitionError, match="not a duty manager"):
        services.ticket_escalate(
            ticket=make_ticket(by=officer), by=officer, reason="x", to=front_desk
        )


@pytest.mark.django_db
def test_bringing_in_a_department_once_is_enough(make_ticket, officer):
    from tests.factories import department

    ticket = make_ticket(by=officer)
    engineering = department("engineering")
    services.ticket_department_bring_in(ticket=ticket, by=officer, department=engineering)
    services.ticket_department_bring_in(ticket=ticket, by=officer, department=engineering)
    assert list(ticket.involved_departments.all()) == [engineering]
    assert kinds(ticket).count(Kind.DEPARTMENT_BROUGHT_IN) == 1


# --- Feedback ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_low_feedback_score_reopens_the_ticket(resolved_ticket, officer, monkeypatch):
    queued = []
    monkeypatch.setattr(
        "complaints.tasks.feedback_owner_notify_task.delay", lambda pk: queued.append(pk)
    )
    with django_capture_on_commit():
        feedback = services.feedback_record(
            ticket=resolved_ticket, score=2, comment="Still dirty", via="guest_link"
        )
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Status.REOPENED
    assert kinds(resolved_ticket)[-2:] == [Kind.FEEDBACK_RECORDED, Kind.REOPENED]
    assert queued == [feedback.pk]


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.django_db
def test_a_good_score_leaves_the_ticket_resolved(resolved_ticket, officer):
    services.feedback_record(ticket=resolved_ticket, by=officer, score=4)
    resolved_ticket.refresh_from_db()
    assert resolved_ticket.status == Status.RESOLVED


@pytest.mark.django_db
def test_feedback_is_recorded_once_per_resolution(resolved_ticket, officer):
    first = services.feedback_record(ticket=resolved_ticket, by=officer, score=4)
    second = services.feedback_record(ticket=resolved_ticket, by=officer, score=1)
    assert first.pk == second.pk
    assert ResolutionFeedback.objects.count() == 1


@pytest.mark.django_db
def test_the_owner_is_told_once_by_email(resolved_ticket, officer, mailoutbox):
    from notifications.models import Notification
    from notifications.services import notification_send

    feedback = services.feedback_record(ticket=resolved_ticket, score=1, via="guest_link")
    assert services.feedback_owner_notify(feedback_id=feedback.pk) is True
    assert services.feedback_owner_notify(feedback_id=feedback.pk) is False
    (message,) = Notification.objects.filter(kind="complaint_reopened_by_guest")
    assert notification_send(notification_id=message.pk) == "sent"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [officer.email]
    assert resolved_ticket.number in mailoutbox[0].subject
    assert kinds(resolved_ticket)[-1] == Kind.OWNER_NOTIFIED


@pytest.mark.django_db
def test_a_signed_link_reads_back_and_a_tampered_one_does_not(resolved_ticket):
    token = services.feedback_token_make(ticket=resolved_ticket)
    link = services.feedback_token_read(token=token)
    assert (link.ticket_id, link.resolution_round) == (resolved_ticket.pk, 1)
    with pytest.raises(services.FeedbackLinkError, match="not valid"):
        services.feedback_token_read(token=token[:-2] + ("A" if token[-1] != "A" else "B") * 2)


@pytest.mark.django_db
def test_a_link_older_than_its_age_has_expired(resolved_ticket):
    token = services.feedback_token_make(ticket=resolved_ticket)
    with pytest.raises(services.FeedbackLinkError, match="expired"):
        services.feedback_token_read(token=token, max_age=timedelta(seconds=-1))
