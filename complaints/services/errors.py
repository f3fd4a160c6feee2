"""Why a change to a ticket was refused, in words for the person who tried."""

from __future__ import annotations

from core.errors import GrcError


class ComplaintError(GrcError):
    """A refused change; str() is a translated sentence fit to show as a message."""


class TransitionError(ComplaintError):
    """The workflow or the user's role does not allow this step now."""


class ConflictError(ComplaintError):
    """Someone else saved the ticket since the form was opened."""

    status = 409

    def __init__(self, message, *, ticket) -> None:
        super().__init__(message)
        self.ticket = ticket


class FeedbackLinkError(ComplaintError):
    """A guest's feedback link is expired, tampered with, or already used up."""

    status = 410
