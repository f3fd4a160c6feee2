"""Why a loyalty action cannot be done: the errors the services raise."""

from __future__ import annotations

from django.utils.translation import gettext as _


class LoyaltyError(Exception):
    """A loyalty action that cannot be done; the message is for staff, translated."""


class NotAMember(LoyaltyError):
    pass


class MemberNotActive(LoyaltyError):
    pass


class InsufficientPoints(LoyaltyError):
    pass


class RewardUnavailable(LoyaltyError):
    pass


class AlreadyReversed(LoyaltyError):
    pass


class KeyReused(LoyaltyError):
    """An idempotency key sent again with a different request (another member, kind, points or
    reward): refused rather than answered with the first request's line."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This request was already used for a different operation; "
                "reload the page and try again."
            )
        )
