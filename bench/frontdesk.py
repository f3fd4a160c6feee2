"""Benchmark: the front desk at a big hotel group's size.

    BENCH_DESK_GUESTS=100000 make bench          # or, alone:
    DEBUG=1 DATABASE_URL=postgres://…/grc_bench python bench/frontdesk.py --guests 1000000

Seeds N guests (half with Chinese names, half Latin, one VIP in fifty), a phone each, two
stays each (one guest in a thousand arriving today), a loyalty account for three in ten, with
INSERT … SELECT generate_series; names, their search text and short name pieces come from
the same code the app uses (guests.services.guest_search_fields). Then, through Django's test
client as a signed-in front-desk agent (the whole request: middleware, view, template), times
every lookup kind — Latin and Chinese names of 1–4 characters, phone tails and whole numbers,
e-mail, room, member number, the as-you-type fragment — and the home page with today's
arrivals. Prints p50 / p95 server time per kind and the queries each request made, with the
machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, analyze, django_setup, table  # noqa: E402

NAME = "front desk"
TAG = "desk"

LATIN_FAMILY = [
    "Wang",
    "Li",
    "Zhang",
    "Liu",
    "Chen",
    "Yang",
    "Huang",
    "Zhao",
    "Wu",
    "Zhou",
    "Xu",
    "Sun",
    "Ma",
    "Zhu",
    "Hu",
    "Guo",
    "He",
    "Lin",
    "Luo",
    "Gao",
    "Smith",
    "Martin",
    "Miller",
    "Brown",
    "Jones",
    "Garcia",
    "Muller",
    "Martinez",
    "Moreau",
    "Rossi",
    "Tanaka",
    "Kim",
    "Marsh",
    "Mason",
]
LATIN_GIVEN = [
    "Wei",
    "Fang",
    "Min",
    "Jing",
    "Lei",
    "Jun",
    "Yan",
    "Ming",
    "Hui",
    "Mark",
    "Mary",
    "Maria",
    "Matthew",
    "James",
    "John",
    "Anna",
    "Sophie",
    "Thomas",
    "David",
    "Emma",
    "Laura",
    "Marco",
    "Mia",
    "Hannah",
    "Peter",
    "Paul",
    "Lucas",
    "Noah",
    "Olivia",
    "Chloe",
    "Marta",
    "Malik",
]
CJK_FAMILY = [*"王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯于董萧程曹", "欧阳", "司马"]
CJK_GIVEN = [
    "伟",
    "芳",
    "敏",
    "静",
    "磊",
    "军",
    "艳",
    "明",
    "慧",
    "建华",
    "秀英",
    "志强",
    "晓明",
    "海燕",
    "俊杰",
    "丽娟",
    "文博",
    "子涵",
    "梓萱",
    "浩然",
    "欣怡",
    "宇轩",
    "一诺",
    "思远",
    "家豪",
    "雨桐",
    "国强",
    "美玲",
    "建国",
    "春梅",
]


def names() -> list[tuple[str, str, str, str, str, list[str]]]:
    """(family, given, name order, salutation, search text, name pieces), as the app makes them."""
    from guests.models import Guest
    from guests.services import guest_search_fields

    rows = []
    for family in LATIN_FAMILY:
        for given in LATIN_GIVEN:
            rows.append((family, given, Guest.NameOrder.GIVEN_FIRST, f"Mx. {family}"))
    for family in CJK_FAMILY:
        for given in CJK_GIVEN:
            rows.append((family, given, Guest.NameOrder.FAMILY_FIRST, f"{family}先生"))
    out = []
    for family, given, order, salutation in rows:
        guest = Guest(family_name=family, given_name=given, name_order=order, salutation=salutation)
        guest_search_fields(guest)
        out.append((family, given, order, salutation, guest.search_text, guest.name_grams))
    return out


SEED_SQL = """
INSERT INTO guests_guest (family_name, given_name, name_order, salutation, gender, birth_month,
    birth_day, nationality, preferred_language, email, preferred_channel, greetings_consent,
    marketing_consent, vip_level, tags, notes, stage, search_text, name_grams, created_at,
    updated_at)
SELECT n.family, n.given, n.name_order, n.salutation, '', 1 + i %% 12, 1 + i %% 28, 'CN', 'en',
       %(prefix)s || i || '@guest.test', 'email', true, false,
       CASE WHEN i %% 50 = 0 THEN 1 + i %% 3 ELSE 0 END, %(tags)s::jsonb, '', 'past',
       n.search_text, n.grams, now(), now()
