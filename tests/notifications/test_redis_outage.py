"""Redis (broker and cache) stopped for a while as complaints are logged: every complaint is
saved, and every message recorded meanwhile is delivered once Redis is back.

The test starts its own redis-server (the machine's binary, a private port, a temporary
directory) and points the app, the Celery client and the worker at it.
"""

from __future__ import annotations

import socket
import subprocess
import time
import uuid
from datetime import date
from pathlib import Path

import pytest
import redis
from django.urls import reverse

from complaints.models import Ticket
from notifications.models import Notification
from notifications.services import FORGOTTEN_AFTER, NewNotification, notifications_create
from notifications.tasks import notifications_due_sweep_task
from tests.complaints.test_views import log_data
from tests.support.mail import outbox
from tests.support.waiting import wait_for, workers_idle

pytestmark = pytest.mark.worker


class PrivateRedis:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
            + ["--appendonly", "yes", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        assert wait_for(lambda: self._answers(client), timeout=20)

    @staticmethod
    def _answers(client: redis.Redis) -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)


@pytest.fixture
def private_redis(tmp_path, settings):
    from grc.celery import app

    server = PrivateRedis(tmp_path)
    server.start()
    old = (app.conf.broker_url, app.conf.result_backend)

    def point_at(url: str) -> None:
        app.conf.broker_url = app.conf.result_backend = url
        app._pool = None
        app.amqp._producer_pool = None

    settings.REDIS_URL = server.url
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
        }
    }
    point_at(server.url)
    try:
        yield server
    finally:
        server.stop()
        point_at(old[0])
        app.conf.result_backend = old[1]


def test_complaints_logged_while_redis_is_down_are_saved_and_messages_delivered(
    private_redis, celery_workers, client, front_desk
):
    key = f"test:outbox:{uuid.uuid4().hex[:8]}"
    env = {
        "REDIS_URL": private_redis.url,
        "EMAIL_BACKEND": "tests.support.mail.RedisOutboxBackend",
        "TEST_OUTBOX_KEY": key,
    }
    client.force_login(front_desk)
    private_redis.stop()

    started = time.monotonic()
    answers = [client.post(reverse("complaints:log"), log_data()).status_code for _ in range(5)]
    assert answers == [302] * 5  # logged, never a 500
    ids = notifications_create(  # what jobs record meanwhile: the queueing fails, not the job
        items=[
            NewNotification(
                key=f"test:outage:{ticket.pk}",
                kind=Notification.Kind.COMPLAINT_FOLLOW_UP,
                channel="email",
                to="officer@example.com",
                occasion_date=date(2026, 5, 20),
                context={"number": ticket.number, "title": "Noise", "url": "http://x/"},
            )
            for ticket in Ticket.objects.all()
        ]
    )
    assert Ticket.objects.count() == 5 and len(ids) == 5
    assert time.monotonic() - started < 60

    private_redis.start()  # Redis is back; the worker starts on it
    celery_workers.start(env=env)
    # the due sweep (beat, every 5 minutes) finds them once they have waited FORGOTTEN_AFTER
    Notification.objects.filter(pk__in=ids).update(
        created_at=Notification.objects.get(pk=ids[0]).created_at - FORGOTTEN_AFTER
    )
    notifications_due_sweep_task.delay()

    assert wait_for(lambda: Notification.objects.filter(status="sent").count() == 5)
    assert workers_idle()
    delivered = outbox(key)  # on the private Redis too (settings.REDIS_URL)
    assert sorted(m["message_id"] for m in delivered) == sorted(
        Notification.objects.values_list("delivery_ref", flat=True)
    )
