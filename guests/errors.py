"""Why a change to a guest, a stay or a follow-up task was refused, for the person who tried.

Field-level checks of typed values (a birth date in the future) stay `ValidationError`, shown
by the form next to the field; these are refusals of the action as a whole.
"""

from __future__ import annotations

from core.errors import GrcError


class GuestError(GrcError):
    """A refused change to a guest's record; the message is for the user, translated."""


class CareTaskError(GuestError):
    """A follow-up task cannot be completed as asked."""

    status = 409
