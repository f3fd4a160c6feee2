"""The greeting jobs through real Celery workers on Redis and the test database."""

import uuid

import pytest

from guests.tasks import greetings_daily_task
from notifications.models import Notification
from tests.factories import make_guest
from tests.support.mail import outbox
from tests.support.waiting import wait_for, workers_idle


@pytest.fixture
def outbox_key():
    return f"test:outbox:{uuid.uuid4().hex[:8]}"


def test_a_job_enqueued_twice_and_run_by_two_workers_greets_each_guest_once(
    celery_workers, outbox_key
):
    env = {
        "EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend",
        "TEST_OUTBOX_KEY": outbox_key,
    }
    celery_workers.start(env=env, concurrency=2)
    celery_workers.start(env=env, concurrency=2)
    guests = [make_guest(family=f"Guest{i}", birthday=(5, 20)) for i in range(12)]

    greetings_daily_task.delay("2026-05-20")
    greetings_daily_task.delay("2026-05-20")

    assert wait_for(lambda: Notification.objects.filter(status="sent").count() == 12)
    assert workers_idle()  # both runs are over: a duplicate would be in the outbox now
    sent = outbox(outbox_key)
    assert sorted(m["to"][0] for m in sent) == sorted(g.email for g in guests)
    assert Notification.objects.count() == 12


def test_a_passing_smtp_failure_is_retried_and_then_sent(celery_workers, outbox_key):
    celery_workers.start(
        env={
            "EMAIL_BACKEND": "tests.support.mail.FlakyRedisOutboxBackend",
            "TEST_OUTBOX_KEY": outbox_key,
            "FLAKY_FAILURES": "2",
            "NOTIFICATION_RETRY_BASE_SECONDS": "1",
        }
    )
    guest = make_guest(birthday=(5, 20))
    greetings_daily_task.delay("2026-05-20")

    note = wait_for(
        lambda: Notification.objects.filter(guest_link__guest=guest, status="sent").first()
    )
    assert note is not None, Notification.objects.values("status", "attempts", "last_error")
    assert note.attempts == 3
    assert [m["to"] for m in outbox(outbox_key)] == [[guest.email]]


def test_a_worker_in_utc_greets_on_the_hotels_local_date(celery_workers, outbox_key):
    celery_workers.start(
        env={
            "TZ": "UTC",
            "EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend",
            "TEST_OUTBOX_KEY": outbox_key,
        }
    )
    shanghai_today = make_guest(family="Tomorrow", birthday=(3, 2))
    make_guest(family="Utc", birthday=(3, 1))
    # 17:30 UTC on 1 March: the worker's clock says 1 March, the hotel's says 2 March.
    greetings_daily_task.delay("2026-03-01T17:30:00Z")

    assert wait_for(lambda: Notification.objects.filter(status="sent").exists())
    assert workers_idle()
    assert list(Notification.objects.values_list("guest_link__guest", flat=True)) == [
        shanghai_today.pk
    ]
