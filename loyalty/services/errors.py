"""Why a loyalty action cannot be done: the errors the services raise."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import GrcError


class LoyaltyError(GrcError):
    """A loyalty action that cannot be done; the message is for staff, translated."""


class NotAMember(LoyaltyError):
    status = 404


class MemberNotActive(LoyaltyError):
    pass


class InsufficientPoints(LoyaltyError):
    pass


class RewardUnavailable(LoyaltyError):
    pass


class AlreadyReversed(LoyaltyError):
    status = 409


class KeyReused(LoyaltyError):
    """An idempotency key sent again with a different request (another member, kind, points or
    reward): refused rather than answered with the first request's line."""

    status = 409

    def __init__(self) -> None:
        super().__init__(
            _(
                "This request was already used for a different operation; "
                "reload the page and try again."
            )
        )
