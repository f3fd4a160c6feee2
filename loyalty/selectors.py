"""Reads of loyalty data: statements, expiring points, qualifying totals, the liability.

Expiry is first-in, first-out over the ledger without changing any line: the points still
unspent from credits that expire by a day D are

    (credits expiring on or before D) − (everything spent, expired or restored so far)

because every debit consumes the oldest credits first. A reversal gives back what its
redemption took, so it counts against the debits rather than as a new credit.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from core.formatting import number_text
from guests.models import guest_shown_q
from loyalty.models import Member, PointsTransaction, Redemption, Reward, Tier
from loyalty.numbers import member_number_normalise

Kind = PointsTransaction.Kind


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier); the 31st becomes the last day of a shorter
    month."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _points_due_expression(*, day: datetime.date, prefix: str = ""):
    """Unspent points from credits that expire on or before `day` (see the module docstring)."""
    credit = Q(**{f"{prefix}points__gt": 0}) & ~Q(**{f"{prefix}kind": Kind.REVERSAL})
    debit = Q(**{f"{prefix}points__lt": 0}) | Q(**{f"{prefix}kind": Kind.REVERSAL})
    credits_due = Coalesce(
        Sum(f"{prefix}points", filter=credit & Q(**{f"{prefix}expires_on__lte": day})), 0
    )
    net_debits = Coalesce(Sum(f"{prefix}points", filter=debit), 0)  # negative or zero
    return Greatest(credits_due + net_debits, 0)


def member_points_due(*, member: Member, day: datetime.date) -> int:
    """Points of this member that expire on or before `day` and are not yet spent."""
    return PointsTransaction.objects.filter(member=member).aggregate(
        due=_points_due_expression(day=day)
    )["due"]


def members_with_points_due(*, day: datetime.date) -> QuerySet[Member]:
    return (
        Member.objects.exclude(status=Member.Status.CLOSED)
        .annotate(points_due=_points_due_expression(day=day, prefix="transactions__"))
        .filter(points_due__gt=0)
        .order_by("pk")
    )


def expiring_soon_until(*, today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(days=settings.LOYALTY_EXPIRING_SOON_DAYS)


def members_expiring_soon(*, today: datetime.date) -> QuerySet[Member]:
    """Open accounts with points expiring within the warning period (30 days by default),
    most points first."""
    until = expiring_soon_until(today=today)
    return (
        Member.objects.exclude(status=Member.Status.CLOSED)
        .annotate(expiring=_points_due_expression(day=until, prefix="transactions__"))
        .filter(expiring__gt=0)
        .select_related("guest", "tier")
        .order_by("-expiring", "pk")
    )


def member_expiring_soon(*, member: Member, today: datetime.date) -> int:
    return member_points_due(member=member, day=expiring_soon_until(today=today))


def member_qualifying(*, member: Member, today: datetime.date) -> tuple[int, int]:
    """Points earned from stays and nights stayed in the 12 months up to today."""
    since = _local_midnight(months_after(today, -12))
    totals = PointsTransaction.objects.filter(
        member=member, kind=Kind.EARN, created_at__gte=since
    ).aggregate(points=Coalesce(Sum("points"), 0), nights=Coalesce(Sum("qualifying_nights"), 0))
    return totals["points"], totals["nights"]


def members_with_qualifying(*, today: datetime.date) -> QuerySet[Member]:
    """Open accounts with their 12-month qualifying points and nights, in one query."""
    since = _local_midnight(months_after(today, -12))
    window = Q(transactions__kind=Kind.EARN, transactions__created_at__gte=since)
    return (
        Member.objects.exclude(status=Member.Status.CLOSED)
        .annotate(
            q_points=Coalesce(Sum("transactions__points", filter=window), 0),
            q_nights=Coalesce(Sum("transactions__qualifying_nights", filter=window), 0),
        )
        .order_by("pk")
    )


def member_get(*, pk: int) -> Member:
    """One member; DoesNotExist for an erased guest's account, as for their guest card."""
    return (
        Member.objects.select_related("guest", "tier").filter(guest_shown_q("guest__")).get(pk=pk)
    )


def member_list(*, query: str = "", tier: Tier | None = None) -> QuerySet[Member]:
    """Members for the desk's list; `query` is a member number (any spacing) or a name."""
    # An account closed by a guest merge has no guest of its own: it shows in the statement
    # of the account it went into, not in the list.
    members = (
        Member.objects.select_related("guest", "tier")
        .filter(guest__isnull=False)
        .order_by("-enrolled_at", "-pk")
    )
    if tier is not None:
        members = members.filter(tier=tier)
    query = query.strip()
    if query:
        number = member_number_normalise(query)
        if number:
            members = members.filter(number=number)
        else:
            members = members.filter(guest__search_text__icontains=query.lower())
    return members


def member_transactions(*, member: Member) -> QuerySet[PointsTransaction]:
    """The statement, newest first, with everything a line shows fetched in the same query."""
    return (
        PointsTransaction.objects.filter(member=member)
        .select_related("actor", "stay", "reward", "reverses", "redemption", "reversed_by")
        .order_by("-created_at", "-pk")
    )


