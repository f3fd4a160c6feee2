"""The README's "Running in production" steps, run as written, on a clean database.

The commands are read from README.md's code block, so the documentation and this test cannot
drift apart: a fresh virtualenv gets `pip install .` (from the wheels pip already has, offline
where the machine's pip is set up so), the assets are vendored, a new database is migrated,
`collectstatic` runs with DEBUG off and the manifest storage, then gunicorn, a Celery worker
and beat start. Through gunicorn, /healthz must answer 200 and show beat's heartbeat (run by
the worker), a signed-in page must render and its hashed static files must be served.

Only what the README leaves to the operator is supplied: the exported settings (with real
values instead of "…") and gunicorn's address (a free port instead of 8000).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import pytest
from django.conf import settings

from tests.support.waiting import wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "prod-path-" + secrets.token_hex(4)


def readme_steps() -> list[str]:
    """The shell lines of the README's production code block, comments removed."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Running in production", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    lines = []
    for raw in block.splitlines():
        line = raw.split("  #", 1)[0].rstrip()
        if line.endswith("\\"):  # a continued line (the export)
            lines.append(line[:-1].rstrip() + " ")
            continue
        if lines and lines[-1].endswith(" "):
            lines[-1] += line.strip()
        elif line:
            lines.append(line)
    return lines


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: str, cwd: Path, env: dict, timeout: float = 600) -> None:
    done = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, (
        f"{command!r} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    )


def source_copy(target: Path) -> None:
    """The repository's files as a release would ship them (what git tracks), plus the vendored
    assets already fetched here so the step that fetches them finds them and stays offline."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    for name in listed:
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    vendor = ROOT / "static" / "vendor"
    if vendor.is_dir():
        shutil.copytree(vendor, target / "static" / "vendor", dirs_exist_ok=True)


class Gunicorn:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(
        self, method: str, path: str, body: str = "", headers: dict | None = None
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        # TLS ends at the proxy in front of gunicorn, which says so (README).
        sent = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", **(headers or {})}
        conn.request(method, path, body=body, headers=sent)
        response = conn.getresponse()
        response.body = response.read()  # type: ignore[attr-defined]
        conn.close()
        return response


def cookies_of(response: http.client.HTTPResponse, jar: dict) -> dict:
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        jar[name.strip()] = rest.split(";", 1)[0]
    return jar


def cookie_header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


@pytest.fixture
def clean_database() -> Iterator[str]:
    db = settings.DATABASES["default"]
    name = f"grc_prodpath_{uuid.uuid4().hex[:8]}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    admin = psycopg2.connect(
        dbname="postgres", user=db["USER"], password=db.get("PASSWORD"), host=host, port=port
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.prodpath
def test_readme_production_steps_run_as_written(tmp_path, clean_database):
    steps = readme_steps()
    assert steps[0].startswith("python3 -m venv .venv && .venv/bin/pip install .")
    assert any(s.startswith("export SECRET_KEY=") for s in steps)
    servers = [s for s in steps if s.startswith(("gunicorn ", "celery "))]
    assert [s.split()[:4] for s in servers] == [
        ["gunicorn", "grc.wsgi", "--bind", "0.0.0.0:8000"],
        ["celery", "-A", "grc", "worker"],
        ["celery", "-A", "grc", "beat"],
    ]

    app = tmp_path / "grc"
    app.mkdir()
    source_copy(app)
    port = free_port()
    env = {
        "PATH": f"{app / '.venv' / 'bin'}:{os.environ['PATH']}",  # an activated virtualenv
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        # the export line, with real values
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": clean_database,
        "REDIS_URL": settings.REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": "https://127.0.0.1",
        # this test's own queue and cache keys on the shared Redis
        "CELERY_QUEUE": f"prodpath-{uuid.uuid4().hex[:8]}",
        "CACHE_KEY_PREFIX": f"prodpath-{uuid.uuid4().hex[:8]}",
        "DEBUG": "0",
    }
    for name in ("PIP_FIND_LINKS", "PIP_CERT", "PIP_DEFAULT_TIMEOUT", "PIP_INDEX_URL"):
        if name in os.environ:
            env[name] = os.environ[name]

    for step in steps:
        if step.startswith(("export ", "gunicorn ", "celery ")):
            continue
        run(step, app, env)
    assert list((app / "staticfiles").glob("vendor/chart.js/chart.umd.min.*.js"))
    manifest = json.loads((app / "staticfiles" / "staticfiles.json").read_text())
    assert "vendor/chart.js/chart.umd.min.js" in manifest["paths"]

    # beat's heartbeat falls due at once, so the worker runs it while we watch
    with psycopg2.connect(clean_database) as conn, conn.cursor() as cursor:
        cursor.execute(
            "UPDATE django_celery_beat_periodictask SET last_run_at = now() - interval '1 hour'"
            " WHERE task = 'grc.heartbeat'"
        )
        assert cursor.rowcount == 1
    admin_env = {**env, "DJANGO_SUPERUSER_PASSWORD": PASSWORD}
    run(
        "python manage.py createsuperuser --noinput --username ops --email ops@hotel.test",
        app,
        admin_env,
    )

    procs: list[subprocess.Popen] = []
    logs = tmp_path / "logs"
    logs.mkdir()
    try:
        for step in servers:
            command = step.replace("0.0.0.0:8000", f"127.0.0.1:{port}")
            log = (logs / command.split()[0 if command.startswith("gunicorn") else 3]).open("w")
            procs.append(
                subprocess.Popen(
                    ["bash", "-c", f"exec {command}"],
                    cwd=app,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        web = Gunicorn(port)

        def healthy():
            if any(p.poll() is not None for p in procs):
                return "exited"
            try:
                response = web.request("GET", "/healthz", headers={"X-Forwarded-Proto": "http"})
            except OSError:
                return None
            body = json.loads(response.body)
            return body if response.status == 200 and body["scheduler"]["last_heartbeat"] else None

        health = wait_for(healthy, timeout=90, every=0.5)
        outputs = {p.name: p.read_text()[-2000:] for p in logs.iterdir()}
        assert isinstance(health, dict), f"not healthy: {health!r}\n{outputs}"
        assert health["database"]["ok"] and health["broker"]["ok"]

        login = web.request("GET", "/accounts/login/")
        assert login.status == 200
        jar = cookies_of(login, {})
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', login.body).group(1)
        signed_in = web.request(
            "POST",
            "/accounts/login/",
            body=urlencode(
                {"csrfmiddlewaretoken": token.decode(), "username": "ops", "password": PASSWORD}
            ),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie_header(jar),
                "Referer": "https://127.0.0.1/accounts/login/",
            },
        )
        assert signed_in.status == 302, signed_in.body[:2000]
        cookies_of(signed_in, jar)
        home = web.request("GET", "/", headers={"Cookie": cookie_header(jar)})
        assert home.status == 200
        assert b"ops" in home.body
        # the page links hashed assets from the manifest, and WhiteNoise serves them
        assets = re.findall(rb'/static/(vendor/[^"]+\.[0-9a-f]{12}\.(?:css|js))"', home.body)
        assert assets, home.body[:2000]
        for asset in assets:
            served = web.request("GET", "/static/" + asset.decode())
            assert served.status == 200, asset
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
