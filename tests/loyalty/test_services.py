import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Sum

from loyalty import selectors, services
from loyalty.models import Member, PointsTransaction, Redemption, Reward, TierChange
from loyalty.numbers import luhn_valid
from tests.factories import make_guest, make_stay

from .conftest import balance_of, credit, debit

TODAY = datetime.date(2026, 3, 15)


def ledger_sum(member) -> int:
    return PointsTransaction.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0


# --- Enrolment -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enrolling_gives_a_checked_number_the_entry_tier_and_a_history_line(guest, front_desk):
    member = services.member_enrol(guest=guest, by=front_desk, source=Member.Source.FRONT_DESK)
    assert luhn_valid(member.number) and len(member.number) == 10
    assert member.tier.code == "classic" and member.balance == 0 and member.is_active
    change = member.tier_changes.get()
    assert change.reason == TierChange.Reason.ENROLMENT and change.changed_by == front_desk


@pytest.mark.django_db
def test_enrolling_a_member_again_returns_the_same_account(member, front_desk):
    assert services.member_enrol(guest=member.guest, by=front_desk).pk == member.pk
    assert Member.objects.count() == 1


# --- Earning ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stay_earns_by_the_rules_times_the_tier_multiplier(member, tiers):
    stay = make_stay(
        member.guest,
        nights=3,
        spend_room=Decimal("1000.50"),
        spend_fb=Decimal("300"),
        spend_other=Decimal("201"),
    )
    line = services.stay_points_post(stay=stay)
    # room 1000.50 × 1 + F&B 300 × 1 + other 201 × 0.5 = 1401, classic × 1.00
    assert line.points == 1401 and line.kind == "earn" and line.stay == stay
    assert line.qualifying_nights == 3 and line.idempotency_key == f"stay:{stay.pk}"

    Member.objects.filter(pk=member.pk).update(tier=tiers["gold"])  # tier is not the balance
    gold_stay = make_stay(
        member.guest, spend_room=Decimal("1000"), arrival=datetime.date(2026, 2, 1)
    )
    assert services.stay_points_post(stay=gold_stay).points == 1250


@pytest.mark.django_db
def test_posting_the_same_stay_twice_earns_once(member):
    stay = make_stay(member.guest, spend_room=Decimal("500"))
    first = services.stay_points_post(stay=stay)
    second = services.stay_points_post(stay=stay)
    assert first.pk == second.pk
    assert balance_of(member) == ledger_sum(member) == 500


@pytest.mark.django_db
def test_a_stay_of_a_guest_who_is_not_a_member_earns_nothing():
    stay = make_stay(make_guest(), spend_room=Decimal("500"))
    with pytest.raises(services.NotAMember):
        services.stay_points_post(stay=stay)
    assert not PointsTransaction.objects.exists()


@pytest.mark.django_db
def test_a_suspended_member_does_not_earn(member):
    Member.objects.filter(pk=member.pk).update(status=Member.Status.SUSPENDED)
    with pytest.raises(services.MemberNotActive):
        services.stay_points_post(stay=make_stay(member.guest, spend_room=Decimal("500")))


@pytest.mark.django_db
def test_the_birthday_bonus_is_granted_once_a_year(member, settings):
    settings.LOYALTY_BIRTHDAY_BONUS = 800
    first = services.birthday_bonus_grant(member=member, year=2026)
    again = services.birthday_bonus_grant(member=member, year=2026)
    next_year = services.birthday_bonus_grant(member=member, year=2027)
    assert first.pk == again.pk and first.kind == "bonus" and first.points == 800
    assert next_year.pk != first.pk
    assert balance_of(member) == 1600


@pytest.mark.django_db
def test_no_birthday_bonus_when_it_is_switched_off(member, settings):
    settings.LOYALTY_BIRTHDAY_BONUS = 0
    assert services.birthday_bonus_grant(member=member, year=2026) is None
    assert balance_of(member) == 0


