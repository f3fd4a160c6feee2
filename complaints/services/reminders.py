"""Complaint reminders: a follow-up date reached, a target due soon, a target missed (escalated
to the duty managers) and a resolution still without the guest's feedback after 48 hours.

Each sweep finds its tickets with an indexed query and hands their ids on in chunks; each chunk
records its messages under a unique occasion key (the outbox), so a re-run, a retried task or
two workers on the same sweep send every reminder once. A missed target is escalated once per
breach: the breach row is unique per ticket, target and due time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from complaints import selectors
from complaints.models import SlaBreach, Ticket
from complaints.services.tickets import ticket_sla_breach_escalate
from core.chunks import ids_in_chunks
from core.i18n import staff_language
from notifications.models import Notification
from notifications.services import NewNotification, notifications_create

logger = logging.getLogger(__name__)

CHUNK_SIZE = 200

FOLLOW_UP = "follow_up"
ACK_SOON = "ack_soon"
RESOLVE_SOON = "resolve_soon"
ACK_BREACHED = "ack_breached"
RESOLVE_BREACHED = "resolve_breached"
FEEDBACK_MISSING = "feedback_missing"
KINDS = (FOLLOW_UP, ACK_BREACHED, RESOLVE_BREACHED, ACK_SOON, RESOLVE_SOON, FEEDBACK_MISSING)

# What each scheduled sweep covers. Breaches come first: they escalate.
SLA_KINDS = (ACK_BREACHED, RESOLVE_BREACHED, ACK_SOON, RESOLVE_SOON)
FOLLOW_UP_KINDS = (FOLLOW_UP,)
FEEDBACK_KINDS = (FEEDBACK_MISSING,)

TARGET_OF = {
    ACK_SOON: SlaBreach.Target.ACKNOWLEDGE,
    RESOLVE_SOON: SlaBreach.Target.RESOLVE,
    ACK_BREACHED: SlaBreach.Target.ACKNOWLEDGE,
    RESOLVE_BREACHED: SlaBreach.Target.RESOLVE,
}


def reminders_due(*, kind: str, at: datetime) -> QuerySet[Ticket]:
    """The tickets a reminder of `kind` is due for at the instant `at`."""
    if kind == FOLLOW_UP:
        return selectors.ticket_follow_up_due(day=timezone.localdate(at))
    if kind in (ACK_SOON, RESOLVE_SOON):
        return selectors.ticket_sla_due_soon(target=TARGET_OF[kind], now=at)
    if kind in (ACK_BREACHED, RESOLVE_BREACHED):
        return selectors.ticket_sla_breached(target=TARGET_OF[kind], now=at)
    if kind == FEEDBACK_MISSING:
        return selectors.ticket_feedback_missing(now=at)
    raise ValueError(f"unknown reminder kind: {kind}")


def reminders_fan_out(
    *,
    kinds: Iterable[str],
    at: datetime,
    enqueue: Callable[[str, list[int], datetime], None],
    chunk_size: int = CHUNK_SIZE,
) -> dict[str, int]:
    """Find the tickets due a reminder and hand them on in chunks of ids. Counts per kind."""
    counts: dict[str, int] = {}
    for kind in kinds:
        counts[kind] = 0
        for chunk in ids_in_chunks(reminders_due(kind=kind, at=at), chunk_size):
            enqueue(kind, chunk, at)
            counts[kind] += len(chunk)
    return counts


def reminders_send_chunk(*, kind: str, ids: list[int], at: datetime) -> int:
    """Record (and queue) the reminders for one chunk of tickets. Safe to run twice.

    The tickets are selected again with the sweep's conditions: one acknowledged, resolved or
    closed since the sweep is not chased. Returns the number of messages recorded or found.
    """
    tickets = list(
        reminders_due(kind=kind, at=at)
        .filter(pk__in=ids)
        .select_related("guest", "assigned_to")
        .order_by("pk")
    )
    if not tickets:
        return 0
    recipients = _Recipients()
    if kind in (ACK_BREACHED, RESOLVE_BREACHED):
        return sum(_escalate(ticket, TARGET_OF[kind], at, recipients) for ticket in tickets)
    items: list[NewNotification] = []
    for ticket in tickets:
        items += _reminder_items(kind, ticket, at, recipients)
    with transaction.atomic():
        notifications_create(items=items)
    return len(items)


class _Recipients:
    """The duty managers, loaded once per chunk and only if a ticket needs them."""

    def __init__(self) -> None:
        self._managers: list | None = None

    def managers(self) -> list:
        if self._managers is None:
            self._managers = list(selectors.duty_managers())
            if not self._managers:
                # Escalations still show in the queue; nobody can be e-mailed about them.
                logger.warning("complaint reminders: no duty manager with an e-mail address")
        return self._managers

    def owners(self, ticket: Ticket) -> list:
        """The assigned officer; when nobody owns it (or they cannot be reached), the duty
        managers."""
        owner = ticket.assigned_to
        if owner is not None and owner.is_active and owner.email:
            return [owner]
        return self.managers()


def _escalate(ticket: Ticket, target: str, at: datetime, recipients: _Recipients) -> int:
    with transaction.atomic():
        breach = ticket_sla_breach_escalate(ticket=ticket, target=target, now=at)
        if breach is None:
            return 0
        ticket = breach.ticket  # the locked, current row
        owner = ticket.assigned_to
        due_at = breach.due_at
        extra = {
            "target": target,
            "due_at": _local(due_at),
            "owner": str(owner) if owner else "",
        }
        items = [
            _item(
                kind=Notification.Kind.COMPLAINT_SLA_BREACHED,
                key=f"complaint_sla_breached:ticket:{ticket.pk}:{target}:{_stamp(due_at)}",
                ticket=ticket,
                user=manager,
                day=timezone.localdate(due_at),
                extra=extra,
            )
            for manager in recipients.managers()
        ]
        notifications_create(items=items)
    return len(items)


def _reminder_items(
    kind: str, ticket: Ticket, at: datetime, recipients: _Recipients
) -> list[NewNotification]:
    if kind == FOLLOW_UP:
        day = ticket.follow_up_on
        assert day is not None  # the sweep only picks tickets with a follow-up date
        notification_kind = Notification.Kind.COMPLAINT_FOLLOW_UP
        key = f"complaint_follow_up:ticket:{ticket.pk}:{day.isoformat()}"
        extra: dict[str, object] = {"follow_up_on": day.isoformat()}
    elif kind in (ACK_SOON, RESOLVE_SOON):
        target = TARGET_OF[kind]
        due_at = getattr(ticket, selectors.SLA_DUE_FIELDS[target])
        day = timezone.localdate(due_at)
        notification_kind = Notification.Kind.COMPLAINT_SLA_SOON
        key = f"complaint_sla_soon:ticket:{ticket.pk}:{target}:{_stamp(due_at)}"
        extra = {"target": target, "due_at": _local(due_at)}
    else:  # FEEDBACK_MISSING
        assert ticket.resolved_at is not None  # the sweep only picks resolved tickets
        day = timezone.localdate(ticket.resolved_at)
        notification_kind = Notification.Kind.COMPLAINT_FEEDBACK_MISSING
        key = f"complaint_feedback_missing:ticket:{ticket.pk}:round:{ticket.resolution_round}"
        extra = {"resolved_at": _local(ticket.resolved_at), "round": ticket.resolution_round}
    return [
        _item(kind=notification_kind, key=key, ticket=ticket, user=user, day=day, extra=extra)
        for user in recipients.owners(ticket)
    ]


def _item(*, kind: str, key: str, ticket: Ticket, user, day, extra: dict) -> NewNotification:
    return NewNotification(
        key=f"{key}:user:{user.pk}",
        kind=kind,
        channel=Notification.Channel.EMAIL,
        to=user.email,
        occasion_date=day,
        language=staff_language(user),
        recipient_user_id=user.pk,
        context={
            "recipient": user.get_short_name() or user.username,
            "number": ticket.number,
            "who": ticket.who,
            "room": ticket.room_number,
            "description": ticket.description[:300],
            "site_url": settings.SITE_URL,
            "ticket_url": ticket.get_absolute_url(),
            **extra,
        },
    )


def _local(value: datetime) -> str:
    """A due time in the hotel's zone, as ISO: the message shows it in the reader's format."""
    return timezone.localtime(value).isoformat(timespec="minutes")


def _stamp(value: datetime) -> str:
    """A due time in a key: UTC, to the second, whatever zone the worker runs in."""
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
