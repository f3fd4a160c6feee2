"""The import benchmark runs at a tiny size (timings are not asserted)."""

from __future__ import annotations

from bench import imports


def test_imports_bench_tiny(manager):
    figures = {f.case: f.value for f in imports.run(200)}
    assert figures["file"].startswith("200 rows, 100 guests")
    assert "rows/s" in figures["import (guests + stays + change log)"]
    assert figures["PostgreSQL COPY of the same rows (floor)"].endswith(" s")
    # again in the same database: new people (their own references), all new again
    again = {f.case: f.value for f in imports.run(200)}
    assert again["file"].startswith("200 rows")