@pytest.mark.django_db
def test_recovery_points_post_a_compensation_naming_the_ticket_once(member, officer):
    line = services.points_compensate(
        guest=member.guest,
        points=2000,
        by=officer,
        reason="Noisy room",
        ticket_id=42,
        idempotency_key="recovery:7",
    )
    again = services.points_compensate(
        guest=member.guest,
        points=2000,
        by=officer,
        reason="Noisy room",
        ticket_id=42,
        idempotency_key="recovery:7",
    )
    assert line.pk == again.pk
    assert (line.kind, line.points, line.ticket_ref, line.actor) == (
        "compensation",
        2000,
        42,
        officer,
    )
    assert line.expires_on is not None
    assert balance_of(member) == 2000


@pytest.mark.django_db
def test_recovery_points_need_a_member_and_a_positive_amount(member, officer):
    with pytest.raises(services.NotAMember):
        services.points_compensate(
            guest=make_guest(), points=10, by=officer, reason="x", ticket_id=1, idempotency_key="k1"
        )
    with pytest.raises(services.LoyaltyError):
        services.points_compensate(
            guest=member.guest, points=0, by=officer, reason="x", ticket_id=1, idempotency_key="k2"
        )


# --- Tiers -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_crossing_a_threshold_upgrades_at_once(member):
    services.stay_points_post(stay=make_stay(member.guest, spend_room=Decimal("4999")))
    member.refresh_from_db()
    assert member.tier.code == "classic"
    services.stay_points_post(
        stay=make_stay(member.guest, spend_room=Decimal("1"), arrival=datetime.date(2026, 2, 1))
    )
    member.refresh_from_db()
    assert member.tier.code == "silver"
    assert member.tier_changes.filter(reason=TierChange.Reason.UPGRADE).count() == 1


@pytest.mark.django_db
def test_nights_alone_qualify_for_a_tier(member):
    services.stay_points_post(stay=make_stay(member.guest, nights=10, spend_room=Decimal("100")))
    member.refresh_from_db()
    assert member.tier.code == "silver"


@pytest.mark.django_db
def test_a_tier_goes_down_only_at_the_annual_review(member, tiers):
    credit(member, 25_000, on=datetime.date(2024, 6, 1))  # gold, but more than 12 months ago
    Member.objects.filter(pk=member.pk).update(tier=tiers["gold"])
    member.refresh_from_db()

    assert services.tier_upgrade_check(member=member, today=TODAY) is False
    member.refresh_from_db()
    assert member.tier.code == "gold"

    assert services.tier_review_run(today=TODAY) == 1
    member.refresh_from_db()
    assert member.tier.code == "classic"
    assert member.tier_changes.filter(reason=TierChange.Reason.REVIEW).count() == 1
    assert services.tier_review_run(today=TODAY) == 0  # running it again changes nothing


@pytest.mark.django_db
def test_the_review_keeps_a_tier_earned_in_the_last_12_months(member, tiers):
    credit(member, 21_000, on=datetime.date(2025, 9, 1))
    Member.objects.filter(pk=member.pk).update(tier=tiers["gold"])
    assert services.tier_review_run(today=TODAY) == 0


# --- Redemption ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_redeeming_takes_the_points_and_records_the_reward(member, reward, front_desk):
    credit(member, 5000, on=TODAY)
    redemption = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="redeem:a", note="Room 1203"
    )
    assert redemption.points == 3000 and redemption.status == Redemption.Status.REDEEMED
    assert redemption.transaction.points == -3000 and redemption.transaction.reward == reward
    assert balance_of(member) == ledger_sum(member) == 2000


@pytest.mark.django_db
def test_a_double_click_redeems_once(member, reward, front_desk):
    credit(member, 9000, on=TODAY)
    first = services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")
    second = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="k"
    )
    assert first.pk == second.pk and balance_of(member) == 6000


@pytest.mark.django_db
def test_a_redemption_key_is_looked_up_for_its_own_member_only(member, reward, front_desk):
    credit(member, 9000, on=TODAY)
    other = services.member_enrol(guest=make_guest(), by=front_desk)
    credit(other, 9000, on=TODAY)
    services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")
    with pytest.raises(services.KeyReused):
        services.points_redeem(member=other, reward=reward, by=front_desk, idempotency_key="k")
    assert (balance_of(member), balance_of(other)) == (6000, 9000)
    assert Redemption.objects.filter(member=other).count() == 0


