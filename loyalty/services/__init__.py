"""Changes to loyalty accounts: enrolment, posting points, redemptions, expiry, tiers.

Every posting goes through `ledger._post`, which inserts one ledger line under an idempotency
key. The database does the arithmetic (a trigger adds the points to the balance) and refuses an
overdraft (CHECK balance >= 0); `ledger` locks the member row first so that concurrent
postings on one member queue up and the same key posted twice returns the first line.
"""

from loyalty.models import Reward
from loyalty.services.earning import (
    STAYS_CHUNK,
    birthday_bonus_grant,
    birthday_bonuses_grant,
    points_compensate,
    recovery_points_post,
    stay_points_compute,
    stay_points_on_save,
    stay_points_post,
    stays_points_post_run,
)
from loyalty.services.errors import (
    AlreadyReversed,
    InsufficientPoints,
    KeyReused,
    LoyaltyError,
    MemberNotActive,
    NotAMember,
    RewardUnavailable,
)
from loyalty.services.expiry import points_expire_run
from loyalty.services.ledger import Kind, ledger_totals, points_adjust
from loyalty.services.members import (
    member_enrol,
    tier_entry,
    tier_qualifying,
    tier_review_run,
    tier_upgrade_check,
)
from loyalty.services.rewards import points_redeem, redemption_reverse

__all__ = [
    "STAYS_CHUNK",
    "AlreadyReversed",
    "InsufficientPoints",
    "KeyReused",
    "Kind",
    "LoyaltyError",
    "MemberNotActive",
    "NotAMember",
    "Reward",  # services.py imported it, and callers reach it as services.Reward
    "RewardUnavailable",
    "birthday_bonus_grant",
    "birthday_bonuses_grant",
    "ledger_totals",
    "member_enrol",
    "points_adjust",
    "points_compensate",
    "points_expire_run",
    "points_redeem",
    "recovery_points_post",
    "redemption_reverse",
    "stay_points_compute",
    "stay_points_on_save",
    "stay_points_post",
    "stays_points_post_run",
    "tier_entry",
    "tier_qualifying",
    "tier_review_run",
    "tier_upgrade_check",
]
