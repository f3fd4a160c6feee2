"""A guest merge's part in loyalty: one account survives, the points of both stay whole.

Registered into `core.seams.guest_merge_hooks` (LoyaltyConfig.ready). The ledger is never
edited: when both profiles hold an account, the absorbed account's unspent points leave it in
one adjustment and arrive on the kept account as adjustments that keep each lot's expiry date;
the absorbed account is closed, keeps its history, and points to the account it went into.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils.translation import gettext as _

from loyalty.models import Member, PointsTransaction, TierChange
from loyalty.services.ledger import Kind, _member_lock, _post
from loyalty.services.members import _tier_change

FAR_FUTURE = datetime.date(9999, 12, 31)


def points_lots(*, member: Member) -> list[tuple[datetime.date | None, int]]:
    """The unspent points by expiry date, oldest first: what spending and expiry left.

    The same rule as expiry (loyalty.selectors): debits use up the credits that expire first.
    """
    lines = PointsTransaction.objects.filter(member=member).values_list(
        "kind", "points", "expires_on"
    )
    credits = sorted(
        (
            (expires, points)
            for kind, points, expires in lines
            if points > 0 and kind != Kind.REVERSAL
        ),
        key=lambda lot: lot[0] or FAR_FUTURE,
    )
    spent = -sum(p for kind, p, _e in lines if p < 0 or kind == Kind.REVERSAL)
    lots: dict[datetime.date | None, int] = {}
    for expires, points in credits:
        used = min(points, max(spent, 0))
        spent -= used
        if points - used:
            lots[expires] = lots.get(expires, 0) + points - used
    total = sum(lots.values())
    if total != member.balance:  # reversals beyond the debits: no lot to date them by
        lots[None] = lots.get(None, 0) + member.balance - total
    return [(day, points) for day, points in lots.items() if points]


def member_merge(*, kept_guest_id: int, merged_guest_id: int, by) -> None:
    """Move the absorbed guest's account to the kept guest, or combine the two accounts."""
    ids = list(
        Member.objects.filter(Q(guest_id=kept_guest_id) | Q(guest_id=merged_guest_id))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    members = {m.guest_id: m for m in (_member_lock(pk) for pk in ids)}  # locked in id order
    absorbed, survivor = members.get(merged_guest_id), members.get(kept_guest_id)
    if absorbed is None:
        return
    if survivor is None:
        Member.objects.filter(pk=absorbed.pk).update(guest_id=kept_guest_id)
        return
    reason = _("Points of member %(number)s, merged into this account.") % {
        "number": absorbed.display_number
    }
    for expires, points in points_lots(member=absorbed):
        day = expires.isoformat() if expires else "open"
        _post(
            member=survivor,
            kind=Kind.ADJUST,
            points=points,
            idempotency_key=f"merge:{absorbed.pk}:in:{day}",
            reason=reason,
            actor=by,
            expires_on=expires,
        )
    if absorbed.balance:
        _post(
            member=absorbed,
            kind=Kind.ADJUST,
            points=-absorbed.balance,
            idempotency_key=f"merge:{absorbed.pk}:out",
            reason=_("Points moved to member %(number)s: the two accounts were merged.")
            % {"number": survivor.display_number},
            actor=by,
        )
    if absorbed.tier.rank > survivor.tier.rank:
        _tier_change(member=survivor, to=absorbed.tier, reason=TierChange.Reason.MANUAL, by=by)
    Member.objects.filter(merged_into=absorbed).update(merged_into=survivor)
    Member.objects.filter(pk=absorbed.pk).update(
        guest=None, merged_into=survivor, status=Member.Status.CLOSED
    )