@pytest.mark.django_db
def test_a_redemption_key_sent_again_for_another_reward_is_refused(member, reward, front_desk):
    credit(member, 9000, on=TODAY)
    services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")
    late = Reward.objects.get(code="late-checkout")
    with pytest.raises(services.KeyReused, match="already used for a different operation"):
        services.points_redeem(member=member, reward=late, by=front_desk, idempotency_key="k")
    assert balance_of(member) == 6000 and Redemption.objects.count() == 1


@pytest.mark.django_db
def test_redeeming_more_than_the_balance_is_refused_and_posts_nothing(member, reward, front_desk):
    credit(member, 2999, on=TODAY)
    with pytest.raises(services.InsufficientPoints):
        services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")
    assert balance_of(member) == 2999 and not Redemption.objects.exists()


@pytest.mark.django_db
def test_an_unavailable_reward_cannot_be_redeemed(member, reward, front_desk):
    credit(member, 9000, on=TODAY)
    Reward.objects.filter(pk=reward.pk).update(stock=0)
    reward.refresh_from_db()
    with pytest.raises(services.RewardUnavailable):
        services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")
    Reward.objects.filter(pk=reward.pk).update(stock=None, is_active=False)
    with pytest.raises(services.RewardUnavailable):
        services.points_redeem(member=member, reward=reward, by=front_desk, idempotency_key="k")


@pytest.mark.django_db
def test_stock_goes_down_on_redemption_and_back_on_reversal(member, reward, front_desk, officer):
    credit(member, 9000, on=TODAY)
    Reward.objects.filter(pk=reward.pk).update(stock=2)
    redemption = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="k"
    )
    assert Reward.objects.get(pk=reward.pk).stock == 1
    services.redemption_reverse(redemption=redemption, by=officer, reason="Guest changed mind")
    assert Reward.objects.get(pk=reward.pk).stock == 2


@pytest.mark.django_db
def test_reversing_restores_the_points_through_a_linked_line_once(
    member, reward, front_desk, officer
):
    credit(member, 5000, on=TODAY)
    redemption = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="k"
    )
    line = services.redemption_reverse(
        redemption=redemption, by=officer, reason="Upgrade not given"
    )
    assert line.kind == "reversal" and line.points == 3000
    assert line.reverses_id == redemption.transaction_id and line.actor == officer
    redemption.refresh_from_db()
    assert redemption.status == Redemption.Status.REVERSED and redemption.reversed_by == officer
    assert balance_of(member) == ledger_sum(member) == 5000
    with pytest.raises(services.AlreadyReversed):
        services.redemption_reverse(redemption=redemption, by=officer, reason="again")
    assert balance_of(member) == 5000


@pytest.mark.django_db
def test_the_database_refuses_a_second_reversal_of_the_same_line(member, reward, front_desk):
    credit(member, 5000, on=TODAY)
    redemption = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="k"
    )
    services.redemption_reverse(redemption=redemption, by=front_desk, reason="x")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PointsTransaction.objects.create(
            member=member,
            kind="reversal",
            points=3000,
            reverses=redemption.transaction,
            idempotency_key="sneaky",
        )


# --- Adjustments -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_a_manager_adjusts_points_and_gives_a_reason(member, manager, officer):
    with pytest.raises(PermissionDenied):
        services.points_adjust(
            member=member, points=100, by=officer, reason="x", idempotency_key="a"
        )
    with pytest.raises(services.LoyaltyError):
        services.points_adjust(
            member=member, points=100, by=manager, reason=" ", idempotency_key="a"
        )
    line = services.points_adjust(
        member=member, points=100, by=manager, reason="Goodwill", idempotency_key="a"
    )
    assert (line.kind, line.points, line.reason, line.actor) == ("adjust", 100, "Goodwill", manager)
    with pytest.raises(services.InsufficientPoints):
        services.points_adjust(
            member=member, points=-101, by=manager, reason="x", idempotency_key="b"
        )
    assert balance_of(member) == 100


