"""Membership and tiers: enrolment, upgrades and the annual review."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from guests.models import Guest
from loyalty import selectors
from loyalty.models import Member, Tier, TierChange
from loyalty.numbers import member_numbers_next
from loyalty.services.errors import LoyaltyError
from loyalty.services.ledger import _member_lock

# --- Membership ----------------------------------------------------------------------------------


def tier_entry() -> Tier:
    """The lowest tier (migration 0003 installs the default ones)."""
    tier = Tier.objects.order_by("rank").first()
    if tier is None:
        raise LoyaltyError(_("No loyalty tiers are set up yet; ask an administrator."))
    return tier


@transaction.atomic
def member_enrol(*, guest: Guest, by=None, source: str = Member.Source.FRONT_DESK) -> Member:
    """Enrol a guest; enrolling a member again returns their account unchanged."""
    existing = Member.objects.filter(guest=guest).select_related("tier").first()
    if existing is not None:
        return existing
    tier = tier_entry()
    try:
        with transaction.atomic():
            member = Member.objects.create(
                guest=guest,
                number=member_numbers_next()[0],
                tier=tier,
                enrolment_source=source,
                enrolled_by=by,
            )
    except IntegrityError:
        # A colleague enrolled the same guest a moment ago.
        return Member.objects.select_related("tier").get(guest=guest)
    TierChange.objects.create(
        member=member,
        from_tier=None,
        to_tier=tier,
        reason=TierChange.Reason.ENROLMENT,
        changed_by=by,
    )
    return member


# --- Tiers ---------------------------------------------------------------------------------------


def tier_qualifying(*, points: int, nights: int, tiers: list[Tier]) -> Tier:
    """The best tier the 12-month points or nights reach (either is enough)."""
    best = tiers[0]
    for tier in tiers:
        by_points = tier.qualifying_points > 0 and points >= tier.qualifying_points
        by_nights = tier.qualifying_nights > 0 and nights >= tier.qualifying_nights
        entry = tier.qualifying_points == 0 and tier.qualifying_nights == 0
        if (by_points or by_nights or entry) and tier.rank >= best.rank:
            best = tier
    return best


def _tier_change(*, member: Member, to: Tier, reason: str, by=None) -> None:
    TierChange.objects.create(
        member=member, from_tier=member.tier, to_tier=to, reason=reason, changed_by=by
    )
    member.tier, member.tier_since = to, timezone.now()
    member.save(update_fields=["tier", "tier_since"])


def tier_upgrade_check(*, member: Member, by=None, today: datetime.date | None = None) -> bool:
    """Upgrade at once if the last 12 months reach a higher tier; never downgrade here."""
    today = today or timezone.localdate()
    points, nights = selectors.member_qualifying(member=member, today=today)
    target = tier_qualifying(points=points, nights=nights, tiers=list(Tier.objects.all()))
    if target.rank <= member.tier.rank:
        return False
    _tier_change(member=member, to=target, reason=TierChange.Reason.UPGRADE, by=by)
    return True


def tier_review_run(*, today: datetime.date) -> int:
    """The annual review: every open account gets the tier its last 12 months earn, down as
    well as up. Returns how many changed; running it again changes nothing."""
    tiers = list(Tier.objects.all())
    by_id = {tier.pk: tier for tier in tiers}
    changed = 0
    # q_points and q_nights are annotations made by the selector, unknown to the stubs.
    for row in selectors.members_with_qualifying(today=today).values(  # type: ignore[misc]
        "pk", "tier_id", "q_points", "q_nights"
    ):
        target = tier_qualifying(points=row["q_points"], nights=row["q_nights"], tiers=tiers)
        if target.pk == row["tier_id"]:
            continue
        with transaction.atomic():
            member = _member_lock(row["pk"])
            if member.tier_id == target.pk:
                continue
            _tier_change(member=member, to=by_id[target.pk], reason=TierChange.Reason.REVIEW)
            changed += 1
    return changed
