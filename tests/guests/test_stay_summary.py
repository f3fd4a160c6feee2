"""The stored completed-stays count and last departure, and the arrivals list sorted on them."""

import importlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guests import selectors, services
from guests.models import Guest, Stay
from tests.factories import make_guest, make_stay

pytestmark = pytest.mark.django_db


def summary(guest: Guest) -> tuple[int, object]:
    guest.refresh_from_db(fields=["completed_stays", "last_departure"])
    return guest.completed_stays, guest.last_departure


def test_writing_stays_keeps_the_count_and_last_departure(today):
    guest = make_guest(family_name="Summary")
    assert summary(guest) == (0, None)
    make_stay(guest, arrival=today - timedelta(days=40), nights=3)
    last = make_stay(guest, arrival=today - timedelta(days=10), nights=2)
    make_stay(guest, arrival=today + timedelta(days=5))  # booked: not a completed stay
    assert summary(guest) == (2, today - timedelta(days=8))
    # moved into the future: no longer completed
    services.stay_update(
        stay=last,
        by=None,
        data={"arrival": today + timedelta(days=20), "departure": today + timedelta(days=22)},
    )
    assert summary(guest) == (1, today - timedelta(days=37))


def test_the_nightly_job_counts_the_stays_that_ended_overnight(today):
    guest = make_guest(family_name="Overnight")
    make_stay(guest, arrival=today - timedelta(days=1), nights=2)  # leaves tomorrow
    assert summary(guest) == (0, None)
    tomorrow = today + timedelta(days=1)
    result = services.guest_stages_refresh(today=tomorrow)
    assert result["recounted"] == 1
    assert summary(guest) == (1, tomorrow)
    # twice is harmless and writes nothing
    assert services.guest_stages_refresh(today=tomorrow)["recounted"] == 0
    # a run missed for some days still catches up
    other = make_guest(family_name="Missed")
    make_stay(other, arrival=today - timedelta(days=1), nights=2)
    later = today + timedelta(days=services.STAY_SUMMARY_CATCH_UP_DAYS)
    services.guest_stages_refresh(today=later)
    assert summary(other) == (1, tomorrow)


def test_many_guests_are_recounted_in_one_statement(today):
    guests = [make_guest(family_name=f"Many{i}") for i in range(3)]
    for guest in guests:
        Stay.objects.create(
            guest=guest, arrival=today - timedelta(days=9), departure=today - timedelta(days=7)
        )
    with CaptureQueriesContext(connection) as captured:
        assert services.guest_stay_summary_refresh(guest_ids=[g.pk for g in guests]) == 3
    assert len(captured) == 1
    assert [summary(g) for g in guests] == [(1, today - timedelta(days=7))] * 3


def test_the_data_migration_fills_the_summary_from_existing_stays(today):
    guest = make_guest(family_name="Legacy")
    for days in (100, 50):
        Stay.objects.create(
            guest=guest,
            arrival=today - timedelta(days=days),
            departure=today - timedelta(days=days - 2),
        )
    assert summary(guest) == (0, None)  # rows written directly, as before the migration
    fill = importlib.import_module("guests.migrations.0010_guest_stay_summary_fill")
    with connection.schema_editor() as editor:
        fill.forwards(None, editor)
    assert summary(guest) == (2, today - timedelta(days=48))


def arrivals(n_plain: int, today, stays_each: int) -> None:
    for i in range(n_plain):
        guest = make_guest(family_name=f"Plain{i:03d}")
        for k in range(stays_each):
            start = today - timedelta(days=30 * (k + 1))
            Stay.objects.create(guest=guest, arrival=start, departure=start + timedelta(days=2))
        Stay.objects.create(guest=guest, arrival=today, departure=today + timedelta(days=2))


def test_arrivals_sort_returning_guests_first_on_the_stored_count(today):
    arrivals(5, today, stays_each=0)
    loyal = make_guest(family_name="Zeta")  # last by name, first by stays
    for k in range(3):
        make_stay(loyal, arrival=today - timedelta(days=30 * (k + 1)))
    make_stay(loyal, arrival=today)
    vip = make_guest(family_name="Zz", vip_level=Guest.VipLevel.VIP2)
    make_stay(vip, arrival=today)
    shown = selectors.arrivals_today(today=today, limit=4)
    assert [g.family_name for g in shown] == ["Zz", "Zeta", "Plain000", "Plain001"]
    assert [g.stay_count for g in shown[:2]] == [0, 3]  # counted live for the rows shown


def test_arrivals_cost_the_same_queries_for_3_arrivals_as_for_40(today):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = selectors.arrivals_today(today=today)
            for guest in rows:
                _ = (guest.stay_count, list(guest.preferences.all()), guest.company)
        return len(captured)

    arrivals(3, today, stays_each=1)
    few = queries()
    arrivals(40, today, stays_each=3)
    assert len(selectors.arrivals_today(today=today)) == 30
    assert queries() == few
