"""Waiting for real Celery workers: poll with a deadline, never a bare sleep."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def wait_for(predicate: Callable[[], T], timeout: float = 60.0, every: float = 0.3) -> T:
    """Call `predicate` until it returns something true or `timeout` seconds pass; its last
    answer either way (so the caller's assert shows what was seen)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    return predicate()


def workers_idle(timeout: float = 60.0) -> bool:
    """Wait until the test's queue is empty and no worker holds a task: after that, nothing
    more can happen (a duplicate would have shown up by then)."""
    from grc.celery import app

    queue = app.conf.task_default_queue

    def idle() -> bool:
        with app.connection_for_write() as conn:
            if conn.default_channel.client.llen(queue):
                return False
        inspect = app.control.inspect(timeout=1)
        held = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
        return not any(held)

    return wait_for(idle, timeout)
