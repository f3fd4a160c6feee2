"""Checks behind /healthz: can we reach the database and the broker?"""

from __future__ import annotations

import logging

from django.core.cache import cache
from django.db import DatabaseError, connections

HEARTBEAT_KEY = "grc:beat:last"
logger = logging.getLogger(__name__)


def _reason(service: str, exc: Exception) -> str:
    """/healthz is open to anyone: it names the kind of failure and logs the details (hosts,
    users, socket paths) for the operators."""
    logger.warning("healthz: %s is down: %s", service, exc)
    return exc.__class__.__name__


def database_check() -> str | None:
    """None when the database answers, otherwise the reason it does not."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return _reason("database", exc)
    return None


def broker_check() -> str | None:
    """None when the Celery broker accepts a connection, otherwise why not."""
    from grc.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=3)
    except Exception as exc:  # kombu raises transport-specific errors
        return _reason("broker", exc)
    return None


def last_heartbeat() -> str | None:
    """When beat last fired the heartbeat job (ISO time), if we can tell."""
    try:
        return cache.get(HEARTBEAT_KEY)
    except Exception:  # the cache shares the broker's Redis; broker_check reports it down
        return None
