"""What every benchmark shares: Django set-up, the bench database, the one table of figures.

Each benchmark module has `run(size) -> list[Figure]` (the suite calls it at a tiny size in
tests/bench/, `make bench` at the documented size) and a `main()` for running it alone.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def django_setup() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grc.settings")
    import django

    django.setup()


@dataclass(frozen=True)
class Figure:
    benchmark: str
    case: str
    value: str


def table(figures: list[Figure]) -> str:
    """One plain-text table: benchmark | case | figure."""
    rows = [("benchmark", "case", "figure"), *((f.benchmark, f.case, f.value) for f in figures)]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for n, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def database_ensure(url: str) -> str:
    """Create the database BENCH_DATABASE_URL names (whatever its name) if it does not exist.
    Returns the name."""
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"BENCH_DATABASE_URL names no database: {url}")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    conn = psycopg2.connect(maintenance)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"created database {name}", file=sys.stderr)
    finally:
        conn.close()
    return name


if __name__ == "__main__":
    # `python bench/common.py ensure-db URL`: used by `make bench-db`.
    if len(sys.argv) == 3 and sys.argv[1] == "ensure-db":
        database_ensure(sys.argv[2])
    else:
        raise SystemExit("usage: python bench/common.py ensure-db postgres://…/name")


def analyze(tables: list[str]) -> None:
    """As autovacuum would after a bulk load: statistics and (outside a transaction, so not in
    the test suite) the visibility map that index-only scans read."""
    from django.db import connection

    with connection.cursor() as cursor:
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        for name in tables:
            cursor.execute(f"{command} {name}")
