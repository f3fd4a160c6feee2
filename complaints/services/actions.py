"""What a member of staff may do on a ticket now: decided here once, read by the ticket page
and checked again by the services that take each step."""

from __future__ import annotations

from dataclasses import dataclass, field

from complaints.models import ResolutionFeedback, Ticket
from complaints.services.workflow import TRANSITIONS, transition_allowed


@dataclass(frozen=True)
class TicketActions:
    """The buttons and forms the ticket page offers this user (no queries to read)."""

    work: bool
    note: bool
    step: bool
    escalate: bool
    bring_in: bool
    propose: bool
    approve: bool
    record_feedback: bool
    resend_feedback: bool
    awaiting_feedback: bool
    transitions: dict[str, bool] = field(default_factory=dict)


def ticket_awaiting_feedback(
    *, ticket: Ticket, current_feedback: ResolutionFeedback | None
) -> bool:
    """Resolved (or closed) and the guest has not yet said how satisfied they are."""
    return (
        ticket.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) and current_feedback is None
    )


def may_resend_feedback(*, ticket: Ticket, user, awaiting: bool) -> bool:
    """Staff who work tickets may send the guest their link again while it is awaited."""
    return awaiting and ticket.guest_id is not None and user.has_perm("complaints.work_ticket")


def ticket_actions(
    *, ticket: Ticket, user, current_feedback: ResolutionFeedback | None
) -> TicketActions:
    can_work = user.has_perm("complaints.work_ticket")
    awaiting = ticket_awaiting_feedback(ticket=ticket, current_feedback=current_feedback)
    return TicketActions(
        work=can_work,
        note=True,
        step=can_work and ticket.status != Ticket.Status.CLOSED,
        escalate=can_work and ticket.is_open,
        bring_in=can_work and ticket.is_open,
        propose=user.has_perm("complaints.add_recoveryaction")
        and ticket.status != Ticket.Status.CLOSED,
        approve=user.has_perm("complaints.approve_recoveryaction"),
        record_feedback=user.has_perm("complaints.add_resolutionfeedback") and awaiting,
        resend_feedback=may_resend_feedback(ticket=ticket, user=user, awaiting=awaiting),
        awaiting_feedback=awaiting,
        transitions={
            str(to): transition_allowed(ticket=ticket, to=to, user=user) for to in TRANSITIONS
        },
    )
