"""Workers and beat down all day: when they return, beat's run greets the missed day once."""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from core.models import JobDay
from guests.tasks import greetings_daily_task
from notifications.models import Notification
from tests.factories import make_guest
from tests.support.mail import outbox
from tests.support.waiting import wait_for, workers_idle


def test_a_day_without_workers_is_greeted_once_when_they_return(celery_workers):
    key = f"test:outbox:{uuid.uuid4().hex[:8]}"
    today = timezone.localdate()
    yesterday = today - timedelta(days=1)
    JobDay.objects.create(job="guests.greetings_daily", day=today - timedelta(days=2))
    guests = [
        make_guest(family=f"Guest{i}", birthday=(day.month, day.day))
        for i, day in enumerate([yesterday] * 5 + [today] * 5)
    ]
    celery_workers.start(
        env={"EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend", "TEST_OUTBOX_KEY": key}
    )

    # beat fires the day's run (twice, as a beat restarted within the minute may)
    greetings_daily_task.delay()
    greetings_daily_task.delay()

    assert wait_for(lambda: Notification.objects.filter(status="sent").count() == 10)
    assert workers_idle()
    assert sorted(m["to"][0] for m in outbox(key)) == sorted(g.email for g in guests)
    days = Notification.objects.values_list("occasion_date", flat=True)
    assert sorted(days) == [yesterday] * 5 + [today] * 5
    assert set(JobDay.objects.values_list("day", flat=True)) >= {yesterday, today}