def member_tier_history(*, member: Member):
    return member.tier_changes.select_related("from_tier", "to_tier", "changed_by")[:10]


def redemption_get(*, pk: int) -> Redemption:
    return (
        Redemption.objects.select_related("member__guest", "member__tier", "reward", "transaction")
        .filter(guest_shown_q("member__guest__"))
        .get(pk=pk)
    )


def reward_list(*, today: datetime.date, available_only: bool = False) -> QuerySet[Reward]:
    rewards = Reward.objects.order_by("points_cost", "name")
    if available_only:
        rewards = rewards.filter(is_active=True).filter(
            Q(stock__isnull=True) | Q(stock__gt=0),
            Q(valid_from__isnull=True) | Q(valid_from__lte=today),
            Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        )
    return rewards


def points_liability() -> dict:
    """Outstanding points and their cash value by tier, aggregated in the database."""
    point_value = Decimal(settings.LOYALTY_POINT_VALUE)
    open_accounts = ~Q(members__status=Member.Status.CLOSED)
    rows = list(
        Tier.objects.annotate(
            member_count=Count("members", filter=open_accounts),
            points=Coalesce(Sum("members__balance", filter=open_accounts), 0),
        )
        .annotate(
            value=ExpressionWrapper(
                F("points") * Value(point_value),
                output_field=DecimalField(max_digits=18, decimal_places=2),
            )
        )
        .order_by("rank")
    )
    return {
        "tiers": rows,
        "member_count": sum(row.member_count for row in rows),
        "points": sum(row.points for row in rows),
        "value": sum((row.value for row in rows), Decimal(0)),
        "point_value": point_value,
    }


# --- The guest card and the front-desk lookup (registered in LoyaltyConfig.ready) ---------------


def loyalty_card_context(*, guest, user) -> dict | None:
    """The loyalty panel on the guest card: one query, or none for staff who may not see it."""
    if not user.has_perm("loyalty.view_member"):
        return None
    today = timezone.localdate()
    member = (
        Member.objects.select_related("tier")
        .annotate(
            expiring=_points_due_expression(
                day=expiring_soon_until(today=today), prefix="transactions__"
            )
        )
        .filter(guest_id=guest.pk)
        .first()
    )
    return {
        "loyalty_guest": guest,
        "loyalty_member": member,
        "loyalty_expiring": member.expiring if member else 0,
        "loyalty_expiring_days": settings.LOYALTY_EXPIRING_SOON_DAYS,
        "loyalty_can_enrol": member is None and user.has_perm("loyalty.add_member"),
        "loyalty_can_redeem": member is not None and user.has_perm("loyalty.add_redemption"),
    }


def member_guest_ids(query: str) -> Iterable[int] | None:
    """Guests a typed member number finds; None if the text is not a valid member number."""
    number = member_number_normalise(query)
    if number is None:
        return None
    # The card of an account closed by a merge still finds the guest it went to.
    found = Member.objects.filter(number=number).values_list("guest_id", "merged_into__guest_id")
    return [guest_id or merged_to for guest_id, merged_to in found if guest_id or merged_to]


def member_badges(guest_ids: Sequence[int]) -> dict[int, list[str]]:
    """{guest id: [tier, points, member number, status]} for lookup rows, in one query: display
    strings in the user's language (the status only when the account is not active)."""
    rows = Member.objects.filter(guest_id__in=list(guest_ids)).select_related("tier")
    badges: dict[int, list[str]] = {}
    for member in rows.only(
        "guest_id", "number", "balance", "status", "tier__name", "tier__name_zh"
    ):
        shown = [
            member.tier.display_name,
            ngettext("%(points)s point", "%(points)s points", member.balance)
            % {"points": number_text(member.balance)},
            member.display_number,
        ]
        if not member.is_active:
            shown.append(str(member.get_status_display()))
        if member.guest_id is not None:  # always here; only a merged-away account has none
            badges[member.guest_id] = shown
    return badges


# --- A guest's data export (registered in LoyaltyConfig.ready) ---------------------------------


def loyalty_export(guest) -> dict:
    """The guest's account and its full statement, with accounts merged into it."""
    member = Member.objects.filter(guest_id=guest.pk).select_related("tier").first()
    if member is None:
        return {}
    accounts = [member, *Member.objects.filter(merged_into=member).select_related("tier")]
    lines = (
        PointsTransaction.objects.filter(member__in=accounts)
        .select_related("member", "actor", "reward")
        .order_by("created_at", "pk")
    )
    return {
        gettext("Loyalty account"): [
            {
                gettext("Member number"): account.display_number,
                gettext("Tier"): str(account.tier),
                gettext("Status"): account.get_status_display(),
                gettext("Enrolled"): account.enrolled_at,
                gettext("Points balance"): account.balance,
            }
            for account in accounts
        ],
        gettext("Loyalty statement"): [
            {
                gettext("Posted"): line.created_at,
                gettext("Member number"): line.member.display_number,
                gettext("Kind"): line.get_kind_display(),
                gettext("Points"): line.points,
                gettext("Reason"): line.reason,
                gettext("Reward"): str(line.reward) if line.reward else "",
                gettext("Expires on"): line.expires_on,
            }
            for line in lines
        ],
    }
