"""Earning points: stays, the birthday bonus and compensation for a complaint."""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from core import seams
from guests.models import Guest, Stay
from loyalty.models import EarnRule, Member, PointsTransaction, Tier
from loyalty.services.errors import LoyaltyError, MemberNotActive, NotAMember
from loyalty.services.ledger import Kind, _member_lock, _post
from loyalty.services.members import tier_upgrade_check

# --- Earning -------------------------------------------------------------------------------------


def stay_points_compute(*, stay: Stay, tier: Tier) -> int:
    """Points a stay earns: each spend category × its rate, × the tier's multiplier, rounded
    down."""
    rates = dict(EarnRule.objects.filter(is_active=True).values_list("category", "points_per_unit"))
    base = (
        stay.spend_room * rates.get(EarnRule.Category.ROOM, Decimal(0))
        + stay.spend_fb * rates.get(EarnRule.Category.FB, Decimal(0))
        + stay.spend_other * rates.get(EarnRule.Category.OTHER, Decimal(0))
    )
    return int((base * tier.earn_multiplier).to_integral_value(rounding=ROUND_DOWN))


@transaction.atomic
def stay_points_post(*, stay: Stay, by=None) -> PointsTransaction | None:
    """Earn the points for a stay, once: posting the same stay again returns the first line.

    None when the stay earns nothing (no spend in a category that earns).
    """
    member_id = Member.objects.filter(guest_id=stay.guest_id).values_list("pk", flat=True).first()
    if member_id is None:
        raise NotAMember(_("The guest is not a loyalty member."))
    member = _member_lock(member_id)
    key = f"stay:{stay.pk}"
    earlier = PointsTransaction.objects.filter(idempotency_key=key).first()
    if earlier is not None:
        return earlier
    if not member.is_active:
        raise MemberNotActive(_("The membership is not active."))
    points = stay_points_compute(stay=stay, tier=member.tier)
    if points <= 0:
        return None
    line, posted = _post(
        member=member,
        kind=Kind.EARN,
        points=points,
        idempotency_key=key,
        actor=by,
        stay=stay,
        qualifying_nights=stay.nights,
    )
    if posted:
        tier_upgrade_check(member=member, by=by)
    return line


def stay_points_on_save(stay_id: int) -> PointsTransaction | None:
    """The guests app's stay hook (after a stay is recorded or changed): a stay that has ended
    earns its points at once; one still ahead or in progress earns from the nightly run after
    its departure. A guest who is not an active member earns nothing. Safe to run twice."""
    stay = Stay.objects.filter(pk=stay_id).first()
    if stay is None or stay.departure > timezone.localdate():
        return None
    try:
        return stay_points_post(stay=stay)
    except (NotAMember, MemberNotActive):
        return None


STAYS_CHUNK = 200


def stays_points_post_run(*, day: datetime.date, chunk_size: int = STAYS_CHUNK) -> int:
    """The nightly run: the stays that departed on `day` earn for their guests who are active
    members. Returns how many stays earned now; running it again earns nothing more (each stay
    posts once, under the key stay:<id>)."""
    earned = PointsTransaction.objects.filter(stay=OuterRef("pk"))
    ids = list(
        Stay.objects.filter(departure=day, guest__member__status=Member.Status.ACTIVE)
        .filter(~Exists(earned))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    count = 0
    for start in range(0, len(ids), chunk_size):
        for stay in Stay.objects.filter(pk__in=ids[start : start + chunk_size]).order_by("pk"):
            try:
                line = stay_points_post(stay=stay)
            except (NotAMember, MemberNotActive):
                continue  # suspended or closed since the list was read
            count += line is not None
    return count


@transaction.atomic
def birthday_bonus_grant(*, member: Member, year: int) -> PointsTransaction | None:
    """The birthday bonus, once a year; None if the bonus is off or the account not active."""
    if settings.LOYALTY_BIRTHDAY_BONUS <= 0:
        return None
    member = _member_lock(member.pk)
    key = f"birthday:{member.pk}:{year}"
    earlier = PointsTransaction.objects.filter(idempotency_key=key).first()
    if earlier is not None:
        return earlier
    if not member.is_active:
        return None
    line, _posted = _post(
        member=member, kind=Kind.BONUS, points=settings.LOYALTY_BIRTHDAY_BONUS, idempotency_key=key
    )
    return line


def birthday_bonuses_grant(guest_ids: list[int], day: datetime.date) -> int:
    """The greeting job's birthday hook: the bonus for each active member among these guests.

    Safe to run twice: each grant has the idempotency key birthday:<member>:<year>.
    """
    members = Member.objects.filter(guest_id__in=guest_ids, status=Member.Status.ACTIVE)
    granted = 0
    for member in members.only("pk"):
        if birthday_bonus_grant(member=member, year=day.year) is not None:
            granted += 1
    return granted


@transaction.atomic
def points_compensate(
    *, guest: Guest, points: int, by, reason: str, ticket_id: int, idempotency_key: str
) -> PointsTransaction:
    """Recovery points granted on a complaint ticket: a compensation line naming the ticket."""
    if points <= 0:
        raise LoyaltyError(_("Compensation must be a positive number of points."))
    member_id = Member.objects.filter(guest=guest).values_list("pk", flat=True).first()
    if member_id is None:
        raise NotAMember(_("The guest is not a loyalty member."))
    member = _member_lock(member_id)
    if member.status == Member.Status.CLOSED:
        raise MemberNotActive(_("The membership is closed."))
    line, _posted = _post(
        member=member,
        kind=Kind.COMPENSATION,
        points=points,
        idempotency_key=idempotency_key,
        reason=reason,
        actor=by,
        ticket_ref=ticket_id,
    )
    return line


def recovery_points_post(grant: seams.RecoveryGrant, *, by) -> PointsTransaction:
    """A complaint's "loyalty points" recovery action taking effect: a compensation line that
    names the ticket. Runs inside the complaint's transaction, so a refusal grants nothing."""
    if grant.guest_id is None:
        raise seams.SeamRefusal(
            _("Loyalty points need a guest with a loyalty account; this ticket is for a walk-in.")
        )
    try:
        return points_compensate(
            guest=Guest.objects.get(pk=grant.guest_id),
            points=grant.points or 0,
            by=by,
            reason=_("Recovery for complaint %(number)s") % {"number": grant.ticket_number},
            ticket_id=grant.ticket_id,
            idempotency_key=f"recovery:{grant.action_id}",
        )
    except LoyaltyError as exc:
        raise seams.SeamRefusal(
            _("The points cannot be granted: %(reason)s Enrol the guest first, then try again.")
            % {"reason": exc}
        ) from exc
