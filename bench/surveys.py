"""Seed N survey responses and time the Guest voice page and the Surveys list.

    DEBUG=1 DATABASE_URL=postgres://… python bench/surveys.py --responses 200000

Seeds bench guests, 1.25 × N stays spread over the last two years, a survey link for every
stay and answers for N of them (one INSERT … SELECT each), then requests the Guest voice page
as a manager through the test client (every middleware, the session, the templates) for a
90-day and a 365-day range, by week and by month, and reports the server time p50 / p95 and
the queries per request; then the Surveys list's first page. Run it again with --no-seed to
time the pages alone.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

NAME = "surveys"
BENCH_FAMILY = "SurveyBench"

STAYS_SQL = """
INSERT INTO guests_stay (
    guest_id, arrival, departure, room_number, room_type, rate_plan, spend_room, spend_fb,
    spend_other, currency, source, pms_reference, created_at, updated_at
)
SELECT
    (array[{guests}])[1 + g % {n_guests}],
    d.departure - 2, d.departure, (300 + g % 1500)::text, '', '', 0, 0, 0, 'CNY', '',
    'SB-' || g, now(), now()
FROM generate_series(1, {n_stays}) AS g
CROSS JOIN LATERAL (
    SELECT (current_date - 1 - ((g * 7919) % 730))::date AS departure
) d
"""

LINKS_SQL = """
INSERT INTO surveys_surveylink (stay_id, guest_id, sent_at, last_sent_at, times_sent)
SELECT s.id, s.guest_id, s.departure + time '10:00', s.departure + time '10:00', 1
FROM guests_stay s WHERE s.pms_reference LIKE 'SB-%'
"""

# Most guests happy, some neutral, a few angry; areas skipped now and then; comments on some.
RESPONSES_SQL = """
INSERT INTO surveys_surveyresponse (
    stay_id, guest_id, channel, language, overall, recommend, room, cleanliness, service, food,
    value, improve, praise, has_comment, department_id, submitted_at, needs_recovery,
    ticket_opened
)
SELECT
    s.id, s.guest_id, 'link', 'en', a.overall, a.recommend,
    CASE WHEN h % 7 = 0 THEN NULL ELSE greatest(1, least(5, a.overall + (h % 3) - 1)) END,
    CASE WHEN h % 5 = 0 THEN NULL ELSE greatest(1, least(5, a.overall + (h % 2))) END,
    greatest(1, least(5, a.overall + (h / 3 % 3) - 1)),
    CASE WHEN h % 3 = 0 THEN NULL ELSE greatest(1, least(5, a.overall - (h % 2))) END,
    CASE WHEN h % 4 = 0 THEN NULL ELSE a.overall END,
    CASE WHEN h % 6 = 0 THEN 'Bench comment ' || h ELSE '' END,
    CASE WHEN h % 9 = 0 THEN 'Thanks to the team' ELSE '' END,
    h % 6 = 0 OR h % 9 = 0,
    (array[{departments}])[1 + h % {n_departments}],
    s.departure + time '10:00' + (h % 72) * interval '1 hour',
    a.overall <= 2,
    false
