"""Benchmark: the nightly valuation and churn radar, and the segment list, at a group's size.

    BENCH_VALUE_GUESTS=1000000 make bench          # or, alone:
    DEBUG=1 DATABASE_URL=postgres://…/grc_bench python bench/retention.py --guests 1000000

Seeds N guests (the front-desk benchmark's names) with three ended stays each, their own
rhythm (20–320 days between stays) and spend; nine in ten came back within their interval, one
in ten has drifted away (gone twice their interval and more); one in five has an account
manager. Then times the nightly run
(values_refresh: figures, quintiles and segments for every guest and company; radar_run: a
win-back task per newly noticed absence) with the process's peak memory, runs it again (the
second run must create no task), and times the segment-filtered guest list through Django's
test client as a manager: p50 / p95 server time per segment.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, analyze, django_setup, table  # noqa: E402

NAME = "guest value"
TAG = "value"

STAYS_SQL = """
WITH g AS (
    SELECT id, substr(split_part(email, '@', 1), 6)::int AS i FROM guests_guest
    WHERE tags @> '["value"]'::jsonb AND email LIKE 'value%%'
      AND substr(split_part(email, '@', 1), 6)::int BETWEEN %(first)s AND %(last)s
), rhythm AS (
    SELECT id, i, 20 + (i * 37) %% 300 AS gap FROM g
), paced AS (
    -- nine in ten come back within their usual interval; one in ten has drifted away
    SELECT id, i, gap, %(today)s::date - CASE WHEN i %% 10 = 0 THEN 2 * gap + 10 + i %% 50
                                             ELSE 1 + (i * 53) %% gap END AS last
    FROM rhythm
)
INSERT INTO guests_stay (guest_id, arrival, departure, room_number, room_type, rate_plan,
    spend_room, spend_fb, spend_other, currency, source, created_at, updated_at)
SELECT id, last - k * (gap + 2) - 2, last - k * (gap + 2), (100 + i %% 1800)::text, 'Deluxe',
       CASE WHEN i %% 7 = 0 THEN 'Food week' ELSE '' END,
       300 + (i * 17) %% 2000, (i * 7) %% 500, (i * 3) %% 200, 'CNY', '', now(), now()
FROM paced CROSS JOIN generate_series(0, 2) AS k
"""
MANAGERS_SQL = """
UPDATE guests_guest SET account_manager_id = (%(managers)s::int[])[1 + id %% %(count)s]
WHERE tags @> '["value"]'::jsonb AND id %% 5 = 0
"""


def seed(n: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from accounts import roles
    from accounts.models import User
    from bench.frontdesk import guests_seed
    from guests.models import Guest
    from guests.services import guest_stay_summary_refresh

    started = time.monotonic()
    have = Guest.objects.filter(tags__contains=[TAG]).count()
    if have >= n:
        return 0.0
    today = timezone.localdate()
    with connection.cursor() as cursor:
        guests_seed(
            cursor,
            have=have,
            n=n,
            tag=TAG,
            today=today,
            per_chunk=lambda params: cursor.execute(STAYS_SQL, params),
        )
    roles.roles_sync()
    managers = []
    for k in range(8):
        user, _ = User.objects.get_or_create(username=f"bench-am{k}")
        user.groups.add(*roles_group(roles.ACCOUNT_MANAGER))
        managers.append(user.pk)
    with connection.cursor() as cursor:
        cursor.execute(MANAGERS_SQL, {"managers": managers, "count": len(managers)})
    # fresh statistics first: without them the summary's per-guest look-up of stays is planned
    # as a scan of every stay, for each of a million guests
    analyze(["guests_guest", "guests_stay"])
    guest_stay_summary_refresh(guest_ids=None, today=today)
    analyze(["guests_guest", "guests_stay"])
    return time.monotonic() - started


def roles_group(role):
    from django.contrib.auth.models import Group

    return Group.objects.filter(name=role.name)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def nightly() -> tuple[float, dict]:
    from django.utils import timezone

    from retention.services.radar import radar_run
    from retention.services.valuation import values_refresh

    today = timezone.localdate()
    started = time.monotonic()
    counts = {**values_refresh(today=today).__dict__, **radar_run(today=today)}
    return time.monotonic() - started, counts


def list_times(repeats: int) -> list[tuple[str, float, float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts import roles
    from accounts.models import User
    from retention.models import Segment

    user, _ = User.objects.get_or_create(username="bench-value-manager")
    user.groups.add(*roles_group(roles.MANAGER))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    out = []
    for segment in [s.value for s in Segment] + [""]:
        times = []
        queries = 0
        for n in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get("/guest-value/", {"segment": segment, "page": 1 + n % 3})
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            queries = len(captured)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        out.append((segment or "all", statistics.median(times), p95, queries))
    return out


def run(n: int, repeats: int = 30) -> list[Figure]:
    from guests.models import Guest, Stay
    from retention.models import WinBack

    seeded = seed(n)
    guests = Guest.objects.filter(tags__contains=[TAG]).count()
    stays = Stay.objects.filter(guest__tags__contains=[TAG]).count()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    before = peak_mb()
    first, counts = nightly()
    after = peak_mb()
    analyze(["retention_guestvalue", "retention_companyvalue", "retention_winback"])
    second, again = nightly()
    if again["created"]:
        raise SystemExit(f"the second nightly run created {again['created']} tasks")
    tasks = WinBack.objects.count()
    figures = [
        Figure(
            NAME,
            "data",
            f"{guests:,} guests, {stays:,} stays (seeded in {seeded:.0f} s); load {load}",
        ),
        Figure(
            NAME,
            "nightly run",
            f"{first:.1f} s; peak memory {after:.0f} MB (+{after - before:.0f} MB); "
            f"{counts['guests']:,} valued, {counts['at_risk_guests']:,} at risk, "
            f"{counts['created']:,} win-back tasks",
        ),
        Figure(NAME, "nightly run again", f"{second:.1f} s; 0 new tasks ({tasks:,} in all)"),
    ]
    for segment, p50, p95, queries in list_times(repeats):
        figures.append(
            Figure(NAME, f"list: {segment}", f"p50 {p50:.1f} / p95 {p95:.1f} ms; {queries} queries")
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guests", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    django_setup()
    print(table(run(args.guests, args.repeats)))


if __name__ == "__main__":
    main()
