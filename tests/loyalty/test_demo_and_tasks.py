import datetime
import io
import random
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from loyalty import demo, tasks
from loyalty.models import Member, PointsTransaction, Redemption
from tests.factories import make_guest, make_stay

from .conftest import balance_of, credit


def seed_options(share: float = 0.5) -> dict:
    return {"members": share, "rng": random.Random(7), "guests": 0, "tickets": 0, "seed": 7}


@pytest.mark.django_db
def test_the_demo_does_nothing_without_guests():
    out = io.StringIO()
    demo.seed(seed_options(), out)
    assert not Member.objects.exists() and "no guests" in out.getvalue()


@pytest.mark.django_db
def test_the_demo_enrols_a_share_with_earnings_and_redemptions_and_reruns_cleanly():
    today = timezone.localdate()
    for i in range(40):
        guest = make_guest()
        for j in range(3):
            make_stay(
                guest,
                nights=2,
                spend_room=Decimal(2000 + 100 * i),
                spend_fb=Decimal("300"),
                arrival=today - datetime.timedelta(days=30 + 90 * j + i),
            )
    demo.seed(seed_options(0.5), io.StringIO())
    assert Member.objects.count() == 20
    assert PointsTransaction.objects.filter(kind="earn").count() == 60
    assert Redemption.objects.exists()
    for member in Member.objects.all():
        total = member.transactions.aggregate(s=Sum("points"))["s"] or 0
        assert member.balance == total >= 0

    counts = (Member.objects.count(), PointsTransaction.objects.count(), Redemption.objects.count())
    demo.seed(seed_options(0.5), io.StringIO())
    assert (
        Member.objects.count(),
        PointsTransaction.objects.count(),
        Redemption.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_the_expiry_task_is_safe_to_run_twice(member):
    credit(member, 1000, on=datetime.date(2023, 1, 1))
    assert tasks.points_expire_run_task("2026-03-01") == 1
    assert tasks.points_expire_run_task("2026-03-01") == 0
    assert balance_of(member) == 0


@pytest.mark.django_db
def test_the_review_task_is_safe_to_run_twice(member, tiers):
    Member.objects.filter(pk=member.pk).update(tier=tiers["red"])
    assert tasks.tier_review_run_task("2026-01-01") == 1
    assert tasks.tier_review_run_task("2026-01-01") == 0


@pytest.mark.django_db
def test_the_nightly_expiry_and_annual_review_are_in_the_beat_schedule(settings):
    from django_celery_beat.models import PeriodicTask

    expiry = PeriodicTask.objects.get(task="loyalty.points_expire_run")
    review = PeriodicTask.objects.get(task="loyalty.tier_review_run")
    assert expiry.enabled and (expiry.crontab.hour, expiry.crontab.minute) == ("2", "30")
    assert (review.crontab.month_of_year, review.crontab.day_of_month) == ("1", "1")
    assert str(expiry.crontab.timezone) == settings.TIME_ZONE


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_expires_points(celery_worker_process, loyalty_defaults):
    from guests.models import Guest
    from loyalty import services

    guest = Guest.objects.create(family_name="Worker", search_text="worker")
    member = services.member_enrol(guest=guest)
    credit(member, 700, on=datetime.date(2023, 5, 1))
    assert tasks.points_expire_run_task.delay("2026-03-01").get(timeout=30) == 1
    assert balance_of(member) == 0
    assert PointsTransaction.objects.get(member=member, kind="expire").points == -700


@pytest.mark.django_db
def test_the_greeting_job_grants_the_birthday_bonus_once_a_year(member, settings):
    import datetime

    from guests import greetings
    from loyalty.models import PointsTransaction

    settings.LOYALTY_BIRTHDAY_BONUS = 500
    guest = member.guest
    guest.birth_month, guest.birth_day = 5, 20
    guest.save()

    def run(day):
        greetings.greetings_fan_out(
            day=day,
            enqueue=lambda kind, ids, on: greetings.greetings_send_chunk(
                kind=kind, ids=ids, day=on
            ),
        )

    run(datetime.date(2026, 5, 20))
    run(datetime.date(2026, 5, 20))
    run(datetime.date(2026, 5, 21))
    bonuses = PointsTransaction.objects.filter(member=member, kind="bonus")
    assert list(bonuses.values_list("points", flat=True)) == [500]
    run(datetime.date(2027, 5, 20))
    assert bonuses.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("task_name", "service"),
    [
        ("points_expire_run_task", "points_expire_run"),
        ("tier_review_run_task", "tier_review_run"),
        ("stays_points_post_run_task", "stays_points_post_run"),
    ],
)
def test_a_nightly_loyalty_job_rides_out_a_dropped_database_connection(
    monkeypatch, task_name, service
):
    from django.db import OperationalError

    from loyalty import services
    from tests.support.faults import fail_once

    run = fail_once(getattr(services, service), OperationalError("server closed the connection"))
    monkeypatch.setattr(f"loyalty.services.{service}", run)
    result = getattr(tasks, task_name).apply(args=["2026-03-01"])
    assert result.successful(), result.traceback
    assert result.get() == 0 and run.calls == 2