FROM (
    SELECT id, guest_id, departure, ((id * 2654435761) % 1000003) AS h
    FROM guests_stay WHERE pms_reference LIKE 'SB-%' ORDER BY id LIMIT {n}
) s
CROSS JOIN LATERAL (
    SELECT CASE WHEN s.h % 100 < 55 THEN 5 WHEN s.h % 100 < 82 THEN 4
                WHEN s.h % 100 < 92 THEN 3 WHEN s.h % 100 < 97 THEN 2 ELSE 1 END AS overall,
           CASE WHEN s.h % 100 < 50 THEN 9 + s.h % 2 WHEN s.h % 100 < 80 THEN 7 + s.h % 2
                ELSE s.h % 7 END AS recommend
) a
"""


def seed(n: int) -> float:
    from django.db import connection

    from accounts.models import Department
    from guests.models import Guest

    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM surveys_surveyresponse WHERE stay_id IN "
            "(SELECT id FROM guests_stay WHERE pms_reference LIKE 'SB-%%')"
        )
        cursor.execute(
            "DELETE FROM surveys_surveylink WHERE stay_id IN "
            "(SELECT id FROM guests_stay WHERE pms_reference LIKE 'SB-%%')"
        )
        cursor.execute("DELETE FROM guests_stay WHERE pms_reference LIKE 'SB-%%'")
    n_guests = max(10, n // 4)
    have = Guest.objects.filter(family_name=BENCH_FAMILY).count()
    Guest.objects.bulk_create(
        [Guest(family_name=BENCH_FAMILY, given_name=f"G{i}") for i in range(have, n_guests)],
        batch_size=5000,
    )
    guests = list(
        Guest.objects.filter(family_name=BENCH_FAMILY).values_list("pk", flat=True)[:n_guests]
    )
    departments = list(Department.objects.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            STAYS_SQL.format(
                guests=",".join(map(str, guests)),
                n_guests=len(guests),
                n_stays=n + n // 4,
            )
        )
        cursor.execute(LINKS_SQL)
        cursor.execute(
            RESPONSES_SQL.format(
                n=n,
                departments=",".join(map(str, departments)),
                n_departments=len(departments),
            )
        )
        cursor.execute(
            "UPDATE surveys_surveylink l SET responded_at = r.submitted_at "
            "FROM surveys_surveyresponse r WHERE r.stay_id = l.stay_id "
            "AND l.responded_at IS NULL"
        )
        for table_name in ("guests_stay", "surveys_surveylink", "surveys_surveyresponse"):
            cursor.execute(f"ANALYZE {table_name}")
    return time.monotonic() - started


def manager_client():
    from django.contrib.auth.models import Group
    from django.test import Client

    from accounts import roles
    from accounts.models import Department, User

    roles.roles_sync()
    user, _ = User.objects.get_or_create(
        username="bench-voice-manager",
        defaults={"department": Department.objects.filter(code="management").first()},
    )
    user.groups.add(Group.objects.get(name=roles.MANAGER.name))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def timed(client, url: str, repeats: int) -> tuple[float, float, int]:
    """(p50 ms, p95 ms, queries) of the server's time for GET url."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm: templates compiled, connection open
    times = []
    queries = 0
    for _ in range(repeats):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, queries


def run(n: int, *, reseed: bool = True, repeats: int = 20) -> list[Figure]:
    from datetime import timedelta

    from django.utils import timezone

    from surveys.models import SurveyResponse

    figures = []
    if reseed:
        figures.append(Figure(NAME, f"seeding {n:,} responses", f"{seed(n):.1f} s"))
    client = manager_client()
    today = timezone.localdate()
    cases = []
    for days in (90, 365):
        start = today - timedelta(days=days - 1)
        for period in ("week", "month"):
            cases.append(
                (
                    f"Guest voice, {days} days by {period}",
                    f"/surveys/voice/?date_from={start}&date_to={today}&period={period}",
                    start,
                )
            )
    for label, url, start in cases:
        p50, p95, queries = timed(client, url, repeats)
        answers = SurveyResponse.objects.filter(submitted_at__date__gte=start).count()
        figures.append(
            Figure(
                NAME,
                label,
                f"p50 {p50:.0f} ms / p95 {p95:.0f} ms, {queries} queries, {answers:,} answers",
            )
        )
    for label, url in (
        ("Surveys list, first page", "/surveys/"),
        ("Surveys list, low scores with a comment", "/surveys/?band=low&has_comment=on"),
        (
            "Surveys list, room rated, last 30 days",
            f"/surveys/?area=room&date_from={today - timedelta(days=30)}",
        ),
    ):
        p50, p95, queries = timed(client, url, repeats)
        figures.append(
            Figure(NAME, label, f"p50 {p50:.0f} ms / p95 {p95:.0f} ms, {queries} queries")
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--responses", type=int, default=200_000)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()
    django_setup()
    print(table(run(args.responses, reseed=not args.no_seed, repeats=args.repeats)))


if __name__ == "__main__":
    main()
