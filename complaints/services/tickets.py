"""Logging a complaint and changing its details, its owner and the departments on it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Department
from complaints.defaults import SLA_TARGETS
from complaints.models import Category, SlaBreach, SlaTarget, Ticket, TimelineEvent
from complaints.services.errors import ConflictError, TransitionError
from complaints.services.logging import timeline_add, timeline_recent_duplicate
from core.formatting import instant_text
from guests.selectors import guest_in_house_room

Kind = TimelineEvent.Kind


def sla_targets_for(*, severity: int) -> tuple[timedelta, timedelta]:
    """(acknowledge within, resolve within) for a severity, from the configured targets."""
    target = SlaTarget.objects.filter(severity=severity).first()
    if target is not None:
        ack, resolve = target.acknowledge_minutes, target.resolve_minutes
    else:  # an admin removed the row: fall back to the shipped default, never to "no deadline"
        ack, resolve = SLA_TARGETS[int(severity)]
    return timedelta(minutes=ack), timedelta(minutes=resolve)


def ticket_numbers_take(*, year: int, count: int = 1) -> list[str]:
    """Reserve `count` consecutive readable numbers (C-2026-000123) for a year.

    One upsert takes the row lock and returns the new last number, so concurrent callers
    queue on the counter row and never share a number.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO complaints_ticketcounter (year, last) VALUES (%s, %s)
            ON CONFLICT (year) DO UPDATE SET last = complaints_ticketcounter.last + EXCLUDED.last
            RETURNING last
            """,
            [year, count],
        )
        last = cursor.fetchone()[0]
    return [f"C-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]


def ticket_search_text(*, number: str, guest_name: str, room_number: str, description: str) -> str:
    return " ".join(part for part in (number, guest_name, room_number, description) if part).lower()


def ticket_lock(*, ticket: Ticket, version: int | None = None) -> Ticket:
    """The ticket's row, locked for this transaction; ConflictError if it moved past `version`."""
    locked = Ticket.objects.select_for_update(of=("self",)).get(pk=ticket.pk)
    ticket_version_check(ticket=locked, version=version)
    return locked


def ticket_version_check(*, ticket: Ticket, version: int | None) -> None:
    """ConflictError if the (locked) ticket moved past the version the form was opened at."""
    if version is not None and ticket.version != version:
        raise ConflictError(
            _(
                "Someone else changed this ticket while you were working on it. Check the "
                "current details, then save again."
            ),
            ticket=ticket,
        )


def ticket_save(*, ticket: Ticket, fields: list[str]) -> None:
    """Save the changed fields and move the version on, so older forms see a conflict."""
    ticket.version += 1
    ticket.save(update_fields=[*fields, "version", "updated_at"])


@transaction.atomic
def ticket_log(
    *,
    by,
    department: Department,
    category: Category,
    description: str,
    severity: int = 2,
    channel: str = Ticket.Channel.IN_PERSON,
    guest=None,
    guest_name: str = "",
    room_number: str = "",
    log_key: uuid.UUID | None = None,
) -> Ticket:
    """Log a complaint at the desk; due times follow the severity's SLA target.

    A repeated submit of the same form (same `log_key`) returns the ticket it already made.
    """
    if log_key is not None:
        existing = Ticket.objects.filter(log_key=log_key).first()
        if existing is not None:
            return existing
    if guest is None and not guest_name.strip():
        raise TransitionError(_("Choose a guest or give the walk-in's name."))
    now = timezone.now()
    ack_within, resolve_within = sla_targets_for(severity=severity)
    (number,) = ticket_numbers_take(year=timezone.localdate(now).year)
    name = guest_name.strip() or (guest.display_name if guest is not None else "")
    room_number = room_number.strip()
    if guest is not None and not room_number:
        # A complaint about an in-house guest belongs to the room they are in now.
        room_number = guest_in_house_room(guest=guest)
    ticket = Ticket(
        number=number,
        guest=guest,
        guest_name=name,
        room_number=room_number,
        department=department,
        category=category,
        severity=severity,
        channel=channel,
        description=description.strip(),
        logged_by=by,
        ack_due_at=now + ack_within,
        resolve_due_at=now + resolve_within,
        created_at=now,
        log_key=log_key,
    )
    ticket.search_text = ticket_search_text(
        number=number, guest_name=name, room_number=ticket.room_number, description=description
    )
    try:
        with transaction.atomic():
            ticket.save()
    except IntegrityError:
        # The same form submitted twice at once: the other request made the ticket.
        if log_key is not None and (found := Ticket.objects.filter(log_key=log_key).first()):
            return found
        raise
    timeline_add(
        ticket=ticket,
        by=by,
        kind=Kind.CREATED,
        text=ticket.description,
        data={"severity": int(severity), "channel": channel, "category": category.code},
        at=now,
    )
    return ticket


