"""Every benchmark runs, at a tiny size, in the suite: a schema change that breaks one fails
here rather than on the day someone measures. (Timings are not asserted: speed is measured by
`make bench`, with figures in README.md.)"""

from __future__ import annotations

import importlib
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

from bench import common, complaints_queue, frontdesk, greetings_daily, run_all
from bench.common import Figure

ROOT = Path(__file__).resolve().parents[2]


def test_every_benchmark_module_is_in_make_bench():
    modules = {
        path.stem
        for path in (ROOT / "bench").glob("*.py")
        if "def run(" in path.read_text() and path.stem != "run_all"
    }
    listed = {module.__name__.rsplit(".", 1)[1] for module, _, _ in run_all.BENCHMARKS}
    assert modules == listed
    for module, _, _ in run_all.BENCHMARKS:
        assert importlib.import_module(module.__name__).NAME


def test_greetings_bench_tiny(db):
    figures = greetings_daily.run(1000)
    by_case = {f.case: f.value for f in figures}
    # guest 232, 568 and 904 are born on 20 May with consent; guest 901's child too
    assert by_case["whole day's run"].startswith("3 birthdays + 1 family birthdays")
    assert "4 messages recorded" in by_case["whole day's run"]
    # run again at the same size: nothing refilled, the same day found again
    again = {f.case: f.value for f in greetings_daily.run(1000)}
    assert again["whole day's run"].startswith("3 birthdays + 1 family birthdays")


def test_greetings_bench_stops_when_the_run_finds_nobody(db, monkeypatch):
    from guests import greetings

    monkeypatch.setattr(
        greetings,
        "family_members_with_birthday",
        lambda day: greetings.FamilyMember.objects.none(),
    )
    with pytest.raises(SystemExit, match="0 family birthdays, the rows say 3 and 1"):
        greetings_daily.run(1000)


def test_complaints_bench_tiny(officer, department_head):
    figures = complaints_queue.run(300)
    assert figures[0].case == "seeding 300 tickets"
    cases = [f.case for f in figures[1:]]
    assert "officer: all open, newest" in cases and len(cases) == 10
    newest = next(f.value for f in figures if f.case == "officer: all, newest")
    assert "300 rows" in newest


def test_frontdesk_bench_tiny(db):
    figures = frontdesk.run(2000, repeats=2)
    assert figures[0].value.startswith("2,000 ")
    kinds = {f.case: f.value for f in figures[1:]}
    assert len(kinds) == len(frontdesk.cases())
    assert all(" queries" in value for value in kinds.values())
    # every lookup found someone: the seeded names, phones, rooms and numbers are real ones
    assert frontdesk.found_nobody() == []


def test_table_is_one_table():
    text = common.table([Figure("a", "case one", "1 ms"), Figure("bb", "c", "22 ms")])
    lines = text.splitlines()
    assert lines[0].split() == ["benchmark", "case", "figure"]
    assert len(lines) == 4 and lines[3].startswith("bb")


def test_bench_database_is_the_one_the_url_names():
    db = settings.DATABASES["default"]
    name = f"grc_bench_t{uuid.uuid4().hex[:8]}"
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    base = f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{port}"
    # what `make bench-db` runs, with the URL it was given
    dry = subprocess.run(
        ["make", "-n", "bench-db", f"BENCH_DATABASE_URL={base}/{name}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f'bench/common.py ensure-db "{base}/{name}"' in dry
    assert "grc_bench" not in dry.replace(name, "")
    subprocess.run(
        [sys.executable, "bench/common.py", "ensure-db", f"{base}/{name}"], cwd=ROOT, check=True
    )
    conn = psycopg2.connect(f"{base}/postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            assert cursor.fetchone() == (1,)
            # a second time finds it there
            common.database_ensure(f"{base}/{name}")
            cursor.execute(f'DROP DATABASE "{name}"')
    finally:
        conn.close()


def test_duplicates_bench_tiny(db):
    from bench import duplicates

    by_case = {f.case: f.value for f in duplicates.run(2000)}
    assert by_case["nightly refresh, whole hotel"].startswith("46 pairs (46 planted)")
    assert by_case["merge one pair (all hooks, refresh)"].endswith("ms")
