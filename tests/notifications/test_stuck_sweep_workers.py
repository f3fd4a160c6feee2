"""A real worker SIGKILLed while talking to a real SMTP server leaves its message "sending";
the stuck sweep, run by a worker, resolves it without a duplicate at the server."""

from __future__ import annotations

import os
import signal
import subprocess
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from notifications.models import STUCK_AFTER, Notification
from notifications.services import NewNotification, notifications_create
from notifications.tasks import notifications_stuck_resolve_task
from tests.support.smtp import SmtpServer, received
from tests.support.waiting import wait_for, workers_idle

pytestmark = pytest.mark.worker


def process_tree(pid: int) -> list[int]:
    """The process and all its descendants (the worker's pool processes)."""
    pids = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        children = (task / "children").read_text().split()
        for child in children:
            pids += process_tree(int(child))
    return pids


def sigkill(proc: subprocess.Popen) -> None:
    for pid in process_tree(proc.pid):
        os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.fixture
def smtp():
    key = f"test:smtp:{uuid.uuid4().hex[:8]}"
    server = SmtpServer(key)
    server.controller.start()
    server.key = key  # type: ignore[attr-defined]
    yield server
    server.release()
    server.controller.stop()


def record_message() -> Notification:
    [pk] = notifications_create(
        items=[
            NewNotification(
                key=f"test:stuck:{uuid.uuid4().hex[:8]}",
                kind=Notification.Kind.COMPLAINT_FOLLOW_UP,
                channel="email",
                to="officer@example.com",
                occasion_date=date(2026, 5, 20),
                context={"number": "C-2026-0001", "title": "Noisy room", "url": "http://x/"},
            )
        ]
    )
    return Notification.objects.get(pk=pk)


def kill_mid_send(celery_workers, smtp, step: str) -> Notification:
    smtp.hold(step)
    worker = celery_workers.start(env=smtp.worker_env(smtp.key), concurrency=1)
    note = record_message()
    assert wait_for(lambda: smtp.handler.reached == 1, timeout=30)
    sigkill(worker)
    smtp.release()
    note.refresh_from_db()
    assert note.status == "sending" and note.delivery_ref
    # the stuck timeout passes
    Notification.objects.filter(pk=note.pk).update(
        claimed_at=timezone.now() - STUCK_AFTER - timedelta(seconds=5)
    )
    celery_workers.start(env=smtp.worker_env(smtp.key), concurrency=1)
    notifications_stuck_resolve_task.delay()
    return note


def test_a_message_the_server_accepted_before_the_worker_died_is_marked_sent(celery_workers, smtp):
    note = kill_mid_send(celery_workers, smtp, "data")  # the server has it; no 250 was read

    assert wait_for(lambda: Notification.objects.filter(pk=note.pk, status="sent").exists())
    assert workers_idle()
    assert received(smtp.key) == [note.delivery_ref]  # never sent twice
    assert Notification.objects.get(pk=note.pk).attempts == 1


def test_a_message_the_server_never_got_is_sent_once_by_the_sweep(celery_workers, smtp):
    note = kill_mid_send(celery_workers, smtp, "rcpt")  # died before the message went out
    assert received(smtp.key) == []

    assert wait_for(lambda: Notification.objects.filter(pk=note.pk, status="sent").exists())
    assert workers_idle()
    assert received(smtp.key) == [note.delivery_ref]
    assert Notification.objects.get(pk=note.pk).attempts == 2
