"""Changes to loyalty accounts: enrolment, posting points, redemptions, expiry, tiers.

Every posting goes through `_post`, which inserts one ledger line under an idempotency key.
The database does the arithmetic (a trigger adds the points to the balance) and refuses an
overdraft (CHECK balance >= 0); this module locks the member row first so that concurrent
postings on one member queue up and the same key posted twice returns the first line.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from guests.models import Guest, Stay
from loyalty import selectors
from loyalty.models import (
    EarnRule,
    Member,
    PointsTransaction,
    Redemption,
    Reward,
    Tier,
    TierChange,
)
from loyalty.numbers import member_numbers_next
from loyalty.selectors import months_after

Kind = PointsTransaction.Kind


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


def _constraint_of(exc: IntegrityError) -> str:
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) or ""


def _member_lock(member_id: int) -> Member:
    """The member row, locked until the transaction ends: postings on one member queue here."""
    return Member.objects.select_for_update(of=("self",)).select_related("tier").get(pk=member_id)


def _same_request(
    line: PointsTransaction, *, member: Member, kind: str, points: int
) -> PointsTransaction:
    """The line posted earlier under a key, if it is the same request; KeyReused if not."""
    if (line.member_id, line.kind, line.points) != (member.pk, kind, points):
        raise KeyReused
    return line


def _post(
    *,
    member: Member,
    kind: str,
    points: int,
    idempotency_key: str,
    reason: str = "",
    actor=None,
    stay: Stay | None = None,
    ticket_ref: int | None = None,
    reward: Reward | None = None,
    reverses: PointsTransaction | None = None,
    qualifying_nights: int = 0,
) -> tuple[PointsTransaction, bool]:
    """Insert one ledger line; (line, True) if posted now, (earlier line, False) if the key
    was posted before."""
    existing = PointsTransaction.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return _same_request(existing, member=member, kind=kind, points=points), False
    now = timezone.now()
    is_credit = points > 0 and kind != Kind.REVERSAL
    expires_on = (
        months_after(timezone.localdate(now), settings.LOYALTY_POINTS_EXPIRY_MONTHS)
        if is_credit
        else None
    )
    try:
        with transaction.atomic():
            line = PointsTransaction.objects.create(
                member=member,
                kind=kind,
                points=points,
                reason=reason,
                actor=actor,
                stay=stay,
                ticket_ref=ticket_ref,
                reward=reward,
                reverses=reverses,
                qualifying_nights=qualifying_nights,
                idempotency_key=idempotency_key,
                created_at=now,
                expires_on=expires_on,
            )
    except IntegrityError as exc:
        constraint = _constraint_of(exc)
        if constraint == "member_balance_non_negative":
            raise InsufficientPoints(
                _("Not enough points: the balance is %(balance)s, this needs %(points)s.")
                % {"balance": member.balance, "points": -points}
            ) from exc
        if "idempotency_key" in constraint:
            existing = PointsTransaction.objects.get(idempotency_key=idempotency_key)
            return _same_request(existing, member=member, kind=kind, points=points), False
        if "reverses" in constraint:
            raise AlreadyReversed(_("This has already been reversed.")) from exc
        raise
    return line, True


# --- Membership ----------------------------------------------------------------------------------


def tier_entry() -> Tier:
    return Tier.objects.order_by("rank").first()


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
    for row in selectors.members_with_qualifying(today=today).values(
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


def recovery_points_post(*, action, by) -> PointsTransaction:
    """A complaint's "loyalty points" recovery action taking effect: a compensation line that
    names the ticket. Runs inside the complaint's transaction, so a refusal grants nothing."""
    from complaints.services.errors import ComplaintError

    ticket = action.ticket
    if ticket.guest_id is None:
        raise ComplaintError(
            _("Loyalty points need a guest with a loyalty account; this ticket is for a walk-in.")
        )
    try:
        return points_compensate(
            guest=ticket.guest,
            points=action.points,
            by=by,
            reason=_("Recovery for complaint %(number)s") % {"number": ticket.number},
            ticket_id=ticket.pk,
            idempotency_key=f"recovery:{action.pk}",
        )
    except LoyaltyError as exc:
        raise ComplaintError(
            _("The points cannot be granted: %(reason)s Enrol the guest first, then try again.")
            % {"reason": exc}
        ) from exc


@transaction.atomic
def points_adjust(
    *, member: Member, points: int, by, reason: str, idempotency_key: str
) -> PointsTransaction:
    """A manager's correction, up or down, with the reason on the line."""
    if not by.has_perm("loyalty.adjust_points"):
        raise PermissionDenied
    if not reason.strip():
        raise LoyaltyError(_("Give the reason for the adjustment."))
    if points == 0:
        raise LoyaltyError(_("An adjustment cannot be zero points."))
    member = _member_lock(member.pk)
    line, _posted = _post(
        member=member,
        kind=Kind.ADJUST,
        points=points,
        idempotency_key=idempotency_key,
        reason=reason.strip(),
        actor=by,
    )
    return line


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


# --- Expiry --------------------------------------------------------------------------------------


def points_expire_run(*, today: datetime.date) -> int:
    """Expire every member's points whose expiry date has come, oldest first; returns the
    number of members with points expired. Safe to run twice: what expired is a debit, so a
    second run finds nothing left to expire."""
    count = 0
    for member_id in selectors.members_with_points_due(day=today).values_list("pk", flat=True):
        with transaction.atomic():
            member = _member_lock(member_id)
            amount = selectors.member_points_due(member=member, day=today)
            if amount <= 0:
                continue
            _line, posted = _post(
                member=member,
                kind=Kind.EXPIRE,
                points=-amount,
                idempotency_key=f"expire:{member.pk}:{today.isoformat()}",
            )
            count += posted
    return count


def ledger_totals(*, member: Member) -> dict[str, int]:
    """Sum of the ledger next to the balance column, for checks and tests."""
    total = PointsTransaction.objects.filter(member=member).aggregate(total=Sum("points"))["total"]
    balance = Member.objects.filter(pk=member.pk).values_list("balance", flat=True).get()
    return {"ledger": total or 0, "balance": balance}
