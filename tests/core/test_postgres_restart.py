"""PostgreSQL restarted under load: gunicorn and its workers carry on, and recover by themselves.

The test starts a private PostgreSQL (the machine's server binaries, a temporary directory, its
own port), migrates it, and starts gunicorn (2 workers x 4 threads, persistent connections as in
production: DATABASE_CONN_MAX_AGE=60) on it. Four clients call /healthz and a signed-in page
without pause; PostgreSQL is stopped in fast mode (every connection cut), kept down for a few
seconds and started again. Then: no request hangs; the failed requests all fall in the outage and
are counted; /healthz says the database is down (503) meanwhile; every request that starts once
PostgreSQL is back succeeds, nothing is restarted, and the same gunicorn workers still serve.
Then PostgreSQL is restarted once more with no request under way (every worker thread's
persistent connection is left cut, not just the ones the outage's errors closed): every request
after it succeeds — the stale connections are checked and replaced (CONN_HEALTH_CHECKS).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.core.test_replica import Cluster, free_port

pytestmark = pytest.mark.slow  # migrating a fresh cluster takes most of a minute

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 4
DOWN_SECONDS = 3.0
HANG = 15.0  # connect_timeout is 5 s; a request this slow is a hang


@dataclass
class Call:
    path: str
    started: float
    ended: float
    status: int | None  # None: the connection failed (reset, refused, timed out)
    body: str
    error: str = ""


@pytest.fixture
def private_postgres(settings) -> Iterator[tuple[Cluster, Path, int]]:
    base = Path(tempfile.mkdtemp(prefix="grc-pgrestart-", dir="/tmp"))
    cluster = Cluster(base)
    data = base / "data"
    port = free_port()
    try:
        cluster.run("initdb", "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        cluster.start(data, port)
        yield cluster, data, port
    finally:
        cluster.stop(data)
        shutil.rmtree(base, ignore_errors=True)


def manage(env: dict, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


SIGN_IN = """
from django.conf import settings
from django.test import Client
from accounts import roles
from tests.factories import UserFactory
client = Client()
client.force_login(UserFactory(username="pgr-manager", role=roles.MANAGER))
print(client.cookies[settings.SESSION_COOKIE_NAME].value)
"""


def worker_pids(master: int) -> set[int]:
    pids = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == master:
            pids.add(int(stat.parent.name))
    return pids


def call(url: str, path: str, cookie: str) -> Call:
    request = urllib.request.Request(url + path)
    if path != "/healthz":
        request.add_header("Cookie", cookie)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=HANG) as response:
            status, body = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read().decode()
    except OSError as exc:
        return Call(path, started, time.monotonic(), None, "", type(exc).__name__)
    return Call(path, started, time.monotonic(), status, body)


def test_postgres_restart_under_load_the_app_recovers_without_restarting(
    private_postgres, settings
):
    cluster, data, pg_port = private_postgres
    database_url = f"postgres://postgres@127.0.0.1:{pg_port}/postgres"
    env = {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": settings.REDIS_URL,
    }
    manage(env, "migrate", "-v0")
    session = manage(env, "shell", "-c", SIGN_IN).strip().splitlines()[-1]
    cookie = f"{settings.SESSION_COOKIE_NAME}={session}"

    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "grc.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "2", "--threads", "4", "--timeout", "60", "--log-level", "error"]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while call(url, "/healthz", cookie).status != 200:
            assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.3)
        assert call(url, "/", cookie).status == 200  # signed in: the page, not the login
        workers = worker_pids(server.pid)
        assert len(workers) == 2

        calls: list[Call] = []
        lock = threading.Lock()
        stop = threading.Event()

        def client(i: int) -> None:
            n = 0
            while not stop.is_set():
                done = call(url, "/healthz" if (n + i) % 2 else "/", cookie)
                n += 1
                with lock:
                    calls.append(done)
                time.sleep(0.05)

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(3)  # every worker thread holds a persistent connection by now
        down = time.monotonic()
        cluster.run("pg_ctl", "-D", str(data), "-m", "fast", "-w", "stop")
        time.sleep(DOWN_SECONDS)
        cluster.start(data, pg_port)
        up = time.monotonic()
        time.sleep(5)
        stop.set()
        for thread in threads:
            thread.join(timeout=HANG + 5)
        assert not any(thread.is_alive() for thread in threads), "a client hangs"
        # A quiet restart: no request meanwhile, so every worker thread's connection is left
        # stale (cut by the server) and the next request on it must find and replace it.
        log = str(cluster.base / "restart.log")  # not our pipe: the server would hold it open
        cluster.run("pg_ctl", "-D", str(data), "-l", log, "-m", "fast", "-w", "restart")
        quiet: list[Call] = []

        def burst(i: int) -> None:
            for _ in range(10):
                done = call(url, "/", cookie)
                with lock:
                    quiet.append(done)

        threads = [threading.Thread(target=burst, args=(i,)) for i in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=HANG * 10)
        workers_after = worker_pids(server.pid)
        assert server.poll() is None  # the master ran throughout
    finally:
        server.terminate()
        server.wait(timeout=30)

    before = [c for c in calls if c.ended < down]
    outage = [c for c in calls if c.ended >= down and c.started < up]
    after = [c for c in calls if c.started >= up]
    failed = [c for c in calls if c.status != 200]
    recovered = min(c.ended for c in after if c.path == "/" and c.status == 200) - up
    print(
        f"\n{len(calls)} requests: {len(failed)} failed, all during the {up - down:.1f} s outage "
        f"({sorted({c.status or c.error for c in failed}, key=str)}); "
        f"a signed-in page served again {recovered:.2f} s after PostgreSQL was back"
    )

    assert before and all(c.status == 200 for c in before)
    assert after and all(c.status == 200 for c in after), [
        (c.path, c.status, c.error) for c in after if c.status != 200
    ]
    assert failed and all(c in outage for c in failed)  # the outage was caught and counted
    assert all(c.ended - c.started < HANG for c in calls)  # none is a hang
    health_down = [c for c in outage if c.path == "/healthz" and c.status != 200]
    assert health_down and all(c.status == 503 for c in health_down)
    assert all(json.loads(c.body)["database"]["ok"] is False for c in health_down)
    assert len(quiet) == CLIENTS * 10
    assert [c.status for c in quiet] == [200] * len(quiet), [(c.status, c.error) for c in quiet]
    assert workers_after == workers  # the same two workers: none restarted or replaced