FROM generate_series(%(first)s, %(last)s) AS i
JOIN bench_names n ON n.k = i %% %(names)s
"""
# Rows made for guests first..last (found by their e-mail number).
PER_GUEST_SQL = """
WITH g AS (
    SELECT id, substr(split_part(email, '@', 1), 5)::int AS i FROM guests_guest
    WHERE tags @> '["desk"]'::jsonb AND email LIKE 'desk%%'
      AND substr(split_part(email, '@', 1), 5)::int BETWEEN %(first)s AND %(last)s
), phones AS (
    INSERT INTO guests_guestphone (guest_id, number, digits_reversed, label, is_primary)
    SELECT id, '+86 139 ' || lpad(i::text, 8, '0'), reverse('86139' || lpad(i::text, 8, '0')),
           'mobile', true FROM g
), stays AS (
    INSERT INTO guests_stay (guest_id, arrival, departure, room_number, room_type, rate_plan,
        spend_room, spend_fb, spend_other, currency, source, created_at, updated_at)
    SELECT id, a.arrival, a.arrival + 2, (100 + i %% 1800)::text, '', '', 0, 0, 0, 'CNY', '',
           now(), now()
    FROM g CROSS JOIN LATERAL (VALUES
        (%(today)s::date - (30 + (i * 7) %% 700)),
        (CASE WHEN i %% 1000 = 0 THEN %(today)s::date
              ELSE %(today)s::date - (1 + (i * 13) %% 29) END)
    ) AS a(arrival)
)
INSERT INTO loyalty_member (number, status, enrolled_at, enrolment_source, balance, tier_since,
    guest_id, tier_id)
