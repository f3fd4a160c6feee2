"""Two loyalty accounts of one person, combined by a guest merge through the ledger."""

from __future__ import annotations

import datetime

import pytest

from guests.merge import guest_merge
from loyalty.models import Member, PointsTransaction
from loyalty.selectors import member_guest_ids, member_points_due
from loyalty.services import ledger_totals, points_expire_run
from loyalty.services.merging import points_lots
from tests.factories import make_guest, make_member
from tests.loyalty.conftest import balance_of, credit, debit

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def accounts(loyalty_defaults, front_desk):
    kept = make_guest(family="Chen", given="Wei")
    merged = make_guest(family="Chen", given="Wei", email="")
    return make_member(kept, by=front_desk), make_member(merged, by=front_desk)


def test_unspent_points_are_counted_by_expiry_date_spending_the_oldest_first(accounts):
    _kept, other = accounts
    credit(other, 300, on=D(2025, 1, 10))  # expires 2027-01-10
    credit(other, 500, on=D(2025, 6, 1))  # expires 2027-06-01
    debit(other, 400, on=D(2025, 7, 1))
    assert points_lots(member=Member.objects.get(pk=other.pk)) == [(D(2027, 6, 1), 400)]


def test_a_merge_combines_two_accounts_and_keeps_each_lots_expiry(accounts, manager):
    kept, other = accounts
    credit(kept, 1000, on=D(2025, 3, 1))
    credit(other, 300, on=D(2025, 1, 10))
    credit(other, 500, on=D(2025, 6, 1))
    debit(other, 100, on=D(2025, 7, 1))
    edited_before = list(PointsTransaction.objects.values_list("pk", "points", "member_id"))

    guest_merge(kept_id=kept.guest_id, merged_id=other.guest_id, by=manager)

    kept.refresh_from_db()
    other.refresh_from_db()
    assert balance_of(kept) == 1700 and balance_of(other) == 0
    assert ledger_totals(member=kept) == {"ledger": 1700, "balance": 1700}
    assert other.status == Member.Status.CLOSED and other.merged_into == kept
    assert other.guest is None
    # Nothing was edited: every earlier line is as it was.
    assert list(
        PointsTransaction.objects.filter(pk__in=[pk for pk, _p, _m in edited_before])
        .order_by("pk")
        .values_list("pk", "points", "member_id")
    ) == sorted(edited_before)
    # The 200 left of the other's January credit still expire in January 2027, its 500 in June
    # (the kept account's own 1,000 in March).
    assert member_points_due(member=kept, day=D(2027, 1, 10)) == 200
    assert member_points_due(member=kept, day=D(2027, 3, 1)) == 1200
    assert member_points_due(member=kept, day=D(2027, 6, 1)) == 1700
    points_expire_run(today=D(2027, 1, 10))
    assert balance_of(kept) == 1500


def test_the_merged_accounts_number_still_finds_the_guest(accounts, manager):
    kept, other = accounts
    guest_merge(kept_id=kept.guest_id, merged_id=other.guest_id, by=manager)
    assert member_guest_ids(other.number) == [kept.guest_id]


def test_the_higher_tier_survives(accounts, manager, tiers):
    kept, other = accounts
    gold = max(tiers.values(), key=lambda tier: tier.rank)
    Member.objects.filter(pk=other.pk).update(tier=gold)
    guest_merge(kept_id=kept.guest_id, merged_id=other.guest_id, by=manager)
    kept.refresh_from_db()
    assert kept.tier == gold
    assert kept.tier_changes.filter(to_tier=gold).exists()
