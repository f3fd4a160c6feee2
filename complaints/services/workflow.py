"""The ticket workflow: new → acknowledged → in progress → resolved → closed, and
resolved or closed → reopened → in progress. Nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import ResolutionFeedback, Ticket, TimelineEvent
from complaints.services.errors import TransitionError
from complaints.services.logging import timeline_add
from complaints.services.tickets import (
    sla_targets_for,
    ticket_lock,
    ticket_save,
    ticket_version_check,
)
from core.retry import queue_or_run_now

Status = Ticket.Status
Kind = TimelineEvent.Kind


StrOrPromise = str | Promise


@dataclass(frozen=True)
class Transition:
    to: str
    sources: tuple[str, ...]
    permission: str
    refused: StrOrPromise  # the sentence when the ticket is in another status


TRANSITIONS: dict[str, Transition] = {
    Status.ACKNOWLEDGED: Transition(
        Status.ACKNOWLEDGED,
        (Status.NEW,),
        "complaints.work_ticket",
        gettext_lazy("Only a new ticket can be acknowledged; this one is “%(status)s”."),
    ),
    Status.IN_PROGRESS: Transition(
        Status.IN_PROGRESS,
        (Status.ACKNOWLEDGED, Status.REOPENED),
        "complaints.work_ticket",
        gettext_lazy(
            "Only an acknowledged or reopened ticket can be started; this one is “%(status)s”."
        ),
    ),
    Status.RESOLVED: Transition(
        Status.RESOLVED,
        (Status.IN_PROGRESS,),
        "complaints.work_ticket",
        gettext_lazy("Only a ticket in progress can be resolved; this one is “%(status)s”."),
    ),
    Status.CLOSED: Transition(
        Status.CLOSED,
        (Status.RESOLVED,),
        "complaints.close_ticket",
        gettext_lazy("Only a resolved ticket can be closed; this one is “%(status)s”."),
    ),
    Status.REOPENED: Transition(
        Status.REOPENED,
        (Status.RESOLVED, Status.CLOSED),
        "complaints.work_ticket",
        gettext_lazy("Only a resolved or closed ticket can be reopened; this one is “%(status)s”."),
    ),
}


def transition_allowed(*, ticket: Ticket, to: str, user) -> bool:
    """Whether the page should offer this step to this user now (no queries)."""
    rule = TRANSITIONS[to]
    return ticket.status in rule.sources and user.has_perm(rule.permission)


def _transition(*, ticket: Ticket, to: str, by, version: int | None) -> Ticket | None:
    """Lock and check; None when the ticket is already there (a double submit)."""
    rule = TRANSITIONS[to]
    locked = ticket_lock(ticket=ticket)
    if locked.status == to:
        return None
    if locked.status not in rule.sources:
        raise TransitionError(rule.refused % {"status": locked.get_status_display()})
    if by is not None and not by.has_perm(rule.permission):
        raise TransitionError(_("Your role cannot take this step on a complaint ticket."))
    ticket_version_check(ticket=locked, version=version)
    return locked


def _status_event(*, ticket: Ticket, by, old: str, text: str = "", kind: str = Kind.STATUS_CHANGED):
    timeline_add(
        ticket=ticket,
        by=by,
        kind=kind,
        text=text,
        data={"from": old, "to": ticket.status},
    )


@transaction.atomic
def ticket_acknowledge(*, ticket: Ticket, by, version: int | None = None) -> Ticket:
    """Tell the guest we have it; the officer who acknowledges owns it if nobody does."""
    locked = _transition(ticket=ticket, to=Status.ACKNOWLEDGED, by=by, version=version)
    if locked is None:
        return Ticket.objects.get(pk=ticket.pk)
    old = locked.status
    locked.status, locked.acknowledged_at = Status.ACKNOWLEDGED, timezone.now()
    fields = ["status", "acknowledged_at"]
    if locked.assigned_to_id is None:
        locked.assigned_to = by
        fields.append("assigned_to")
    ticket_save(ticket=locked, fields=fields)
    _status_event(ticket=locked, by=by, old=old)
    if "assigned_to" in fields:
        timeline_add(
            ticket=locked, by=by, kind=Kind.ASSIGNED, text=str(by), data={"assigned_to": by.pk}
        )
    return locked


@transaction.atomic
def ticket_start(*, ticket: Ticket, by, version: int | None = None) -> Ticket:
    """Start (or restart, after a reopen) working on the ticket."""
    locked = _transition(ticket=ticket, to=Status.IN_PROGRESS, by=by, version=version)
    if locked is None:
        return Ticket.objects.get(pk=ticket.pk)
    old = locked.status
    locked.status = Status.IN_PROGRESS
    ticket_save(ticket=locked, fields=["status"])
    _status_event(ticket=locked, by=by, old=old)
    return locked


@transaction.atomic
def ticket_resolve(*, ticket: Ticket, by, note: str = "", version: int | None = None) -> Ticket:
    """Mark the ticket resolved; the guest can now be asked how satisfied they are."""
    locked = _transition(ticket=ticket, to=Status.RESOLVED, by=by, version=version)
    if locked is None:
        return Ticket.objects.get(pk=ticket.pk)
    old = locked.status
    locked.status, locked.resolved_at = Status.RESOLVED, timezone.now()
    locked.resolution_round += 1
    ticket_save(ticket=locked, fields=["status", "resolved_at", "resolution_round"])
    _status_event(ticket=locked, by=by, old=old, text=note.strip())
    # ask the guest once the resolution is committed (the task sends on their channel)
    transaction.on_commit(partial(_feedback_request_queue, locked.pk))
    return locked


def _feedback_request_queue(ticket_id: int) -> None:
    """Queue the guest's feedback request. With the broker down the resolution is already
    committed and must not fail: the request is recorded here and now instead (a pending
    message in the outbox, which the due sweep delivers once the broker is back)."""
    from complaints.services.feedback import feedback_request_send
    from complaints.tasks import feedback_request_task

    queue_or_run_now(
        feedback_request_task,
        ticket_id,
        run=partial(feedback_request_send, ticket_id=ticket_id),
        what=f"feedback request for ticket {ticket_id}",
    )


@transaction.atomic
def ticket_close(
    *, ticket: Ticket, by, reason: str, note: str = "", version: int | None = None
) -> Ticket:
    """Archive a resolved ticket: only with the guest's feedback, or if they cannot be reached."""
    locked = _transition(ticket=ticket, to=Status.CLOSED, by=by, version=version)
    if locked is None:
        return Ticket.objects.get(pk=ticket.pk)
    if reason not in Ticket.CloseReason.values:
        raise TransitionError(_("Choose why the ticket is being closed."))
    has_feedback = ResolutionFeedback.objects.filter(
        ticket=locked, resolution_round=locked.resolution_round
    ).exists()
    if reason == Ticket.CloseReason.FEEDBACK and not has_feedback:
        raise TransitionError(
            _(
                "The guest has not given feedback on this resolution yet. Record their feedback, "
                "or close it as “guest unreachable”."
            )
        )
    old = locked.status
    locked.status, locked.closed_at, locked.close_reason = Status.CLOSED, timezone.now(), reason
    ticket_save(ticket=locked, fields=["status", "closed_at", "close_reason"])
    timeline_add(
        ticket=locked,
        by=by,
        kind=Kind.STATUS_CHANGED,
        text=note.strip(),
        data={"from": old, "to": locked.status, "close_reason": reason},
    )
    return locked


