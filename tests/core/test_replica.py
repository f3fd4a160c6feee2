"""Heavy reads on a real streaming replica, and the primary when it lags or is down.

The test starts a private PostgreSQL primary in a temporary directory (the machine's server
binaries, its own port), makes a standby of it with pg_basebackup (streaming, `-R`), migrates
the primary (the standby replays it), and runs tests/core/replica_scenario.py against the pair.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from core import replicas

ROOT = Path(__file__).resolve().parents[2]


def pg_bin() -> Path:
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3])
    )
    if not versions:
        pytest.fail("PostgreSQL server binaries are needed: apt-get install postgresql")
    return versions[-1].parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """Runs PostgreSQL's tools as the postgres user when we are root (initdb refuses root)."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.bin = pg_bin()
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(base, user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def run(self, tool: str, *args: str, timeout: float = 120) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, f"{tool} {args}: {done.stdout}\n{done.stderr}"

    def start(self, data: Path, port: int) -> None:
        self.run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(self.base / f"{data.name}.log"),
            "-w",
            "-o",
            f"-p {port} -k {self.base} -c listen_addresses=127.0.0.1 -c fsync=off",
            "start",
        )

    def stop(self, data: Path) -> None:
        if (data / "postmaster.pid").exists():
            self.run("pg_ctl", "-D", str(data), "-m", "immediate", "-w", "stop")


@pytest.fixture
def primary_and_standby() -> Iterator[tuple[str, str, Cluster, Path]]:
    base = Path(tempfile.mkdtemp(prefix="grc-replica-", dir="/tmp"))
    cluster = Cluster(base)
    primary, standby = base / "primary", base / "standby"
    p_port, s_port = free_port(), free_port()
    try:
        cluster.run("initdb", "-D", str(primary), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        with (primary / "pg_hba.conf").open("a") as hba:
            hba.write("host replication all 127.0.0.1/32 trust\n")
        cluster.start(primary, p_port)
        cluster.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(p_port),
            "-U",
            "postgres",
            "-D",
            str(standby),
            "-X",
            "stream",
            "-R",
            "--checkpoint=fast",
        )
        cluster.start(standby, s_port)
        url = "postgres://postgres@127.0.0.1:{}/postgres"
        yield url.format(p_port), url.format(s_port), cluster, standby
    finally:
        cluster.stop(standby)
        cluster.stop(primary)
        shutil.rmtree(base, ignore_errors=True)


def test_heavy_reads_use_the_standby_and_fall_back_to_the_primary(primary_and_standby):
    primary_url, standby_url, cluster, standby = primary_and_standby
    env = {
        **os.environ,
        "DEBUG": "1",  # query capture on both connections
        "DATABASE_URL": primary_url,
        "DATABASE_REPLICA_URL": standby_url,
        "REDIS_URL": settings.REDIS_URL,
        "REPLICA_CHECK_SECONDS": "0",
        "REPLICA_MAX_LAG_SECONDS": "1",
    }
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    scenario = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "core" / "replica_scenario.py")],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert scenario.stdout is not None and scenario.stdin is not None
    seen = []
    for line in scenario.stdout:
        seen.append(line)
        if line.strip() == "STOP-REPLICA":
            cluster.stop(standby)
            scenario.stdin.write("stopped\n")
            scenario.stdin.flush()
    scenario.wait(timeout=120)
    output = "".join(seen)
    assert scenario.returncode == 0, output[-5000:]
    assert "SCENARIO-OK" in output


def test_without_a_replica_every_read_goes_to_the_primary(db):
    assert not replicas.configured()
    router = replicas.PrimaryReplicaRouter()
    with replicas.heavy_reads_block():
        assert router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("default", "guests") and not router.allow_migrate("replica", "x")
