"""Benchmark: a busy front desk's day, over HTTP, against gunicorn (issue 16, point 5).

    BENCH_DAY_GUESTS=100000 make bench               # or, alone:
    DEBUG=1 DATABASE_URL=postgres://…/grc_bench python bench/desk_day.py --guests 100000 \
        --clients 4 --seconds 60 [--workers 2] [--url http://127.0.0.1:8000]

Seeds the guests as the front-desk benchmark does, then starts gunicorn itself (sync workers,
DEBUG off, the manifest static files collected into a temporary directory, persistent
database connections) unless --url names an app already running over the same database. N
clients, each a desk agent with their own session, work for a bounded time (after two
uncounted visits each, to warm every worker) in a realistic mix: look a guest up (a Latin or
Chinese name part), open the card; one visit in four opens the quick log, logs a complaint
and lands on its ticket page; one in three looks at the complaint queue. Reports p50/p95 per
step, requests per second, errors (anything but the answer the step expects) and the web
workers' peak resident memory, with the load average.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Figure, django_setup, table  # noqa: E402

NAME = "desk day"
STEPS = ["lookup", "card", "log form", "log complaint", "ticket page", "queue"]
LOOKUPS = ["ma", "wang", "chen", "li", "mar", "zhang wei", "陈", "王", "李伟", "smith"]


# --- The app under test ---------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> str:
    """The database this process uses, as a URL for the server it starts."""
    from django.db import connection

    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{urllib.parse.quote(db['USER'])}{password}@{host}:{port}/{db['NAME']}"


class Server:
    """gunicorn with DEBUG off over this process's database, in its own process group."""

    def __init__(self, workers: int) -> None:
        from django.conf import settings

        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.static = tempfile.TemporaryDirectory(prefix="grc-desk-day-")
        self.env = {
            **os.environ,
            "DEBUG": "0",
            # the sessions the agents bring are signed with this process's key
            "SECRET_KEY": settings.SECRET_KEY,
            "DATABASE_URL": _database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "ALLOWED_HOSTS": "127.0.0.1",
            "STATIC_ROOT": self.static.name,
            # plain HTTP on the loopback: no TLS redirect, cookies not marked secure
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
        }
        self.workers = workers
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())

    def start(self) -> None:
        python = sys.executable
        subprocess.run(
            [python, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        gunicorn = str(Path(python).with_name("gunicorn"))
        self.process = subprocess.Popen(
            [gunicorn, "grc.wsgi", "--bind", f"127.0.0.1:{self.port}"]
            + ["--workers", str(self.workers), "--worker-class", "sync", "--timeout", "60"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                time.sleep(0.3)
        self.log.seek(0)
        output = self.log.read().decode()[-3000:]
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz:\n" + output)

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in children.read_text().split()]
        except OSError:
            return []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.static.cleanup()
        self.log.close()


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemoryWatch(threading.Thread):
    """The largest resident memory any web worker reached, sampled twice a second."""

    def __init__(self, server: Server | None) -> None:
        super().__init__(daemon=True)
        self.server, self.peak, self.done = server, 0.0, threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.sample()
            self.done.wait(0.5)

    def sample(self) -> None:
        if self.server is not None:
            for pid in self.server.worker_pids():
                self.peak = max(self.peak, rss_mb(pid))


# --- The desk agents ------------------------------------------------------------------------------


def desk_sessions(count: int) -> list[tuple[str, str]]:
    """(session key, CSRF secret) for `count` signed-in front-desk agents."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from accounts import roles
    from accounts.models import Department, User

    roles.roles_sync()
    group = Group.objects.get(name=roles.FRONT_DESK.name)
    department = Department.objects.order_by("pk").first()
    made = []
    for n in range(count):
        user, _ = User.objects.get_or_create(
            username=f"bench-desk-{n}", defaults={"department": department}
        )
        user.groups.add(group)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        made.append((session.session_key, secrets.token_hex(16)))
    return made


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Tally:
    times: dict[str, list[float]] = field(default_factory=lambda: {s: [] for s in STEPS})
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, step: str, ms: float) -> None:
        with self.lock:
            self.times[step].append(ms)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Agent(threading.Thread):
    def __init__(self, n, url, session, form, guest_ids, tally, until, mix=(0.25, 1 / 3)) -> None:
        super().__init__(daemon=True)
        self.log_share, self.queue_share = mix
        self.url, self.tally, self.until = url, tally, until
        self.form, self.guest_ids = form, guest_ids
        self.session_key, self.csrf = session
        self.random = random.Random(n)
        self.opener = urllib.request.build_opener(_NoRedirect)

    def call(self, step: str, path: str, expect: int, data: dict | None = None) -> str | None:
        """One request; its time in the tally; the Location of a redirect or the body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body)
        request.add_header("Cookie", f"sessionid={self.session_key}; csrftoken={self.csrf}")
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text, location = response.status, response.read(), None
        except urllib.error.HTTPError as exc:
            status, text, location = exc.code, exc.read(), exc.headers.get("Location")
        except OSError as exc:
            self.tally.error(f"{step}: {exc}")
            return None
        self.tally.add(step, (time.perf_counter() - started) * 1000)
        if status != expect:
            self.tally.error(f"{step}: {path} answered {status}")
            return None
        return location if status == 302 else text.decode()

    def visit(self) -> None:
        """A guest at the desk: found, recognised; sometimes a complaint; now and then the queue."""
        query = self.random.choice(LOOKUPS)
        self.call("lookup", "/guests/search/?q=" + urllib.parse.quote(query), 200)
        guest = self.random.choice(self.guest_ids)
        self.call("card", f"/guests/{guest}/", 200)
        if self.random.random() < self.log_share:
            self.call("log form", f"/complaints/new/?guest={guest}", 200)
            data = {
                **self.form,
                "guest": str(guest),
                "log_key": str(uuid.uuid4()),  # a new complaint, never a replay of one
                "csrfmiddlewaretoken": self.csrf,
            }
            ticket = self.call("log complaint", "/complaints/new/", 302, data)
            if ticket:
                self.call("ticket page", urllib.parse.urlsplit(ticket).path, 200)
        if self.random.random() < self.queue_share:
            self.call("queue", "/complaints/", 200)

    def run(self) -> None:
        while time.monotonic() < self.until:
            self.visit()

    def warm(self) -> None:
        """Two visits first, not counted: each worker's templates compiled, caches filled."""
        tally = self.tally
        self.tally = Tally()
        try:
            for _ in range(2):
                self.visit()
                self.call("log form", "/complaints/new/", 200)
                self.call("queue", "/complaints/", 200)
        finally:
            self.tally = tally


# --- The run --------------------------------------------------------------------------------------


@dataclass
class Result:
    clients: int
    seconds: float
    times: dict[str, list[float]]
    errors: list[str]
    peak_rss_mb: float
    workers: int

    @property
    def requests(self) -> int:
        return sum(len(t) for t in self.times.values())


def day(
    *,
    guests: int,
    clients: int,
    seconds: float,
    workers: int = 2,
    url: str | None = None,
    mix: tuple[float, float] = (0.25, 1 / 3),
) -> Result:
    """The run; `mix` is the share of visits that log a complaint and that look at the queue."""
    from bench import frontdesk, pages
    from guests.models import Guest

    frontdesk.seed(guests)
    ids = list(
        Guest.objects.filter(tags__contains=[frontdesk.TAG]).values_list("pk", flat=True)[:5000]
    )
    if not ids:
        raise SystemExit("no bench guests: seeding found none")
    rng = random.Random(0)
    guest_ids = rng.sample(ids, min(len(ids), 500))
    form = {k: v for k, v in pages.quick_log_data(guest_ids[0]).items() if k != "log_key"}
    sessions = desk_sessions(clients)
    server = None
    if url is None:
        server = Server(workers)
        server.start()
        url = server.url
    watch = MemoryWatch(server)
    tally = Tally()
    try:
        watch.start()
        agents = [
            Agent(n, url, sessions[n], form, guest_ids, tally, 0, mix) for n in range(clients)
        ]
        warming = [threading.Thread(target=agent.warm) for agent in agents]
        for thread in warming:
            thread.start()
        for thread in warming:
            thread.join()
        started = time.monotonic()
        for agent in agents:
            agent.until = started + seconds
        for agent in agents:
            agent.start()
        for agent in agents:
            agent.join()
        elapsed = time.monotonic() - started
        watch.sample()
    finally:
        watch.done.set()
        if server is not None:
            server.stop()
    return Result(clients, elapsed, tally.times, tally.errors, watch.peak, workers)


def run(
    n: int, clients: int = 4, seconds: float = 60, workers: int = 2, url: str | None = None
) -> list[Figure]:
    result = day(guests=n, clients=clients, seconds=seconds, workers=workers, url=url)
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    server = url or f"gunicorn {workers} sync workers, DEBUG off"
    figures = [
        Figure(
            NAME,
            "conditions",
            f"{n:,} guests; {clients} clients, {result.seconds:.0f} s, {server}; "
            f"load average at the end {load}",
        )
    ]
    for step in STEPS:
        times = result.times[step]
        if times:
            figures.append(
                Figure(
                    NAME,
                    step,
                    f"p50 {statistics.median(times):.0f} / p95 "
                    f"{frontdesk_percentile(times, 0.95):.0f} ms ({len(times)} requests)",
                )
            )
        else:
            figures.append(Figure(NAME, step, "no requests"))
    figures.append(
        Figure(
            NAME,
            "throughput",
            f"{result.requests / result.seconds:.1f} requests/s ({result.requests} requests), "
            f"{len(result.errors)} errors"
            + (f" (first: {result.errors[0]})" if result.errors else ""),
        )
    )
    peak = f"{result.peak_rss_mb:.0f} MB" if result.peak_rss_mb else "not measured (--url)"
    figures.append(Figure(NAME, "web worker peak RSS", peak))
    return figures


def frontdesk_percentile(values: list[float], share: float) -> float:
    from bench.frontdesk import percentile

    return percentile(values, share)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--url", help="an app already running over the same database")
    args = parser.parse_args()
    django_setup()
    print(table(run(args.guests, args.clients, args.seconds, args.workers, args.url)))


if __name__ == "__main__":
    main()