@transaction.atomic
def ticket_reopen(
    *,
    ticket: Ticket,
    by,
    reason: str = "",
    version: int | None = None,
    guest_score: int | None = None,
) -> Ticket:
    """Open a resolved or closed ticket again; a fresh resolve target starts now.

    Staff give a reason in their words. When the guest's low feedback score reopens it, `by`
    is None and `guest_score` is kept as a code, so the entry reads in each reader's language.
    """
    reason = reason.strip()
    if not reason and guest_score is None:
        raise TransitionError(_("Give the reason for reopening."))
    locked = _transition(ticket=ticket, to=Status.REOPENED, by=by, version=version)
    if locked is None:
        return Ticket.objects.get(pk=ticket.pk)
    old = locked.status
    _ack, resolve_within = sla_targets_for(severity=locked.severity)
    locked.status = Status.REOPENED
    locked.closed_at, locked.close_reason = None, ""
    locked.resolve_due_at = timezone.now() + resolve_within
    ticket_save(ticket=locked, fields=["status", "closed_at", "close_reason", "resolve_due_at"])
    data: dict[str, object] = {"from": old, "to": locked.status}
    if guest_score is not None:
        data["guest_score"] = int(guest_score)
    timeline_add(ticket=locked, by=by, kind=Kind.REOPENED, text=reason, data=data)
    return locked
