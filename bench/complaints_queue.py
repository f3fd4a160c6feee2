"""Seed N complaint tickets and time the queue queries, with their plans.

    DEBUG=1 DATABASE_URL=postgres://… python bench/complaints_queue.py --tickets 500000

Seeding uses one INSERT … SELECT generate_series (about a minute for 500,000 rows); run it again
with --no-seed to time the queries alone. Prints, per queue, the count and first-page times and
whether the plan uses an index, and the full EXPLAIN ANALYZE with --plans.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

NAME = "complaint queues"

SEED_SQL = """
INSERT INTO complaints_ticket (
    number, guest_name, room_number, department_id, category_id, severity, channel,
    description, kind, status, logged_by_id, assigned_to_id, escalated, ack_due_at,
    resolve_due_at, acknowledged_at, resolved_at, closed_at, close_reason, resolution_round,
    search_text, version, created_at, updated_at, escalation_reason
)
SELECT
    'B-' || lpad(g::text, 9, '0'),
    'Bench guest ' || (g % 9973),
    (300 + g % 1500)::text,
    (array[{departments}])[1 + g % {n_departments}],
    (array[{categories}])[1 + (g / 7) % {n_categories}],
    1 + g % 4,
    'in_person',
    'Bench complaint number ' || g || CASE WHEN g % 50 = 0 THEN ' bathtub' ELSE '' END,
    '',
    s.status,
    {user},
    CASE WHEN s.status = 'new' THEN NULL ELSE (array[{officers}])[1 + g % {n_officers}] END,
    false,
    c.created + interval '1 hour',
    c.created + interval '72 hours',
    CASE WHEN s.status = 'new' THEN NULL ELSE c.created + interval '20 minutes' END,
    CASE WHEN s.status IN ('resolved', 'closed') THEN c.created + interval '1 day' END,
    CASE WHEN s.status = 'closed' THEN c.created + interval '2 days' END,
    CASE WHEN s.status = 'closed' THEN 'feedback' ELSE '' END,
    CASE WHEN s.status IN ('resolved', 'closed') THEN 1 ELSE 0 END,
    'b-' || lpad(g::text, 9, '0') || ' bench guest ' || (g % 9973) || ' bench complaint number '
        || g || CASE WHEN g % 50 = 0 THEN ' bathtub' ELSE '' END,
    1,
    c.created,
    c.created,
    ''
FROM generate_series(1, {n}) AS g
CROSS JOIN LATERAL (
    -- Spread over three years; the newest 1% of tickets are the open ones, as in a real hotel.
    SELECT now() - (({n} - g) * interval '3 years' / {n}) AS created
) c
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN g > {n} * 0.99
            THEN (array['new', 'acknowledged', 'in_progress', 'reopened'])[1 + g % 4]
        WHEN g % 10 = 0 THEN 'resolved'
        ELSE 'closed'
    END AS status
) s
"""


def seed(n: int) -> float:
    from django.db import connection

    from accounts.models import Department, User
    from complaints.models import Category

    user = User.objects.order_by("pk").first()
    if user is None:
        sys.exit("Run `manage.py seed_demo` first: the bench needs staff users.")
    officers = list(User.objects.values_list("pk", flat=True)[:5])
    departments = list(Department.objects.values_list("pk", flat=True))
    categories = list(Category.objects.values_list("pk", flat=True))
    sql = SEED_SQL.format(
        n=n,
        **{
            "departments": ",".join(map(str, departments)),
            "n_departments": len(departments),
            "categories": ",".join(map(str, categories)),
            "n_categories": len(categories),
            "officers": ",".join(map(str, officers)),
            "n_officers": len(officers),
            "user": user.pk,
        },
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_ticket WHERE number LIKE 'B-%'")
        cursor.execute(sql)
        cursor.execute("ANALYZE complaints_ticket")
    return time.monotonic() - started


def _index_names(line: str) -> list[str]:
    line = line.strip().lstrip("-> ").strip()
    if " using " in line and "Index" in line:
        return [line.split(" using ", 1)[1].split(" on ")[0]]
    if line.startswith("Bitmap Index Scan on "):
        return [line.split(" on ", 1)[1].split(" ")[0]]
    return []


def explain(queryset) -> tuple[float, str]:
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    ms = float(plan.rsplit("Execution Time: ", 1)[1].split(" ms")[0])
    return ms, plan


def run(n: int, *, reseed: bool = True, plans: bool = False) -> list[Figure]:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from complaints.models import Category
    from complaints.selectors import ticket_queue

    figures = []
    if reseed:
        figures.append(Figure(NAME, f"seeding {n:,} tickets", f"{seed(n):.1f} s"))
    officer = User.objects.get(username="officer")
    head = User.objects.get(username="hkhead")
    today = timezone.localdate()
    cases = [
        ("officer: all open, newest", officer, "open", {}, "newest"),
        ("officer: my tickets", officer, "mine", {}, "newest"),
        ("officer: overdue, due soonest", officer, "overdue", {}, "due"),
        ("officer: awaiting approval", officer, "approval", {}, "newest"),
        ("officer: all, newest", officer, "all", {}, "newest"),
        ("officer: all, search 'bathtub'", officer, "all", {"q": "bathtub"}, "newest"),
        ("officer: all, number", officer, "all", {"q": "C-2026-000001"}, "newest"),
        (
            "officer: all, category + last 30 days",
            officer,
            "all",
            {
                "category": Category.objects.get(code="noise"),
                "date_from": today - timezone.timedelta(days=30),
            },
            "newest",
        ),
        ("dept head: my department (open)", head, "department", {}, "newest"),
        ("dept head: all of theirs, newest", head, "all", {}, "newest"),
    ]
    for label, user, queue, filters, sort in cases:
        qs = ticket_queue(user=user, queue=queue, filters=filters, sort=sort)
        with connection.cursor() as cursor:
            started = time.monotonic()
            sql, params = qs.order_by().query.sql_with_params()
            # as the queue page counts: up to CappedPaginator.COUNT_CAP rows
            cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT 10001) q", params)
            total = cursor.fetchone()[0]
            count_ms = (time.monotonic() - started) * 1000
        page_ms, page_plan = explain(qs[:25])
        indexes = sorted(
            {word.strip() for line in page_plan.splitlines() for word in _index_names(line)}
        )
        seq = "Seq Scan on complaints_ticket" in page_plan
        figures.append(
            Figure(
                NAME,
                label,
                f"count {count_ms:.1f} ms / page {page_ms:.1f} ms, {total} rows, "
                f"{', '.join(indexes) or 'no index'}{' (SEQ SCAN)' if seq else ''}",
            )
        )
        if plans:
            print(page_plan, "\n")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=500_000)
    parser.add_argument("--no-seed", action="store_true")
    parser.add_argument("--plans", action="store_true")
    args = parser.parse_args()
    django_setup()
    print(table(run(args.tickets, reseed=not args.no_seed, plans=args.plans)))


if __name__ == "__main__":
    main()
