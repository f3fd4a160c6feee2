"""Spending points: redeeming a reward and reversing a redemption."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from loyalty.models import Member, PointsTransaction, Redemption, Reward
from loyalty.services.errors import (
    AlreadyReversed,
    KeyReused,
    LoyaltyError,
    MemberNotActive,
    RewardUnavailable,
)
from loyalty.services.ledger import Kind, _member_lock, _post

# --- Redemption ----------------------------------------------------------------------------------


@transaction.atomic
def points_redeem(
    *, member: Member, reward: Reward, by, idempotency_key: str, note: str = ""
) -> Redemption:
    """Give a reward for points; the same key twice (a double click) redeems once."""
    member = _member_lock(member.pk)
    earlier = (
        Redemption.objects.filter(member=member, transaction__idempotency_key=idempotency_key)
        .select_related("reward", "transaction")
        .first()
    )
    if earlier is not None:
        if earlier.reward_id != reward.pk:
            raise KeyReused
        return earlier
    if not member.is_active:
        raise MemberNotActive(_("The membership is not active."))
    reward = Reward.objects.select_for_update().get(pk=reward.pk)
    if not reward.is_available_on(timezone.localdate()):
        raise RewardUnavailable(_("This reward is not available."))
    line, posted = _post(
        member=member,
        kind=Kind.REDEEM,
        points=-reward.points_cost,
        idempotency_key=idempotency_key,
        actor=by,
        reward=reward,
        reason=note,
    )
    if not posted:
        return Redemption.objects.select_related("reward", "transaction").get(transaction=line)
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    return Redemption.objects.create(
        member=member,
        reward=reward,
        points=reward.points_cost,
        transaction=line,
        note=note,
        redeemed_by=by,
    )


@transaction.atomic
def redemption_reverse(*, redemption: Redemption, by, reason: str) -> PointsTransaction:
    """Undo a redemption: a reversal line restores the points and links to the redemption's
    line (once only: the link is unique)."""
    if not reason.strip():
        raise LoyaltyError(_("Give the reason for the reversal."))
    redemption = (
        Redemption.objects.select_for_update(of=("self",))
        .select_related("transaction", "reward", "member")
        .get(pk=redemption.pk)
    )
    if redemption.status == Redemption.Status.REVERSED:
        raise AlreadyReversed(_("This redemption has already been reversed."))
    member = _member_lock(redemption.member_id)
    line, _posted = _post(
        member=member,
        kind=Kind.REVERSAL,
        points=redemption.points,
        idempotency_key=f"reverse:{redemption.transaction_id}",
        reason=reason.strip(),
        actor=by,
        reward=redemption.reward,
        reverses=redemption.transaction,
    )
    redemption.status = Redemption.Status.REVERSED
    redemption.reversed_at, redemption.reversed_by = timezone.now(), by
    redemption.save(update_fields=["status", "reversed_at", "reversed_by"])
    if redemption.reward.stock is not None:
        Reward.objects.filter(pk=redemption.reward_id).update(stock=F("stock") + 1)
    return line