def _require(user, permission: str, message) -> None:
    if not user.has_perm(permission):
        raise TransitionError(message)


@transaction.atomic
def ticket_update(*, ticket: Ticket, by, version: int, changes: dict) -> Ticket:
    """Change a ticket's details, classification or owner; refuses a stale `version`.

    `changes` may hold department, category, severity, channel, description, guest_name,
    room_number, follow_up_on, assigned_to, kind and root_causes (a list).
    """
    _require(by, "complaints.work_ticket", _("Your role cannot change complaint tickets."))
    locked = ticket_lock(ticket=ticket, version=version)
    changes = dict(changes)
    if locked.guest_id is None and not (changes.get("guest_name", locked.guest_name) or "").strip():
        raise TransitionError(_("Choose a guest or give the walk-in's name."))
    root_causes = changes.pop("root_causes", None)
    changed: dict[str, list[str]] = {}
    fields: list[str] = []
    for name, value in changes.items():
        old = getattr(locked, name)
        if old == value:
            continue
        changed[name] = [_display(old), _display(value)]
        setattr(locked, name, value)
        fields.append(name)
    old_causes = set(locked.root_causes.values_list("pk", flat=True))
    new_causes = {cause.pk for cause in root_causes} if root_causes is not None else old_causes
    if not fields and new_causes == old_causes:
        return locked  # nothing to save: a repeated submit
    if "severity" in fields:
        ack_within, resolve_within = sla_targets_for(severity=locked.severity)
        locked.ack_due_at = locked.created_at + ack_within
        locked.resolve_due_at = locked.created_at + resolve_within
        fields += ["ack_due_at", "resolve_due_at"]
    if {"guest_name", "room_number", "description"} & set(fields):
        locked.search_text = ticket_search_text(
            number=locked.number,
            guest_name=locked.guest_name,
            room_number=locked.room_number,
            description=locked.description,
        )
        fields.append("search_text")
    if new_causes != old_causes:
        locked.root_causes.set(new_causes)
    ticket_save(ticket=locked, fields=fields)

    if "assigned_to" in changed:
        timeline_add(
            ticket=locked,
            by=by,
            kind=Kind.ASSIGNED,
            text=str(locked.assigned_to or ""),
            data={"assigned_to": locked.assigned_to_id},
        )
    if "kind" in changed or new_causes != old_causes:
        timeline_add(
            ticket=locked,
            by=by,
            kind=Kind.CLASSIFIED,
            # the kind is shown from its code, in the reader's language (TimelineEvent.detail)
            data={"kind": locked.kind, "root_causes": sorted(new_causes)},
        )
    other = {k: v for k, v in changed.items() if k not in ("assigned_to", "kind")}
    if other:
        timeline_add(ticket=locked, by=by, kind=Kind.UPDATED, data=other)
    return locked


