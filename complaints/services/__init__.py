"""Everything that changes complaint data. Each change writes the ticket's timeline."""

from complaints.services.actions import TicketActions, ticket_actions
from complaints.services.errors import (
    ComplaintError,
    ConflictError,
    FeedbackLinkError,
    TransitionError,
)
from complaints.services.feedback import (
    feedback_owner_notify,
    feedback_record,
    feedback_request_resend,
    feedback_request_send,
    feedback_token_make,
    feedback_token_read,
    feedback_url,
)
from complaints.services.logging import timeline_add
from complaints.services.recovery import (
    authority_for,
    recovery_approve,
    recovery_propose,
    recovery_reject,
)
from complaints.services.tickets import (
    sla_targets_for,
    ticket_department_bring_in,
    ticket_escalate,
    ticket_log,
    ticket_numbers_take,
    ticket_sla_breach_escalate,
    ticket_step_record,
    ticket_update,
)
from complaints.services.workflow import (
    ticket_acknowledge,
    ticket_close,
    ticket_reopen,
    ticket_resolve,
    ticket_start,
    transition_allowed,
)

__all__ = [
    "ComplaintError",
    "ConflictError",
    "FeedbackLinkError",
    "TransitionError",
    "authority_for",
    "feedback_owner_notify",
    "feedback_request_resend",
    "feedback_request_send",
    "ticket_actions",
    "TicketActions",
    "feedback_record",
    "feedback_token_make",
    "feedback_token_read",
    "feedback_url",
    "recovery_approve",
    "recovery_propose",
    "recovery_reject",
    "sla_targets_for",
    "ticket_acknowledge",
    "ticket_close",
    "ticket_department_bring_in",
    "ticket_escalate",
    "ticket_log",
    "ticket_numbers_take",
    "ticket_reopen",
    "ticket_resolve",
    "ticket_sla_breach_escalate",
    "ticket_start",
    "ticket_step_record",
    "ticket_update",
    "timeline_add",
    "transition_allowed",
]