SELECT 'B' || lpad(i::text, 9, '0'), 'active', now(), 'front_desk', 0, now(), id, %(tier)s
FROM g WHERE i %% 10 < 3
"""


def guests_seed(cursor, *, have: int, n: int, tag: str, today, per_chunk) -> None:
    """Guests have+1 … n tagged `tag` (e-mail `<tag><i>@guest.test`), in chunks of 200,000 with
    the app's own names; `per_chunk(params)` adds each chunk's own rows (stays, phones …)."""
    rows = names()
    cursor.execute(
        "CREATE TEMP TABLE IF NOT EXISTS bench_names (k int, family text, given text,"
        " name_order text, salutation text, search_text text, grams varchar(2)[])"
    )
    cursor.execute("TRUNCATE bench_names")
    cursor.executemany(
        "INSERT INTO bench_names VALUES (%s, %s, %s, %s, %s, %s, %s)",
        [(k, *row) for k, row in enumerate(rows)],
    )
    step = 200_000
    for first in range(have + 1, n + 1, step):
        params = {
            "first": first,
            "last": min(n, first + step - 1),
            "names": len(rows),
            "today": today,
            "prefix": tag,
            "tags": f'["{tag}"]',
        }
        cursor.execute(SEED_SQL, params)
        per_chunk(params)
    cursor.execute("DROP TABLE bench_names")


def seed(n: int) -> float:
    from django.db import connection
    from django.utils import timezone

    from guests.models import Guest
    from guests.services import guest_stay_summary_refresh
    from loyalty.models import Tier

    started = time.monotonic()
    have = Guest.objects.filter(tags__contains=[TAG]).count()
    if have >= n:
        return 0.0
    today = timezone.localdate()
    tier = Tier.objects.order_by("pk").values_list("pk", flat=True).first()
    with connection.cursor() as cursor:
        guests_seed(
            cursor,
            have=have,
            n=n,
            tag=TAG,
            today=today,
            per_chunk=lambda params: cursor.execute(PER_GUEST_SQL, {**params, "tier": tier}),
        )
    # what the services that write stays keep (here for every guest at once)
    guest_stay_summary_refresh(guest_ids=None, today=today)
    analyze(["guests_guest", "guests_stay", "guests_guestphone", "loyalty_member"])
    members_valid(20)
    return time.monotonic() - started


def members_valid(count: int) -> None:
    """A few accounts with real (check-digit) numbers, for the member-number lookup."""
    from loyalty.models import Member
    from loyalty.numbers import MEMBER_NUMBER_LENGTH, luhn_valid

    for member in Member.objects.filter(number__startswith="B").order_by("pk")[:count]:
        body = f"77{member.pk:0{MEMBER_NUMBER_LENGTH - 3}d}"
        number = next(body + str(d) for d in range(10) if luhn_valid(body + str(d)))
        Member.objects.filter(pk=member.pk).update(number=number)


def cases() -> list[tuple[str, str, dict]]:
    """(kind, path, headers) for every lookup kind and the home page."""
    from django.utils import timezone

    from guests.models import Guest, Stay
    from loyalty.models import Member

    today = timezone.localdate()
    room = (
        Stay.objects.filter(arrival__lte=today, departure__gt=today, guest__tags__contains=[TAG])
        .values_list("room_number", flat=True)
        .first()
    )
    guest = Guest.objects.filter(tags__contains=[TAG]).order_by("pk").first()
    phone = guest.phones.first().number if guest else ""
    member = Member.objects.filter(number__startswith="77").values_list("number", flat=True)
    search = "/guests/search/?q="
    htmx = {"HTTP_HX_REQUEST": "true"}
    out = [
        ("Latin name, 1 letter (m)", search + "m", {}),
        ("Latin name, 2 letters (ma)", search + "ma", {}),
        ("Latin name, 3 letters (wan)", search + "wan", {}),
        ("Latin name, 4 letters (mark)", search + "mark", {}),
        ("Latin full name (wei wang)", search + "wei+wang", {}),
        ("Chinese name, 1 character (陈)", search + "陈", {}),
        ("Chinese name, 2 characters (陈伟)", search + "陈伟", {}),
        ("Chinese name, 3 characters (陈建华)", search + "陈建华", {}),
        ("Chinese name, 4 characters (欧阳建华)", search + "欧阳建华", {}),
        ("phone tail (4 digits)", search + (phone[-4:] or "1234"), {}),
        ("phone, whole number", search + phone.replace(" ", ""), {}),
        ("e-mail", search + (guest.email if guest else "x@y.z"), {}),
        ("room", search + (room or "101"), {}),
        ("member number", search + (member.first() or "0"), {}),
        ("as-you-type fragment (ma)", search + "ma", htmx),
        ("as-you-type fragment (陈)", search + "陈", htmx),
        ("home page: today's arrivals", "/", {}),
    ]
    return out


# Kinds whose last request found no guest (the bench's data must make every kind find one).
_FOUND_NOBODY: list[str] = []


def found_nobody() -> list[str]:
    return list(_FOUND_NOBODY)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def sql_ms(queries: list[dict]) -> float:
    """The database's own execution time for a request's SELECTs (EXPLAIN ANALYZE of each, as
    captured): the part indexes decide, and what contention for the CPU distorts least."""
    from django.db import connection

    total = 0.0
    with connection.cursor() as cursor:
        for query in queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql.replace("%", "%%"))
            total += cursor.fetchone()[0][0]["Execution Time"]
    return total


def measure(repeats: int) -> list[tuple[str, float, float, float, float, int]]:
    """(kind, wall p50, wall p95, CPU p95 of this process, SQL p95, queries) per kind."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts import roles
    from accounts.models import Department, User

    desk, _ = User.objects.get_or_create(
        username="bench-desk", defaults={"department": Department.objects.order_by("pk").first()}
    )
    roles.roles_sync()
    desk.groups.add(Group.objects.get(name=roles.FRONT_DESK.name))
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(desk)
    _FOUND_NOBODY.clear()
    results = []
    for kind, path, headers in cases():
        client.get(path, **headers)  # warm: the plan and the pages in cache, as all day long
        times, cpu, sql = [], [], []
        queries = 0
        for i in range(repeats):
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(path, **headers)
                times.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
            queries = len(captured)
            if i < 10:
                sql.append(sql_ms(captured.captured_queries))
            if response.status_code != 200:
                raise SystemExit(f"{kind}: {path} answered {response.status_code}")
        marker = b"data-arrival=" if path == "/" else b'href="/guests/'
        if marker not in response.content:
            _FOUND_NOBODY.append(kind)
        results.append(
            (
                kind,
                statistics.median(times),
                percentile(times, 0.95),
                percentile(cpu, 0.95),
                percentile(sql, 0.95),
                queries,
            )
        )
    return results


def run(n: int, repeats: int = 40) -> list[Figure]:
    from guests.models import Guest

    seeded = seed(n)
    total = Guest.objects.filter(tags__contains=[TAG]).count()
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    figures = [
        Figure(NAME, "guests", f"{total:,} (seeded in {seeded:.0f} s); load average {load}"),
    ]
    for kind, p50, p95, cpu95, sql95, queries in measure(repeats):
        figures.append(
            Figure(
                NAME,
                kind,
                f"wall p50 {p50:.1f} / p95 {p95:.1f} ms; p95 app CPU {cpu95:.1f} ms + "
                f"SQL {sql95:.1f} ms; {queries} queries",
            )
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=40)
    args = parser.parse_args()
    django_setup()
    print(table(run(args.guests, args.repeats)))


if __name__ == "__main__":
    main()
