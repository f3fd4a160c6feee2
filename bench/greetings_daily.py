"""Benchmark: the daily greeting run over a large guest base.

    make bench-greetings                 # 1,000,000 guests in the grc_bench database
    BENCH_GUESTS=200000 make bench-greetings

Fills the database with N guests (birthdays spread over the year, 80 % with consent, a family
member for one in five) using INSERT … SELECT generate_series, then times one day's run: the
indexed selection, the fan-out in chunks, and recording every message (the sending itself is
the mail server's time, not ours). Prints the figures quoted in README.md, and peak memory, to
show no step loads all guests.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grc.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from guests import greetings  # noqa: E402
from guests.models import Guest  # noqa: E402
from notifications import services as messaging  # noqa: E402
from notifications.models import Notification  # noqa: E402

DAY = date(2026, 5, 20)


def fill(n: int) -> None:
    have = Guest.objects.filter(tags__contains=["bench"]).count()
    with connection.cursor() as cursor:
        if have < n:
            cursor.execute(
                """
                INSERT INTO guests_guest (family_name, given_name, name_order, salutation, gender,
                    birth_month, birth_day, nationality, preferred_language, email,
                    preferred_channel, greetings_consent, marketing_consent, vip_level, tags, notes,
                    stage, search_text, created_at, updated_at)
                SELECT 'Bench' || i, 'Guest', 'given_first', 'Guest ' || i, '',
                       1 + (i %% 12), 1 + ((i / 12) %% 28), 'CN', 'en',
                       'bench' || i || '@guest.test',
                       'email', (i %% 5) <> 0, false, 0, '["bench"]'::jsonb, '', 'past',
                       'bench' || i, now(), now()
                FROM generate_series(%s, %s) AS i
                """,
                [have + 1, n],
            )
        cursor.execute(
            """
            INSERT INTO guests_familymember (guest_id, relation, name, birth_month, birth_day)
            SELECT id, 'son', 'Kid', 1 + abs(hashtext('m' || id)) % 12,
                   1 + abs(hashtext('d' || id)) % 28
            FROM guests_guest WHERE tags @> '["bench"]'::jsonb AND id % 5 = 1
            AND NOT EXISTS (SELECT 1 FROM guests_familymember f WHERE f.guest_id = guests_guest.id)
            """
        )
        cursor.execute("ANALYZE guests_guest; ANALYZE guests_familymember;")


def main() -> None:
    n = int(os.environ.get("BENCH_GUESTS", "1000000"))
    t0 = time.perf_counter()
    fill(n)
    print(
        f"guests in database: {Guest.objects.count():,} (filled in {time.perf_counter() - t0:.1f}s)"
    )
    Notification.objects.filter(occasion_date=DAY).delete()

    t0 = time.perf_counter()
    selected = greetings.guests_with_birthday(day=DAY).count()
    select_s = time.perf_counter() - t0

    chunks = 0
    queued: list[int] = []
    # Count the deliveries the run would queue instead of publishing them to a broker with no
    # worker; publishing costs about a millisecond per message on top of the figures below.
    messaging._queue_sends = queued.extend

    def record(kind: str, ids: list[int], on: date) -> None:
        nonlocal chunks
        chunks += 1
        greetings.greetings_send_chunk(kind=kind, ids=ids, day=on)

    t0 = time.perf_counter()
    counts = greetings.greetings_fan_out(day=DAY, enqueue=record)
    run_s = time.perf_counter() - t0
    recorded = Notification.objects.filter(occasion_date=DAY).count()

    t0 = time.perf_counter()
    greetings.greetings_fan_out(day=DAY, enqueue=record)  # the same day again: nothing new
    rerun_s = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"day {DAY}: {selected:,} birthdays selected in {select_s * 1000:.0f} ms")
    print(
        f"full run: {counts} in {chunks} chunks, {recorded:,} messages recorded "
        f"and queued for delivery in {run_s:.2f}s"
    )
    print(f"second run of the same day (records nothing new): {rerun_s:.2f}s")
    print(f"peak memory of this process: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
