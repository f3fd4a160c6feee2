"""A stay earns when it is saved through the guests app (once it has ended), or in the nightly
run after its departure; crossing a threshold upgrades the tier at once."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from guests import services as guest_services
from loyalty import services, tasks
from loyalty.models import Member, PointsTransaction, TierChange
from tests.factories import make_guest

from .conftest import balance_of


def stay_data(*, arrival: datetime.date, nights: int = 2, room: str = "1000", fb: str = "0"):
    return {
        "arrival": arrival,
        "departure": arrival + datetime.timedelta(days=nights),
        "room_number": "1203",
        "spend_room": Decimal(room),
        "spend_fb": Decimal(fb),
    }


def stay_record(guest, capture, **data):
    """A stay recorded as the desk records one, with the after-commit hooks run."""
    with capture(execute=True):
        return guest_services.stay_create(guest=guest, by=None, data=stay_data(**data))


@pytest.mark.django_db
def test_a_completed_stay_earns_rule_times_multiplier_when_it_is_recorded(
    member, tiers, django_capture_on_commit_callbacks
):
    Member.objects.filter(pk=member.pk).update(tier=tiers["gold"])  # × 1.25
    today = timezone.localdate()
    stay = stay_record(
        member.guest,
        django_capture_on_commit_callbacks,
        arrival=today - datetime.timedelta(days=5),
        room="1000",
        fb="200",
    )
    # (room 1000 × 1 + F&B 200 × 1) × 1.25
    assert balance_of(member) == 1500
    line = PointsTransaction.objects.get(member=member)
    assert (line.kind, line.stay, line.qualifying_nights) == ("earn", stay, 2)


@pytest.mark.django_db
def test_a_stay_saved_twice_earns_once(member, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    stay = stay_record(
        member.guest, django_capture_on_commit_callbacks, arrival=today - datetime.timedelta(2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        guest_services.stay_update(
            stay=stay, by=None, data=stay_data(arrival=today - datetime.timedelta(2))
        )
    assert balance_of(member) == 1000
    assert PointsTransaction.objects.filter(stay=stay).count() == 1


@pytest.mark.django_db
def test_a_stay_of_a_guest_who_is_not_a_member_earns_nothing_and_saves_fine(
    loyalty_defaults, django_capture_on_commit_callbacks
):
    guest = make_guest()
    stay = stay_record(
        guest,
        django_capture_on_commit_callbacks,
        arrival=timezone.localdate() - datetime.timedelta(days=3),
    )
    assert stay.pk and not PointsTransaction.objects.exists()
    assert services.stay_points_on_save(stay.pk) is None


@pytest.mark.django_db
def test_a_future_stay_earns_only_when_the_nightly_run_comes_after_its_departure(
    member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    booked = stay_record(
        member.guest,
        django_capture_on_commit_callbacks,
        arrival=today + datetime.timedelta(days=10),
        nights=3,
    )
    in_house = stay_record(
        member.guest,
        django_capture_on_commit_callbacks,
        arrival=today - datetime.timedelta(days=1),
        room="400",
    )
    assert balance_of(member) == 0

    # The night of its last day is not yet "after": nothing departed the day before.
    assert tasks.stays_points_post_run_task(booked.departure.isoformat()) == 0
    assert balance_of(member) == 0
    after = booked.departure + datetime.timedelta(days=1)
    assert tasks.stays_points_post_run_task(after.isoformat()) == 1
    assert balance_of(member) == 1000
    assert tasks.stays_points_post_run_task(after.isoformat()) == 0  # safe to run twice
    assert balance_of(member) == 1000

    after = in_house.departure + datetime.timedelta(days=1)
    assert tasks.stays_points_post_run_task(after.isoformat()) == 1
    assert balance_of(member) == 1400


@pytest.mark.django_db
def test_the_nightly_run_works_in_chunks_and_skips_guests_who_are_not_active_members(
    front_desk, loyalty_defaults
):
    day = datetime.date(2026, 3, 14)
    members = [services.member_enrol(guest=make_guest(), by=front_desk) for _ in range(5)]
    suspended = services.member_enrol(guest=make_guest(), by=front_desk)
    Member.objects.filter(pk=suspended.pk).update(status=Member.Status.SUSPENDED)
    outsider = make_guest()
    for guest in [*(m.guest for m in members), suspended.guest, outsider]:
        guest_services.stay_create(
            guest=guest, by=None, data=stay_data(arrival=day - datetime.timedelta(days=2))
        )
    # A stay that departed another day is not this night's.
    guest_services.stay_create(
        guest=members[0].guest, by=None, data=stay_data(arrival=day, room="9000")
    )

    assert services.stays_points_post_run(day=day, chunk_size=2) == 5
    assert [balance_of(m) for m in members] == [1000] * 5
    assert balance_of(suspended) == 0
    assert services.stays_points_post_run(day=day, chunk_size=2) == 0
    assert PointsTransaction.objects.count() == 5


@pytest.mark.django_db
def test_a_recorded_stay_that_crosses_a_threshold_upgrades_the_tier_at_once(
    member, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    stay_record(
        member.guest,
        django_capture_on_commit_callbacks,
        arrival=today - datetime.timedelta(days=20),
        room="4999",
    )
    member.refresh_from_db()
    assert member.tier.code == "classic"
    stay_record(
        member.guest,
        django_capture_on_commit_callbacks,
        arrival=today - datetime.timedelta(days=3),
        room="1",
    )
    member.refresh_from_db()
    assert member.tier.code == "silver"
    assert member.tier_changes.filter(reason=TierChange.Reason.UPGRADE).count() == 1


@pytest.mark.django_db
def test_the_nightly_stay_earning_is_in_the_beat_schedule_at_one_in_hotel_time(settings):
    from django_celery_beat.models import PeriodicTask

    entry = PeriodicTask.objects.get(task="loyalty.stays_points_post_run")
    assert entry.enabled and (entry.crontab.hour, entry.crontab.minute) == ("1", "0")
    assert str(entry.crontab.timezone) == settings.TIME_ZONE