def _display(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    return str(value)


@transaction.atomic
def ticket_step_record(*, ticket: Ticket, by, kind: str, text: str = "") -> TimelineEvent:
    """Record a handling step (listened, apologised, solution, follow-up, surprise) or a note."""
    if kind not in TimelineEvent.HANDLING_STEPS:
        raise TransitionError(_("That is not a step that can be recorded by hand."))
    if kind != Kind.NOTE:
        _require(by, "complaints.work_ticket", _("Your role can add notes, not handling steps."))
        if ticket.status == Ticket.Status.CLOSED:
            raise TransitionError(
                _("This ticket is closed; reopen it before recording another step.")
            )
    text = text.strip()
    if kind == Kind.NOTE and not text:
        raise TransitionError(_("Write the note first."))
    duplicate = timeline_recent_duplicate(ticket=ticket, by=by, kind=kind, text=text)
    if duplicate is not None:
        return duplicate
    if kind == Kind.FOLLOW_UP_DONE:
        # The follow-up that was due is done: nothing left for the reminder to chase. A date
        # still ahead is the next follow-up the officer planned, and stays.
        Ticket.objects.filter(pk=ticket.pk, follow_up_on__lte=timezone.localdate()).update(
            follow_up_on=None, version=F("version") + 1, updated_at=timezone.now()
        )
    return timeline_add(ticket=ticket, by=by, kind=kind, text=text)


@transaction.atomic
def ticket_department_bring_in(
    *, ticket: Ticket, by, department: Department, text: str = ""
) -> Ticket:
    """Bring another department into a ticket; its head then sees and works it too."""
    _require(by, "complaints.work_ticket", _("Your role cannot bring departments in."))
    locked = ticket_lock(ticket=ticket)
    if not locked.is_open:
        raise TransitionError(_("Only an open ticket can bring in another department."))
    if (
        department.pk == locked.department_id
        or locked.involved_departments.filter(pk=department.pk).exists()
    ):
        return locked
    locked.involved_departments.add(department)
    ticket_save(ticket=locked, fields=[])
    timeline_add(
        ticket=locked,
        by=by,
        kind=Kind.DEPARTMENT_BROUGHT_IN,
        text=text.strip(),
        data={"department": department.code, "department_name": department.name},
    )
    return locked


@transaction.atomic
def ticket_escalate(*, ticket: Ticket, by, reason: str, to=None) -> Ticket:
    """Hand a ticket to the duty managers, with the reason; `to` names one if chosen."""
    _require(by, "complaints.work_ticket", _("Your role cannot escalate complaint tickets."))
    reason = reason.strip()
    if not reason:
        raise TransitionError(_("Give the reason for escalating."))
    if to is not None and not to.has_perm("complaints.handle_escalation"):
        raise TransitionError(
            _("%(name)s is not a duty manager and cannot take escalations.") % {"name": to}
        )
    locked = ticket_lock(ticket=ticket)
    if not locked.is_open:
        raise TransitionError(_("Only an open ticket can be escalated."))
    if (
        locked.escalated
        and locked.escalation_reason == reason
        and locked.escalated_to_id == (to.pk if to else None)
    ):
        return locked  # the same escalation submitted twice
    locked.escalated = True
    locked.escalated_to = to
    locked.escalated_at = timezone.now()
    locked.escalation_reason = reason
    ticket_save(
        ticket=locked, fields=["escalated", "escalated_to", "escalated_at", "escalation_reason"]
    )
    timeline_add(
        ticket=locked,
        by=by,
        kind=Kind.ESCALATED,
        text=reason,
        data={"escalated_to": to.pk if to else None, "escalated_to_name": str(to or "")},
    )
    return locked


SLA_BREACH_REASONS: dict[str, str | Promise] = {
    SlaBreach.Target.ACKNOWLEDGE: gettext_lazy(
        "SLA breached: the ticket was not acknowledged by %(due)s."
    ),
    SlaBreach.Target.RESOLVE: gettext_lazy("SLA breached: the ticket was not resolved by %(due)s."),
}


@transaction.atomic
def ticket_sla_breach_escalate(*, ticket: Ticket, target: str, now: datetime) -> SlaBreach | None:
    """Record that the ticket missed `target` and hand it to the duty managers, by the system.

    Returns the new breach, or None when there is nothing to do: the target was met meanwhile,
    is not due yet, or this breach (same target, same due time) is already recorded. The
    ticket row is locked and the breach is unique per due time, so two workers escalate once;
    a reopened ticket's new resolve time is a new breach.
    """
    from complaints.selectors import SLA_DUE_FIELDS

    locked = ticket_lock(ticket=ticket)
    due_at = getattr(locked, SLA_DUE_FIELDS[target])
    still_owed = (
        locked.status == Ticket.Status.NEW
        if target == SlaBreach.Target.ACKNOWLEDGE
        else locked.is_open
    )
    if not still_owed or due_at > now:
        return None
    breach, created = SlaBreach.objects.get_or_create(
        ticket=locked, target=target, due_at=due_at, defaults={"detected_at": now}
    )
    if not created:
        return None
    with translation.override(settings.LANGUAGE_CODE):  # a stored field: the hotel's language
        reason = str(SLA_BREACH_REASONS[target]) % {"due": instant_text(due_at)}
    locked.escalated = True
    locked.escalated_at = timezone.now()
    locked.escalation_reason = reason
    ticket_save(ticket=locked, fields=["escalated", "escalated_at", "escalation_reason"])
    timeline_add(
        ticket=locked,
        by=None,  # the system: the timeline shows it without a name
        kind=Kind.ESCALATED,
        data={
            "sla": target,
            "due_at": due_at.isoformat(),
            "breach": breach.pk,
            "escalated_to": locked.escalated_to_id,
        },
    )
    return breach