@pytest.mark.django_db
def test_an_adjustment_key_sent_again_with_other_points_is_refused_not_answered(member, manager):
    first = services.points_adjust(
        member=member, points=100, by=manager, reason="Goodwill", idempotency_key="adjust:a"
    )
    again = services.points_adjust(
        member=member, points=100, by=manager, reason="Goodwill", idempotency_key="adjust:a"
    )
    assert again.pk == first.pk  # the same request twice (a double click) posts once
    with pytest.raises(services.KeyReused):
        services.points_adjust(
            member=member, points=200, by=manager, reason="Goodwill", idempotency_key="adjust:a"
        )
    assert balance_of(member) == 100


@pytest.mark.django_db
def test_a_key_used_for_one_member_or_kind_is_refused_for_another(member, manager, officer):
    other = services.member_enrol(guest=make_guest(), by=manager)
    services.points_adjust(
        member=member, points=100, by=manager, reason="Goodwill", idempotency_key="shared"
    )
    with pytest.raises(services.KeyReused):
        services.points_adjust(
            member=other, points=100, by=manager, reason="Goodwill", idempotency_key="shared"
        )
    with pytest.raises(services.KeyReused):
        services.points_compensate(
            guest=member.guest,
            points=100,
            by=officer,
            reason="Noise",
            ticket_id=1,
            idempotency_key="shared",
        )
    assert (balance_of(member), balance_of(other)) == (100, 0)


# --- Expiry ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_points_expire_oldest_first_after_the_expiry_period(member):
    credit(member, 1000, on=datetime.date(2024, 1, 10))  # expires 2026-01-10
    credit(member, 500, on=datetime.date(2024, 3, 20))  # expires 2026-03-20
    credit(member, 700, on=datetime.date(2025, 6, 1))  # expires 2027-06-01
    debit(member, 1200, on=datetime.date(2025, 7, 1))  # spends the 1,000 and 200 of the 500

    assert services.points_expire_run(today=datetime.date(2026, 3, 19)) == 0  # nothing unspent due
    assert services.points_expire_run(today=datetime.date(2026, 3, 20)) == 1
    expired = PointsTransaction.objects.get(member=member, kind="expire")
    assert expired.points == -300  # what was left of the 500; the 700 is still good
    assert balance_of(member) == ledger_sum(member) == 700


@pytest.mark.django_db
def test_running_the_expiry_twice_or_on_later_days_expires_once(member):
    credit(member, 1000, on=datetime.date(2024, 1, 10))
    assert services.points_expire_run(today=TODAY) == 1
    assert services.points_expire_run(today=TODAY) == 0
    assert services.points_expire_run(today=TODAY + datetime.timedelta(days=1)) == 0
    assert PointsTransaction.objects.filter(kind="expire").count() == 1
    assert balance_of(member) == 0


@pytest.mark.django_db
def test_restored_points_of_a_reversal_are_the_old_ones_and_expire_with_them(
    member, reward, front_desk
):
    credit(member, 3000, on=datetime.date(2024, 1, 10))
    redemption = services.points_redeem(
        member=member, reward=reward, by=front_desk, idempotency_key="k"
    )
    services.redemption_reverse(redemption=redemption, by=front_desk, reason="x")
    services.points_expire_run(today=TODAY)
    assert balance_of(member) == 0


@pytest.mark.django_db
def test_expiry_date_is_the_configured_months_after_earning(member, settings):
    settings.LOYALTY_POINTS_EXPIRY_MONTHS = 12
    line = services.stay_points_post(stay=make_stay(member.guest, spend_room=Decimal("100")))
    from django.utils import timezone

    expected = selectors.months_after(timezone.localdate(line.created_at), 12)
    assert line.expires_on == expected


def test_months_after_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert selectors.months_after(datetime.date(2024, 1, 31), 1) == datetime.date(2024, 2, 29)
    assert selectors.months_after(datetime.date(2024, 3, 15), 24) == datetime.date(2026, 3, 15)
    assert selectors.months_after(datetime.date(2026, 3, 15), -12) == datetime.date(2025, 3, 15)
