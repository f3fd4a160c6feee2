"""Benchmark: duplicate suggestions and a merge over a large guest base.

    BENCH_DUP_GUESTS=1000000 python bench/duplicates.py      # or make bench (1,000,000)

Fills the database with N guests (tagged "dupbench") by INSERT … SELECT generate_series, with
known duplicates planted: every 100th guest shares the previous one's e-mail, another every
100th their phone number; every 1,000th shares name (swapped order) and birthday, another the
name and company, another an identity document (each pair planted once, for one rule). Then
times the nightly set-based refresh (first run, and again when nothing changed), one guest's
live suggestions (the guest card), the Duplicates list's first and a deep page, and merging
one planted pair (rolled back, so the bench can run again). The pairs found are checked
against the planted counts, so a refresh that finds nothing stops with an error.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

NAME = "duplicates"
TAG = "dupbench"

# k: the guest whose name a planted twin copies (i % 1000 = 510 copies i - 1, swapped order;
# = 710 copies i - 1 at the same company).
GUESTS_SQL = """
INSERT INTO guests_guest (family_name, given_name, name_order, salutation, gender,
    birth_month, birth_day, nationality, preferred_language, email,
    preferred_channel, greetings_consent, marketing_consent, vip_level, tags, notes,
    stage, search_text, name_grams, company_id, created_at, updated_at)
SELECT CASE WHEN i %% 1000 = 510 THEN 'G' || ((i - 1) %% 7) ELSE 'Dup' || k END,
       CASE WHEN i %% 1000 = 510 THEN 'Dup' || (i - 1) ELSE 'G' || (k %% 7) END,
       'given_first', '', '',
       1 + (k %% 12), 1 + ((k / 12) %% 28), 'CN', 'en',
       'dupbench' || CASE WHEN i %% 100 = 0 THEN i - 1 ELSE i END || '@guest.test',
       'email', true, false, 0, '["dupbench"]'::jsonb, '', 'past',
       'dup' || i, ARRAY['d', 'du']::varchar(2)[],
       CASE WHEN i %% 1000 IN (709, 710) THEN %(company)s END, now(), now()
FROM generate_series(%(first)s, %(last)s) AS i
CROSS JOIN LATERAL (SELECT CASE WHEN i %% 1000 IN (510, 710) THEN i - 1 ELSE i END AS k) kk
"""
# Guest i is the i-th dupbench guest (their ids are consecutive from the first one's).
PHONES_SQL = """
INSERT INTO guests_guestphone (guest_id, number, digits_reversed, label, is_primary)
SELECT %(base)s + i - 1, '+86139' || lpad(p::text, 8, '0'),
       reverse('86139' || lpad(p::text, 8, '0')), '', true
FROM generate_series(%(first)s, %(last)s) AS i
CROSS JOIN LATERAL (SELECT CASE WHEN i %% 100 = 50 THEN i - 1 ELSE i END AS p) pp
"""
DOCUMENTS_SQL = """
INSERT INTO guests_guestdocument (guest_id, kind, number, country, created_at)
SELECT %(base)s + i - 1, 'id_card', 'DOC' || (CASE WHEN i %% 1000 = 910 THEN i - 1 ELSE i END),
       'CN', now()
FROM generate_series(%(first)s, %(last)s) AS i WHERE i %% 1000 IN (909, 910)
"""


def fill(n: int) -> int:
    """Fill up to n dupbench guests; returns the first one's id."""
    from django.db import connection

    from guests.models import Company, Guest

    company, _created = Company.objects.get_or_create(name="Dupbench Trading")
    have = Guest.objects.filter(tags__contains=[TAG]).count()
    with connection.cursor() as cursor:
        if have < n:
            cursor.execute(GUESTS_SQL, {"first": have + 1, "last": n, "company": company.pk})
        cursor.execute("SELECT min(id) FROM guests_guest WHERE tags @> '[\"dupbench\"]'")
        base = cursor.fetchone()[0]
        if have < n:
            args = {"first": have + 1, "last": n, "base": base}
            cursor.execute(PHONES_SQL, args)
            cursor.execute(DOCUMENTS_SQL, args)
        cursor.execute("ANALYZE guests_guest; ANALYZE guests_guestphone;")
        cursor.execute("ANALYZE guests_guestdocument;")
    return base


