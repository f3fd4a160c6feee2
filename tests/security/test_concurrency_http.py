"""Concurrency through a real HTTP server: gunicorn, as in production (2 workers × 4 threads,
so at most 8 database connections on a shared PostgreSQL), with 100 or 50 clients at once
against one balance, one year's numbers and one ticket."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts import roles
from complaints.models import Category, Ticket
from loyalty import services as loyalty
from loyalty.models import Member, PointsTransaction, Reward
from tests.factories import UserFactory, department, make_guest

ROOT = Path(__file__).resolve().parents[2]
CSRF = "a" * 32  # the cookie's secret; Django accepts it unmasked in the form field


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def post(url: str, session: str, data: dict) -> tuple[int, str]:
    """POST a form; a connection the test server's small backlog refused is sent again with the
    same data (the forms carry an idempotency key, so a repeat never doubles anything)."""
    for _attempt in range(10):
        try:
            return post_once(url, session, data)
        except (ConnectionError, http.client.RemoteDisconnected, urllib.error.URLError) as exc:
            if isinstance(exc, urllib.error.HTTPError):
                raise
            time.sleep(0.2)
    return post_once(url, session, data)


def post_once(url: str, session: str, data: dict) -> tuple[int, str]:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Cookie", f"{settings.SESSION_COOKIE_NAME}={session}; csrftoken={CSRF}")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with OPENER.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def all_at_once(count: int, work) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def target(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = work(i)
        except Exception as exc:  # noqa: BLE001 - the test looks at every outcome
            results[i] = exc

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def http_server(transactional_db):
    """gunicorn on a free port, on the test database; stopped when the test ends."""
    db = connection.settings_dict
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@"
        f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}",
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": settings.REDIS_URL,
    }
    command = [sys.executable, "-m", "gunicorn", "grc.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "4", "--backlog", "256", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=2)
            break
        except urllib.error.HTTPError:
            break  # it answers (503 without a broker is still an answer)
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start")
            time.sleep(0.3)
    try:
        yield SimpleNamespace(url=url)
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def desk(transactional_db):
    return UserFactory(role=roles.FRONT_DESK, department=department("front-office"))


def test_100_concurrent_redemptions_leave_an_exact_balance_never_below_zero(http_server, desk):
    guest = make_guest()
    member = loyalty.member_enrol(guest=guest)
    manager = UserFactory(role=roles.MANAGER)
    loyalty.points_adjust(
        member=member, points=3_700, by=manager, reason="seed", idempotency_key="seed"
    )
    reward = Reward.objects.create(code="conc-tea", name="Tea", points_cost=100)
    session = session_cookie(desk)
    url = f"{http_server.url}/loyalty/members/{member.pk}/redeem/"

    def redeem(i: int) -> int:
        data = {"reward": reward.pk, "step": "confirm", "key": str(uuid.uuid4())}
        return post(url, session, data)[0]

    statuses = all_at_once(100, redeem)
    assert not [s for s in statuses if not isinstance(s, int) or s >= 500], statuses
    assert statuses.count(302) == 37  # 3,700 points buy exactly 37 teas
    member = Member.objects.get(pk=member.pk)
    ledger = sum(PointsTransaction.objects.filter(member=member).values_list("points", flat=True))
    assert member.balance == ledger == 0
    assert member.redemptions.count() == 37


def test_50_concurrent_complaint_logs_are_all_saved_with_gapless_numbers(http_server, desk):
    session = session_cookie(desk)
    form = {
        "guest_name": "Walk-in",
        "room_number": "1208",
        "department": department("housekeeping").pk,
        "category": Category.objects.get(code="cleanliness").pk,
        "severity": 2,
        "channel": "in_person",
    }

    def log(i: int) -> int:
        data = {**form, "description": f"Complaint {i}", "log_key": str(uuid.uuid4())}
        return post(f"{http_server.url}/complaints/new/", session, data)[0]

    statuses = all_at_once(50, log)
    assert statuses == [302] * 50, statuses
    numbers = sorted(Ticket.objects.values_list("number", flat=True))
    year = numbers[0][2:6]
    assert numbers == [f"C-{year}-{n:06d}" for n in range(1, 51)]


def test_two_officers_saving_one_ticket_at_once_one_gets_the_conflict(http_server, desk):
    from complaints import services

    ticket = services.ticket_log(
        by=desk,
        department=department("housekeeping"),
        category=Category.objects.get(code="cleanliness"),
        description="Cold shower.",
        guest_name="Mr. Smith",
    )
    officers = [
        UserFactory(role=roles.GUEST_RELATIONS, department=department("front-office"))
        for _ in range(2)
    ]
    sessions = [session_cookie(officer) for officer in officers]
    form = {
        "guest_name": "Mr. Smith",
        "room_number": "",
        "department": department("housekeeping").pk,
        "category": Category.objects.get(code="cleanliness").pk,
        "severity": 2,
        "channel": "in_person",
        "version": ticket.version,
    }
    url = f"{http_server.url}/complaints/{ticket.pk}/edit/"

    def save(i: int):
        return post(url, sessions[i], {**form, "description": f"Officer {i}'s words"})

    results = all_at_once(2, save)
    statuses = sorted(status for status, _body in results)
    assert statuses == [302, 409], statuses
    conflict = next(body for status, body in results if status == 409)
    assert "Someone else changed this ticket" in conflict
    ticket.refresh_from_db()
    winner = next(i for i, (status, _body) in enumerate(results) if status == 302)
    assert ticket.description == f"Officer {winner}'s words"
