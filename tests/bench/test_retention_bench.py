"""The guest value benchmark at a tiny size (figures: make bench, README)."""

from __future__ import annotations

import pytest

from bench import retention


@pytest.mark.django_db
def test_value_bench_tiny():
    figures = {f.case: f.value for f in retention.run(300, repeats=2)}
    assert figures["data"].startswith("300 guests, 900 stays")
    assert "300 valued" in figures["nightly run"]
    assert "0 new tasks" in figures["nightly run again"]
    assert figures["list: champions"].endswith("queries")
    # some of the seeded regulars drifted away, and each got one task
    at_risk = int(figures["nightly run"].split(" at risk")[0].rsplit(", ", 1)[1])
    assert at_risk > 0
