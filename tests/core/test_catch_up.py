"""A day beat missed (workers and beat down all day) is caught up once when they return."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from core.catch_up import days_to_run
from core.models import JobDay
from guests.tasks import greetings_chunk_task, greetings_daily_task, post_stay_followups_task
from notifications.models import Notification
from tests.factories import make_guest, make_stay

JOB = "guests.greetings_daily"


def born_on(day: date, name: str):
    return make_guest(family=name, birthday=(day.month, day.day))


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def chunks_run_here(monkeypatch):
    """The greeting chunks run at once in this process, as a worker would run them."""
    monkeypatch.setattr(greetings_chunk_task, "delay", lambda *a: greetings_chunk_task.apply(a))


def greeted_on() -> list[date]:
    return sorted(Notification.objects.values_list("occasion_date", flat=True))


@pytest.mark.django_db
def test_the_days_to_run_are_the_missed_ones_then_today_bounded(settings, today):
    settings.DAILY_JOBS_CATCH_UP_DAYS = 3
    assert days_to_run(job=JOB, today=today) == [today]  # a new install catches nothing up
    JobDay.objects.create(job=JOB, day=today - timedelta(days=1))
    assert days_to_run(job=JOB, today=today) == [today]
    JobDay.objects.create(job=JOB, day=today - timedelta(days=10))
    JobDay.objects.create(job="other", day=today - timedelta(days=30))
    JobDay.objects.filter(day=today - timedelta(days=1)).delete()
    assert days_to_run(job=JOB, today=today) == [today - timedelta(days=n) for n in (3, 2, 1, 0)]
    assert days_to_run(job="other", today=today, most=1) == [today - timedelta(days=1), today]


@pytest.mark.django_db
def test_beat_run_greets_the_missed_days_once(today, chunks_run_here):
    two_ago, yesterday = today - timedelta(days=2), today - timedelta(days=1)
    JobDay.objects.create(job=JOB, day=today - timedelta(days=3))  # the last day beat fired
    for day, name in [(two_ago, "Two"), (yesterday, "One"), (today, "Zero")]:
        born_on(day, name)

    result = greetings_daily_task.apply()  # as beat fires it: no day
    assert result.successful(), result.traceback
    assert sorted(result.get()) == [d.isoformat() for d in (two_ago, yesterday, today)]
    assert greeted_on() == [two_ago, yesterday, today]
    assert set(JobDay.objects.filter(job=JOB).values_list("day", flat=True)) >= {
        two_ago,
        yesterday,
        today,
    }
    # the next run (or beat firing twice) only does today, and sends nothing twice
    assert list(greetings_daily_task.apply().get()) == [today.isoformat()]
    assert greeted_on() == [two_ago, yesterday, today]


@pytest.mark.django_db
def test_a_catch_up_goes_back_no_further_than_the_setting(settings, today, chunks_run_here):
    settings.DAILY_JOBS_CATCH_UP_DAYS = 1
    JobDay.objects.create(job=JOB, day=today - timedelta(days=5))
    born_on(today - timedelta(days=2), "TooLate")
    born_on(today - timedelta(days=1), "Yesterday")
    greetings_daily_task.apply()
    assert greeted_on() == [today - timedelta(days=1)]


@pytest.mark.django_db
def test_a_day_given_by_hand_is_run_and_recorded(today, chunks_run_here):
    born_on(date(2026, 5, 20), "Given")
    greetings_daily_task.apply(args=["2026-05-20"])
    assert greeted_on() == [date(2026, 5, 20)]
    assert JobDay.objects.filter(job=JOB, day=date(2026, 5, 20)).exists()


@pytest.mark.django_db
def test_a_failed_day_is_not_recorded_and_is_run_again(monkeypatch, today):
    from guests import greetings

    JobDay.objects.create(job=JOB, day=today - timedelta(days=2))

    def broken(**kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(greetings, "greetings_fan_out", broken)
    assert greetings_daily_task.apply().failed()
    assert days_to_run(job=JOB, today=today) == [today - timedelta(days=1), today]


@pytest.mark.django_db
def test_post_stay_follow_ups_catch_up_a_missed_day(today):
    job = "guests.post_stay_followups"
    JobDay.objects.create(job=job, day=today - timedelta(days=2))
    missed = make_guest(family="Missed")
    make_stay(missed, arrival=today - timedelta(days=5), departure=today - timedelta(days=2))
    current = make_guest(family="Current")
    make_stay(current, arrival=today - timedelta(days=3), departure=today - timedelta(days=1))
    result = post_stay_followups_task.apply()
    assert result.successful(), result.traceback
    assert sorted(result.get()) == [(today - timedelta(days=1)).isoformat(), today.isoformat()]
    assert Notification.objects.filter(kind="post_stay").count() == 2
    post_stay_followups_task.apply()
    assert Notification.objects.filter(kind="post_stay").count() == 2
