"""Demo loyalty data: enrol a share of the seeded guests, earn from their stays, redeem some.

Bulk inserts throughout: the ledger trigger keeps every balance equal to its transactions even
for rows written by bulk_create. Running it again adds nothing already there.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from guests.models import Guest, Stay
from loyalty import services
from loyalty.models import EarnRule, Member, PointsTransaction, Redemption, Reward, TierChange
from loyalty.numbers import member_numbers_next
from loyalty.selectors import months_after

BATCH = 2000
SOURCES = [
    Member.Source.FRONT_DESK,
    Member.Source.FRONT_DESK,
    Member.Source.WEBSITE,
    Member.Source.SALES,
]


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _enrol(guest_ids: list[int], rng) -> int:
    if not guest_ids:
        return 0
    first_arrival = dict(
        Stay.objects.filter(guest_id__in=guest_ids)
        .values("guest_id")
        .annotate(first=Min("arrival"))
        .values_list("guest_id", "first")
    )
    entry = services.tier_entry()
    now = timezone.now()
    members = []
    for guest_id, number in zip(guest_ids, member_numbers_next(count=len(guest_ids)), strict=True):
        first = first_arrival.get(guest_id)
        enrolled = _at(first, 9) if first else now - datetime.timedelta(days=rng.randint(1, 400))
        members.append(
            Member(
                guest_id=guest_id,
                number=number,
                tier=entry,
                enrolment_source=rng.choice(SOURCES),
                enrolled_at=min(enrolled, now),
                tier_since=min(enrolled, now),
            )
        )
    created = Member.objects.bulk_create(members, batch_size=BATCH)
    TierChange.objects.bulk_create(
        [
            TierChange(
                member=m,
                to_tier=entry,
                reason=TierChange.Reason.ENROLMENT,
                changed_at=m.enrolled_at,
            )
            for m in created
        ],
        batch_size=BATCH,
    )
    return len(created)


def _earn(rng) -> int:
    """An earn line for every member's past stay that has none, dated at departure (at the
    entry tier's rate: the demo's members start at the entry tier, multiplier 1)."""
    rates = dict(EarnRule.objects.filter(is_active=True).values_list("category", "points_per_unit"))
    zero = Decimal(0)
    today = timezone.localdate()
    lines = []
    stays = (
        Stay.objects.filter(guest__member__isnull=False, departure__lte=today)
        .exclude(points_transactions__kind=PointsTransaction.Kind.EARN)
        .values(
            "pk", "arrival", "departure", "spend_room", "spend_fb", "spend_other", "guest__member"
        )
    )
    for stay in stays.iterator(chunk_size=BATCH):
        base = (
            stay["spend_room"] * rates.get("room", zero)
            + stay["spend_fb"] * rates.get("fb", zero)
            + stay["spend_other"] * rates.get("other", zero)
        )
        points = int(base.to_integral_value(rounding=ROUND_DOWN))
        if points <= 0:
            continue
        lines.append(
            PointsTransaction(
                member_id=stay["guest__member"],
                kind=PointsTransaction.Kind.EARN,
                points=points,
                stay_id=stay["pk"],
                qualifying_nights=(stay["departure"] - stay["arrival"]).days,
                idempotency_key=f"stay:{stay['pk']}",
                created_at=_at(stay["departure"]),
                expires_on=months_after(stay["departure"], settings.LOYALTY_POINTS_EXPIRY_MONTHS),
            )
        )
    PointsTransaction.objects.bulk_create(lines, batch_size=BATCH, ignore_conflicts=True)
    return len(lines)


def _redeem(guest_ids: list[int], rng) -> int:
    """About a third of the new members with enough points redeemed something recently."""
    rewards = list(
        Reward.objects.filter(is_active=True, stock__isnull=True).order_by("points_cost")
    )
    if not rewards:
        return 0
    already = set(
        PointsTransaction.objects.filter(idempotency_key__startswith="demo-redeem:").values_list(
            "member_id", flat=True
        )
    )
    now = timezone.now()
    chosen = []
    for member_id, balance in Member.objects.filter(
        guest_id__in=guest_ids, balance__gte=rewards[0].points_cost, status=Member.Status.ACTIVE
    ).values_list("pk", "balance"):
        if member_id in already or rng.random() > 0.35:
            continue
        reward = rng.choice([r for r in rewards if r.points_cost <= balance])
        at = now - datetime.timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 8))
        chosen.append((member_id, reward, at))
    lines = PointsTransaction.objects.bulk_create(
        [
            PointsTransaction(
                member_id=member_id,
                kind=PointsTransaction.Kind.REDEEM,
                points=-reward.points_cost,
                reward=reward,
                idempotency_key=f"demo-redeem:{member_id}",
                created_at=at,
            )
            for member_id, reward, at in chosen
        ],
        batch_size=BATCH,
    )
    Redemption.objects.bulk_create(
        [
            Redemption(
                member_id=member_id,
                reward=reward,
                points=reward.points_cost,
                transaction=line,
                redeemed_at=at,
            )
            for (member_id, reward, at), line in zip(chosen, lines, strict=True)
        ],
        batch_size=BATCH,
    )
    return len(lines)


def seed(options: dict, stdout) -> None:
    rng = options["rng"]
    guest_ids = list(Guest.objects.shown().order_by("pk").values_list("pk", flat=True))
    if not guest_ids:
        stdout.write("Loyalty: no guests to enrol.")
        return
    enrolled = set(Member.objects.values_list("guest_id", flat=True))
    wanted = round(len(guest_ids) * max(0.0, min(1.0, options.get("members") or 0)))
    candidates = [pk for pk in guest_ids if pk not in enrolled]
    chosen = sorted(rng.sample(candidates, min(max(0, wanted - len(enrolled)), len(candidates))))
    today = timezone.localdate()
    with transaction.atomic():
        new_members = _enrol(chosen, rng)
        earned = _earn(rng)
        redeemed = _redeem(chosen, rng)
    changed = services.tier_review_run(today=today)
    expired = services.points_expire_run(today=today)
    stdout.write(
        f"Loyalty: {new_members} members enrolled, {earned} stays earned, {redeemed} redemptions, "
        f"{changed} tier changes, {expired} members with expired points."
    )
