"""Two people merging the same pair at once, each on their own database connection."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from core import seams
from guests.merge import GuestMergeError, guest_merge, guest_rows_count
from guests.models import Guest, GuestMerge
from loyalty.models import Member
from tests.factories import make_guest
from tests.guests.one_of_everything import make_everything

pytestmark = pytest.mark.django_db(transaction=True)


def run_at_once(*works) -> list:
    """Run each callable in its own thread and connection, released together."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = works[i]()
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def slow_hook(**kwargs) -> None:
    time.sleep(0.4)  # hold both locks a while, so the other merge surely arrives meanwhile


@pytest.fixture
def pair(manager):
    elder = make_guest(family="Elder", given="One", email="")
    one = make_guest(family="Chen", given="Wei", phone="13800138000")
    two = make_guest(family="Wei", given="Chen", email="", phone="13900139000")
    make_everything(one, by=manager, elder=elder)
    make_everything(two, by=manager, elder=elder)
    seams.guest_merge_hooks.register("zz_slow", slow_hook)
    return one, two


def totals(*guests: Guest) -> dict[str, int]:
    summed: dict[str, int] = {}
    for guest in guests:
        for key, n in guest_rows_count(guest.pk).items():
            summed[key] = summed.get(key, 0) + n
    return summed


def points_of(*guests: Guest) -> int:
    return sum(Member.objects.filter(guest__in=guests).values_list("balance", flat=True))


def test_the_same_merge_twice_at_once_happens_once(pair, manager, officer):
    one, two = pair
    points = points_of(one, two)

    results = run_at_once(
        lambda: guest_merge(kept_id=one.pk, merged_id=two.pk, by=manager),
        lambda: guest_merge(kept_id=one.pk, merged_id=two.pk, by=officer),
    )

    merged = [r for r in results if isinstance(r, GuestMerge)]
    refused = [r for r in results if isinstance(r, GuestMergeError)]
    assert len(merged) == 1 and len(refused) == 1, results
    assert GuestMerge.objects.filter(merged_guest_id=two.pk).count() == 1
    assert not Guest.objects.filter(pk=two.pk).exists()
    assert points_of(one) == points


def test_opposite_merges_of_one_pair_at_once_leave_one_whole_profile(pair, manager, officer):
    one, two = pair
    before = totals(one, two)
    points = points_of(one, two)

    results = run_at_once(
        lambda: guest_merge(kept_id=one.pk, merged_id=two.pk, by=manager),
        lambda: guest_merge(kept_id=two.pk, merged_id=one.pk, by=officer),
    )

    assert sum(isinstance(r, GuestMerge) for r in results) == 1, results
    assert sum(isinstance(r, GuestMergeError) for r in results) == 1, results
    survivors = list(Guest.objects.filter(pk__in=[one.pk, two.pk]))
    assert len(survivors) == 1
    after = totals(*survivors)
    for key, n in before.items():
        if key in ("loyalty.Member.guest", "retention.GuestValue.guest"):
            assert after[key] == 1  # one account; one value row (the absorbed one's goes)
        elif key == "guests.GuestMerge.kept":
            assert after[key] == n + 1
        elif key == "guests.GuestChange.guest":
            assert after[key] in (n, n + 1)  # + the fields the survivor took, if any
        elif not key.startswith("guests.DuplicatePair"):
            assert after[key] == n, key
    assert points_of(*survivors) == points
