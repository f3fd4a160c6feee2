"""Complaint pages: request → access check → service or selector → render or redirect."""

from complaints.views.log import guest_picker, log
from complaints.views.public import feedback_public
from complaints.views.queues import csv_cell, export, queue
from complaints.views.tickets import (
    bring_in,
    decide,
    edit,
    escalate,
    feedback,
    feedback_resend,
    recovery,
    step,
    ticket,
    timeline,
    transition,
)

__all__ = [
    "bring_in",
    "csv_cell",
    "decide",
    "edit",
    "escalate",
    "export",
    "feedback",
    "feedback_resend",
    "feedback_public",
    "guest_picker",
    "log",
    "queue",
    "recovery",
    "step",
    "ticket",
    "timeline",
    "transition",
]
