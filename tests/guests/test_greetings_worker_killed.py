"""A worker SIGKILLed in the middle of the daily greeting run over thousands of guests: after a
restart, every guest is greeted once — 0 duplicates, 0 missing.

What brings it back: the killed worker's tasks were acknowledged late, so Redis hands them to
the new worker after the visibility timeout (5 s here); chunks and sends are idempotent; the
messages it left "sending" are resolved by the stuck sweep against the provider's record.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from guests.tasks import greetings_daily_task
from notifications.models import STUCK_AFTER, Notification
from notifications.tasks import notifications_stuck_resolve_task
from tests.notifications.test_stuck_sweep_workers import sigkill
from tests.support.mail import outbox
from tests.support.waiting import wait_for, workers_idle

# about 2½ minutes on two busy cores: the sends, one task each, are most of it
pytestmark = [pytest.mark.worker, pytest.mark.slow]

GUESTS = 2000


def guests_born_on_20_may(n: int) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO guests_guest (family_name, given_name, name_order, salutation, gender,
                birth_month, birth_day, nationality, preferred_language, email,
                preferred_channel, greetings_consent, marketing_consent, vip_level, tags, notes,
                stage, search_text, name_grams, created_at, updated_at)
            SELECT 'Killed' || i, 'Guest', 'given_first', 'Guest ' || i, '', 5, 20, 'CN', 'en',
                   'killed' || i || '@guest.test', 'email', true, false, 0, '[]'::jsonb, '',
                   'past', 'killed' || i, '{}'::text[], now(), now()
            FROM generate_series(1, %s) AS i
            """,
            [n],
        )
    return {f"killed{i}@guest.test" for i in range(1, n + 1)}


def test_a_worker_killed_mid_run_leaves_no_guest_greeted_twice_or_not_at_all(celery_workers):
    key = f"test:outbox:{uuid.uuid4().hex[:8]}"
    env = {
        "EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend",
        "TEST_OUTBOX_KEY": key,
        "NOTIFICATION_EMAIL_LOOKUP": "tests.support.mail.outbox_lookup",
        "CELERY_VISIBILITY_TIMEOUT": "5",
    }
    addresses = guests_born_on_20_may(GUESTS)
    worker = celery_workers.start(env=env, concurrency=2)
    greetings_daily_task.delay("2026-05-20")

    def sent() -> int:
        return Notification.objects.filter(status="sent").count()

    assert wait_for(lambda: sent() >= 200, timeout=60)
    sigkill(worker)
    assert sent() < GUESTS, "the run was over before the kill: nothing was tested"

    # the messages it held mid-send stay "sending" until the stuck timeout has passed
    Notification.objects.filter(status="sending").update(
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(seconds=1)
    )
    celery_workers.start(env=env, concurrency=2)
    notifications_stuck_resolve_task.delay()

    assert wait_for(lambda: sent() == GUESTS, timeout=300), Counter(
        Notification.objects.values_list("status", flat=True)
    )
    assert workers_idle()
    delivered = outbox(key)
    recipients = Counter(message["to"][0] for message in delivered)
    assert [to for to, n in recipients.items() if n > 1] == []  # 0 duplicates
    assert set(recipients) == addresses  # 0 missing
    assert Notification.objects.count() == GUESTS
