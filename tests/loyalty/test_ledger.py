"""The database keeps the ledger exact: balance = sum, never negative, append-only."""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Sum

from loyalty import services
from loyalty.models import Member, PointsTransaction
from tests.factories import make_guest, make_stay

from .conftest import balance_of


def ledger_sum(member) -> int:
    return PointsTransaction.objects.filter(member=member).aggregate(s=Sum("points"))["s"] or 0


def post(member, points, key, kind=None):
    kind = kind or ("adjust" if points < 0 else "earn")
    return PointsTransaction.objects.create(
        member=member, kind=kind, points=points, idempotency_key=key
    )


@pytest.mark.django_db
def test_the_balance_is_the_sum_of_the_transactions(member):
    post(member, 1000, "a")
    post(member, 250, "b")
    post(member, -400, "c")
    assert balance_of(member) == ledger_sum(member) == 850


@pytest.mark.django_db
def test_the_database_refuses_a_transaction_that_would_overdraw(member):
    post(member, 100, "a")
    with pytest.raises(IntegrityError, match="member_balance_non_negative"), transaction.atomic():
        post(member, -101, "b")
    assert balance_of(member) == ledger_sum(member) == 100


@pytest.mark.django_db
def test_transactions_can_be_neither_changed_nor_deleted(member):
    line = post(member, 100, "a")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        PointsTransaction.objects.filter(pk=line.pk).update(points=1_000_000)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        line.delete()
    assert balance_of(member) == ledger_sum(member) == 100


@pytest.mark.django_db
def test_the_balance_cannot_be_written_except_through_the_ledger(member):
    post(member, 100, "a")
    with pytest.raises(DatabaseError, match="kept by the ledger"), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(balance=5000)
    # A stale copy saved after points were posted would wipe them: refused as well.
    with pytest.raises(DatabaseError, match="kept by the ledger"), transaction.atomic():
        member.save()
    assert balance_of(member) == 100


@pytest.mark.django_db
def test_a_member_cannot_be_created_with_points(guest, tiers):
    with (
        pytest.raises(DatabaseError, match="starts with a balance of 0"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "INSERT INTO loyalty_member (guest_id, number, tier_id, status, enrolled_at,"
            " enrolment_source, balance, tier_since) VALUES (%s, '1', %s, 'active', now(),"
            " 'import', 500, now())",
            [guest.pk, tiers["classic"].pk],
        )


@pytest.mark.django_db
def test_bulk_created_transactions_keep_the_balance_right(member):
    PointsTransaction.objects.bulk_create(
        PointsTransaction(member=member, kind="earn", points=10 * i, idempotency_key=f"bulk{i}")
        for i in range(1, 51)
    )
    assert balance_of(member) == ledger_sum(member) == 10 * sum(range(1, 51))


def run_in_parallel(count: int, work) -> list:
    """Run work(i) in `count` threads, each on its own database connection, all at once."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_raw_debits_cannot_overdraw_even_without_a_lock_in_python(member):
    post(member, 1000, "seed")

    def work(i):
        with transaction.atomic():
            post(member, -300, f"raw-debit-{i}")
        return "ok"

    results = run_in_parallel(5, work)
    assert results.count("ok") == 3
    assert all(isinstance(r, IntegrityError) for r in results if r != "ok")
    assert balance_of(member) == ledger_sum(member) == 100


@pytest.mark.django_db(transaction=True)
def test_concurrent_redemptions_cannot_overdraw(member, reward, front_desk):
    post(member, 10_000, "seed")  # the reward costs 3,000: three fit, not four

    def work(i):
        return services.points_redeem(
            member=member, reward=reward, by=front_desk, idempotency_key=f"redeem:{i}"
        )

    results = run_in_parallel(5, work)
    redeemed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(redeemed) == 3
    assert all(isinstance(r, services.InsufficientPoints) for r in refused), refused
    assert balance_of(member) == ledger_sum(member) == 1000
    assert member.redemptions.count() == 3


@pytest.mark.django_db(transaction=True)
def test_the_same_stay_posted_concurrently_earns_once(member):
    stay = make_stay(member.guest, spend_room=Decimal("1000"))

    results = run_in_parallel(4, lambda i: services.stay_points_post(stay=stay))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert len({r.pk for r in results}) == 1
    assert PointsTransaction.objects.filter(member=member, kind="earn").count() == 1
    assert balance_of(member) == ledger_sum(member) == 1000


@pytest.mark.django_db(transaction=True)
def test_the_same_redemption_key_sent_concurrently_redeems_once(member, reward, front_desk):
    post(member, 10_000, "seed")

    def work(i):
        return services.points_redeem(
            member=member, reward=reward, by=front_desk, idempotency_key="redeem:double-click"
        )

    results = run_in_parallel(3, work)
    assert len({r.pk for r in results}) == 1, results
    assert balance_of(member) == ledger_sum(member) == 7000


@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_of_one_guest_make_one_account(front_desk, loyalty_defaults):
    guest = make_guest()
    results = run_in_parallel(3, lambda i: services.member_enrol(guest=guest, by=front_desk))
    assert len({r.pk for r in results}) == 1, results
    assert Member.objects.filter(guest=guest).count() == 1
