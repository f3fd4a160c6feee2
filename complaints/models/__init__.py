"""Complaint tickets: the register, its permanent timeline, recovery actions and the guest's
verdict on how it was resolved (客户投诉处理登记表, 投诉处理结果客户反馈).

Every model is imported here, so Django finds them and `from complaints.models import X` works.
"""

from complaints.models.lists import (
    AuthorityLimit,
    Category,
    ManagedListEntry,
    RootCause,
    Severity,
    SlaTarget,
)
from complaints.models.recovery import RecoveryAction, ResolutionFeedback
from complaints.models.tickets import (
    OPEN_STATUSES,
    SLA_DUE_SOON_SHARE,
    SlaBreach,
    Ticket,
    TicketCounter,
    sla_due_soon_window,
)
from complaints.models.timeline import TimelineEvent, TimelineEventQuerySet

__all__ = [
    "OPEN_STATUSES",
    "SLA_DUE_SOON_SHARE",
    "AuthorityLimit",
    "Category",
    "ManagedListEntry",
    "RecoveryAction",
    "ResolutionFeedback",
    "RootCause",
    "Severity",
    "SlaBreach",
    "SlaTarget",
    "Ticket",
    "TicketCounter",
    "TimelineEvent",
    "TimelineEventQuerySet",
    "sla_due_soon_window",
]
