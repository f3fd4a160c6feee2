"""The CPU-per-page benchmark and the desk's day over HTTP, at a tiny size (timings are not
asserted: the figures are in README.md)."""

from __future__ import annotations

from bench import desk_day, pages


def test_pages_bench_tiny(db):
    figures = pages.run(500, repeats=2, rounds=1)
    by_case = {f.case: f.value for f in figures}
    assert by_case["conditions"].startswith("500 guests; DEBUG off")
    for page in ("ticket page", "guest card", "quick-log POST"):
        for mode in ("before", "after"):
            # every page answered as expected (a wrong status stops the run) and made queries
            value = by_case[f"{page} ({mode})"]
            assert "CPU p50" in value
            assert int(value.rsplit("; ", 1)[1].split()[0]) > 0
    # the cuts are switched back on after the run
    from core.templatetags import crispy_memo

    assert crispy_memo.MAX_ENTRIES > 0


def test_desk_day_tiny(transactional_db):
    """gunicorn started, two desk agents signed in, every step taken, nothing refused."""
    from complaints.models import Ticket

    # every visit logs a complaint and looks at the queue, so every step is taken
    result = desk_day.day(guests=300, clients=2, seconds=3, workers=1, mix=(1.0, 1.0))
    assert result.errors == []
    counts = {step: len(times) for step, times in result.times.items()}
    assert all(counts[step] > 0 for step in desk_day.STEPS), counts
    assert counts["lookup"] == counts["card"] == counts["log complaint"] == counts["ticket page"], (
        counts
    )
    assert result.peak_rss_mb > 0
    # the complaints were really logged, by the bench's desk agents (two warm-up visits each too)
    warmed = 2 * 2
    logged = Ticket.objects.filter(logged_by__username__startswith="bench-desk-").count()
    assert logged == counts["log complaint"] + warmed
