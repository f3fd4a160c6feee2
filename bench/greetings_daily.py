"""Benchmark: the daily greeting run over a large guest base.

    make bench-greetings                 # 1,000,000 guests in the bench database
    BENCH_GUESTS=200000 make bench-greetings

Fills the database with N guests (birthdays spread over the year, 80 % with consent, a family
member for one consenting guest in five) using INSERT … SELECT generate_series, then times one
day's run: the indexed selection, the fan-out in chunks, and recording every message (the
sending itself is the mail server's time, not ours). Prints the figures quoted in README.md,
and peak memory, to show no step loads all guests.

The counts are checked against what the seeded rows say (counted straight in SQL), so a run
that silently greets nobody stops with an error instead of printing a fast time.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

DAY = date(2026, 5, 20)
NAME = "greetings"

# Guest i (1…N) is born on month 1 + i % 12, day 1 + (i / 12) % 28; guests with i % 5 = 0 did
# not consent. One in five consenting guests (i % 5 = 1) has a child, born 3 "places" later in
# the same cycle, so the day's family birthdays do not depend on which ids the rows were given.
GUESTS_SQL = """
INSERT INTO guests_guest (family_name, given_name, name_order, salutation, gender,
    birth_month, birth_day, nationality, preferred_language, email,
    preferred_channel, greetings_consent, marketing_consent, vip_level, tags, notes,
    stage, search_text, name_grams, created_at, updated_at)
SELECT 'Bench' || i, 'Guest', 'given_first', 'Guest ' || i, '',
       1 + (i %% 12), 1 + ((i / 12) %% 28), 'CN', 'en',
       'bench' || i || '@guest.test',
       'email', (i %% 5) <> 0, false, 0, '["bench"]'::jsonb, '', 'past',
       'guest bench' || i, ARRAY['g', 'gu', 'b', 'be']::varchar(2)[], now(), now()
FROM generate_series(%s, %s) AS i
"""
FAMILY_SQL = """
INSERT INTO guests_familymember (guest_id, relation, name, birth_month, birth_day)
SELECT g.id, 'son', 'Kid', 1 + ((b.i + 3) %% 12), 1 + (((b.i + 3) / 12) %% 28)
FROM guests_guest g
CROSS JOIN LATERAL (SELECT substr(g.family_name, 6)::int AS i) b
WHERE g.tags @> '["bench"]'::jsonb AND b.i %% 5 = 1 AND b.i BETWEEN %s AND %s
AND NOT EXISTS (SELECT 1 FROM guests_familymember f WHERE f.guest_id = g.id)
"""
# What the run must find, counted from the rows themselves (every guest in the database, so
# other benchmarks' guests sharing it are counted alike).
EXPECTED_SQL = """
SELECT
  (SELECT count(*) FROM guests_guest WHERE greetings_consent
     AND erased_at IS NULL AND birth_month = %(m)s AND birth_day = %(d)s),
  (SELECT count(*) FROM guests_familymember f JOIN guests_guest g ON g.id = f.guest_id
     WHERE g.greetings_consent AND g.erased_at IS NULL
     AND f.birth_month = %(m)s AND f.birth_day = %(d)s)
"""


def fill(n: int) -> None:
    from django.db import connection

    from guests.models import Guest

    have = Guest.objects.filter(tags__contains=["bench"]).count()
    with connection.cursor() as cursor:
        if have < n:
            cursor.execute(GUESTS_SQL, [have + 1, n])
        cursor.execute(FAMILY_SQL, [1, n])
        cursor.execute("ANALYZE guests_guest; ANALYZE guests_familymember;")


def run(n: int) -> list[Figure]:
    from django.db import connection

    from guests import greetings
    from guests.models import Guest
    from notifications import services as messaging
    from notifications.models import Notification

    t0 = time.perf_counter()
    fill(n)
    fill_s = time.perf_counter() - t0
    total = Guest.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(EXPECTED_SQL, {"m": DAY.month, "d": DAY.day})
        expected_birthdays, expected_family = cursor.fetchone()
    Notification.objects.filter(occasion_date=DAY).delete()

    t0 = time.perf_counter()
    selected = greetings.guests_with_birthday(day=DAY).count()
    select_s = time.perf_counter() - t0

    chunks = 0
    queued: list[int] = []
    # Count the deliveries the run would queue instead of publishing them to a broker with no
    # worker; publishing costs about a millisecond per message on top of the figures below.
    saved_queue = messaging._queue_sends
    messaging._queue_sends = queued.extend

    def record(kind: str, ids: list[int], on: date) -> None:
        nonlocal chunks
        chunks += 1
        greetings.greetings_send_chunk(kind=kind, ids=ids, day=on)

    try:
        t0 = time.perf_counter()
        counts = greetings.greetings_fan_out(day=DAY, enqueue=record)
        run_s = time.perf_counter() - t0
        recorded = Notification.objects.filter(occasion_date=DAY).count()

        t0 = time.perf_counter()
        greetings.greetings_fan_out(day=DAY, enqueue=record)  # the same day again: nothing new
        rerun_s = time.perf_counter() - t0
    finally:
        messaging._queue_sends = saved_queue
    recorded_again = Notification.objects.filter(occasion_date=DAY).count()

    birthdays, family = counts[greetings.BIRTHDAY], counts[greetings.FAMILY_BIRTHDAY]
    if (birthdays, family) != (expected_birthdays, expected_family) or selected < birthdays:
        raise SystemExit(
            f"greetings bench: the run found {birthdays} birthdays and {family} family "
            f"birthdays, the rows say {expected_birthdays} and {expected_family}"
        )
    if recorded_again != recorded:
        raise SystemExit(f"greetings bench: the second run recorded {recorded_again - recorded}")

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        Figure(NAME, "guests in database", f"{total:,} (filled in {fill_s:.1f} s)"),
        Figure(NAME, f"birthdays selected on {DAY}", f"{selected:,} in {select_s * 1000:.0f} ms"),
        Figure(
            NAME,
            "whole day's run",
            f"{birthdays:,} birthdays + {family:,} family birthdays, {chunks} chunks, "
            f"{recorded:,} messages recorded in {run_s:.2f} s",
        ),
        Figure(NAME, "same day again (records nothing)", f"{rerun_s:.2f} s"),
        Figure(NAME, "peak memory of the process", f"{peak_mb:.0f} MB"),
    ]


def main() -> None:
    django_setup()
    print(table(run(int(os.environ.get("BENCH_GUESTS", "1000000")))))


if __name__ == "__main__":
    main()
