"""Heavy reads on a PostgreSQL read replica, everything else on the primary.

With DATABASE_REPLICA_URL set, the database alias "replica" exists and:

- writes, and every read not marked heavy, go to the primary ("default");
- heavy reads (exports, reports, long lists) ask for the replica: views with
  `@heavy_reads`, code inside `with heavy_reads_block():`, or a queryset passed through
  `for_heavy_read()` (for responses streamed after the view has returned);
- the replica is used only while it answers and replays within REPLICA_MAX_LAG_SECONDS of
  the primary (checked at most every REPLICA_CHECK_SECONDS per process); otherwise, and if a
  heavy view fails on it, the reads go to the primary — a replica down or behind never costs
  a 500;
- read-your-writes: after a POST (or any unsafe method) the same browser reads from the
  primary for REPLICA_PIN_SECONDS (ReplicaPinMiddleware), so a change is never shown missing.

Without DATABASE_REPLICA_URL all of this is a no-op and every query goes to the primary.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import QuerySet

REPLICA = "replica"
PRIMARY = "default"
PIN_COOKIE = "grc_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}

logger = logging.getLogger(__name__)
_heavy: contextvars.ContextVar[bool] = contextvars.ContextVar("grc_heavy_reads", default=False)
_pinned: contextvars.ContextVar[bool] = contextvars.ContextVar("grc_primary_pin", default=False)
Q = TypeVar("Q", bound=QuerySet)


def configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass
class _State:
    usable: bool = False
    reason: str = "not checked"
    checked_at: float = float("-inf")


_state = _State()


def _check() -> tuple[bool, str]:
    """Is the replica answering, in recovery (a standby), and within the allowed lag?"""
    try:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn()::text,"
                " extract(epoch FROM now() - pg_last_xact_replay_timestamp())"
            )
            in_recovery, replay_lsn, replay_age = cursor.fetchone()
        if not in_recovery:
            return True, "not a standby"  # a promoted replica has everything it was sent
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn)", [replay_lsn])
            (behind_bytes,) = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return False, f"down: {exc.__class__.__name__}"
    if behind_bytes <= 0:
        return True, "caught up"
    # Behind the primary: by how long since the last transaction it replayed.
    if replay_age is None or float(replay_age) > settings.REPLICA_MAX_LAG_SECONDS:
        return (
            False,
            f"lagging: {replay_age if replay_age is None else round(float(replay_age), 1)} s",
        )
    return True, f"within lag: {float(replay_age):.1f} s"


def replica_usable() -> bool:
    """Whether heavy reads may go to the replica now (the check is cached per process)."""
    if not configured():
        return False
    now = time.monotonic()
    if now - _state.checked_at >= settings.REPLICA_CHECK_SECONDS:
        usable, reason = _check()
        if usable != _state.usable or reason.startswith("down"):
            logger.log(
                logging.INFO if usable else logging.WARNING,
                "read replica %s (%s)",
                "in use" if usable else "not used",
                reason,
            )
        _state.usable, _state.reason, _state.checked_at = usable, reason, now
    return _state.usable


def replica_mark_down(reason: str) -> None:
    _state.usable, _state.reason, _state.checked_at = False, reason, time.monotonic()
    if configured():
        connections[REPLICA].close()


def read_alias() -> str:
    """Where a heavy read goes right now."""
    if _pinned.get() or not replica_usable():
        return PRIMARY
    return REPLICA


def for_heavy_read(queryset: Q) -> Q:
    """The queryset bound to the replica when usable (for results read after the view returns,
    such as a streamed export), else to the primary."""
    return queryset.using(read_alias()) if configured() else queryset


@contextmanager
def heavy_reads_block() -> Iterator[None]:
    token = _heavy.set(True)
    try:
        yield
    finally:
        _heavy.reset(token)


@contextmanager
def primary_block() -> Iterator[None]:
    """Every read in the block from the primary (read-your-writes)."""
    token = _pinned.set(True)
    try:
        yield
    finally:
        _pinned.reset(token)


def heavy_reads(view: Callable[..., Any]) -> Callable[..., Any]:
    """A view whose reads may go to the replica. If they fail there (the replica went away
    between checks), the view runs again on the primary."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not configured() or _pinned.get():
            return view(request, *args, **kwargs)
        with heavy_reads_block():
            try:
                return view(request, *args, **kwargs)
            except DatabaseError as exc:
                if read_alias() != REPLICA:
                    raise
                replica_mark_down(f"failed in a view: {exc.__class__.__name__}")
                logger.warning("read replica failed; answering from the primary: %s", exc)
        return view(request, *args, **kwargs)

    return wrapped


class PrimaryReplicaRouter:
    """Django database router (DATABASE_ROUTERS): see the module's docstring."""

    def db_for_read(self, model, **hints) -> str | None:
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        if _heavy.get():
            return read_alias()
        return PRIMARY

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


class ReplicaPinMiddleware:
    """Read-your-writes: a browser that has just written reads from the primary for a while."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not configured():
            return self.get_response(request)
        wrote = request.method not in SAFE_METHODS
        try:
            pinned = wrote or float(request.COOKIES.get(PIN_COOKIE, "0")) > time.time()
        except ValueError:
            pinned = wrote
        if not pinned:
            return self.get_response(request)
        with primary_block():
            response = self.get_response(request)
        if wrote:
            until = time.time() + settings.REPLICA_PIN_SECONDS
            response.set_cookie(
                PIN_COOKIE,
                f"{until:.0f}",
                max_age=settings.REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