def planted(n: int) -> int:
    """Pairs the fill plants (each rule's twins are distinct pairs)."""
    return n // 100 * 2 + n // 1000 * 3


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def run(n: int) -> list[Figure]:
    from django.core.paginator import Paginator
    from django.db import connection, transaction

    from guests.duplicates import (
        duplicate_pair_ids_open,
        duplicate_pairs_by_ids,
        duplicate_pairs_open,
        duplicates_for_guest,
        duplicates_refresh,
    )
    from guests.merge import guest_merge
    from guests.models import DuplicatePair, Guest

    t0 = time.perf_counter()
    base = fill(n)
    fill_s = time.perf_counter() - t0
    total = Guest.objects.count()

    DuplicatePair.objects.filter(guest_a__tags__contains=[TAG], dismissed_at__isnull=True).delete()
    t0 = time.perf_counter()
    first = duplicates_refresh()
    refresh_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = duplicates_refresh()
    rerun_s = time.perf_counter() - t0
    found = DuplicatePair.objects.filter(guest_a__tags__contains=[TAG]).count()
    if found < planted(n):
        raise SystemExit(f"duplicates bench: {found} pairs found, {planted(n)} planted")

    rng = random.Random(18)
    timings = []
    for _ in range(50):
        guest = Guest.objects.get(pk=base + rng.randrange(n))
        t0 = time.perf_counter()
        duplicates_for_guest(guest=guest)
        timings.append(time.perf_counter() - t0)
    twin = Guest.objects.get(pk=base + 99)  # guest 100 shares guest 99's e-mail
    t0 = time.perf_counter()
    suggestions = duplicates_for_guest(guest=twin)
    twin_s = time.perf_counter() - t0
    if not suggestions:
        raise SystemExit("duplicates bench: guest 100's twin was not suggested")

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE guests_duplicatepair")

    def list_page(number: int) -> tuple[Paginator, float]:
        """As the Duplicates page reads it: a page of ids, then those pairs and guests."""
        t0 = time.perf_counter()
        pager = Paginator(duplicate_pair_ids_open(), 50)
        page = pager.get_page(number)
        pairs = duplicate_pairs_by_ids(list(page.object_list))
        [(p.guest_a.display_name, p.guest_b.display_name) for p in pairs]
        return pager, time.perf_counter() - t0

    pager, first_page_s = list_page(1)
    deep = max(1, pager.num_pages // 2)
    _pager, deep_page_s = list_page(deep)

    pair = duplicate_pairs_open().filter(guest_a__tags__contains=[TAG]).first()
    with transaction.atomic():
        t0 = time.perf_counter()
        guest_merge(kept_id=pair.guest_a_id, merged_id=pair.guest_b_id, by=None)
        merge_s = time.perf_counter() - t0
        transaction.set_rollback(True)

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    p50 = statistics.median(timings)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    return [
        Figure(NAME, "guests in database", f"{total:,} (filled in {fill_s:.1f} s)"),
        Figure(
            NAME,
            "nightly refresh, whole hotel",
            f"{found:,} pairs ({planted(n):,} planted) stored in {refresh_s:.2f} s "
            f"(+{first['saved']:,})",
        ),
        Figure(NAME, "refresh again, nothing changed", f"{rerun_s:.2f} s (+{again['saved']})"),
        Figure(NAME, "one guest's suggestions (card)", f"p50 {ms(p50)}, p95 {ms(p95)}"),
        Figure(NAME, "a guest with a twin", ms(twin_s)),
        Figure(NAME, "list: count + first page of 50", ms(first_page_s)),
        Figure(NAME, f"list: page {deep:,} of {pager.num_pages:,}", ms(deep_page_s)),
        Figure(NAME, "merge one pair (all hooks, refresh)", ms(merge_s)),
        Figure(NAME, "peak memory of the process", f"{peak_mb:.0f} MB"),
    ]


def main() -> None:
    django_setup()
    print(table(run(int(os.environ.get("BENCH_DUP_GUESTS", "1000000")))))


if __name__ == "__main__":
    main()
