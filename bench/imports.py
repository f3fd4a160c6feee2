"""Benchmark: importing a PMS export of 100,000 rows (guests and their stays).

    make bench-imports                       # 100,000 rows in the bench database
    BENCH_IMPORT_ROWS=20000 make bench-imports

Writes a CSV file of N rows (N/2 guests with two stays each: profile number, name, phone,
e-mail, an ID document for one guest in three, reservation number, dates, room, room type,
spend), then times what a manager's import does: the check of every row, the import in chunks
(in this process, as the worker runs it), and the same file imported again (every row
unchanged). Peak memory is the process's, to show the file is streamed, never held whole.

The floor beside it: PostgreSQL COPY of the same guests and stays into tables shaped like
guests_guest and guests_stay, with the same indexes, created for the run and dropped after.

The counts are checked against the file (N/2 guests and N stays new, then N unchanged), so a
run that silently writes nothing stops with an error instead of printing a fast time. The stay
hooks (loyalty's points, one task per chunk) are switched off for the run: no worker here.
"""

from __future__ import annotations

import csv
import io
import os
import resource
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

NAME = "imports"
HEADER = [
    "guest_ref",
    "name",
    "phone",
    "email",
    "document",
    "stay_ref",
    "arrival",
    "departure",
    "room_number",
    "room_type",
    "rate_plan",
    "spend_room",
    "spend_fb",
]
ROOM_TYPES = ["Deluxe King", "Deluxe Twin", "Executive King", "Junior Suite", "Harbour Suite"]
START = date(2024, 1, 1)


def rows(n: int, prefix: str, phone_base: int):
    for k in range(n):
        guest = k // 2
        arrival = START + timedelta(days=(guest * 7 + (k % 2) * 180) % 700)
        yield [
            f"{prefix}-P{guest}",
            f"Bench{guest} Guest{prefix}",
            f"139{phone_base + guest:08d}",
            f"{prefix}.{guest}@bench.test",
            f"{prefix}D{guest:09d}" if guest % 3 == 0 else "",
            f"{prefix}-R{k}",
            arrival.isoformat(),
            (arrival + timedelta(days=1 + k % 4)).isoformat(),
            str(1000 + k % 800),
            ROOM_TYPES[k % 5],
            "BAR",
            f"{600 + k % 900}.00",
            f"{k % 300}.50",
        ]


def write_file(path: Path, n: int, prefix: str, phone_base: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows(n, prefix, phone_base))


COPY_TABLES = """
CREATE TABLE bench_copy_guest (LIKE guests_guest INCLUDING ALL);
CREATE TABLE bench_copy_stay (LIKE guests_stay INCLUDING ALL);
"""


def copy_floor(n: int, prefix: str, phone_base: int) -> float:
    """Seconds PostgreSQL's COPY takes to load the same guests and stays (the floor)."""
    from django.db import connection

    guests, stays = io.StringIO(), io.StringIO()
    g = csv.writer(guests)
    s = csv.writer(stays)
    now = "2026-01-01 00:00:00+00"
    for row in rows(n, prefix, phone_base):
        k = int(row[5].rsplit("R", 1)[1])
        guest = k // 2
        if k % 2 == 0:
            family, given = row[1].split(" ")[1], row[1].split(" ")[0]
            g.writerow(
                [
                    guest + 1,
                    family,
                    given,
                    "given_first",
                    "",
                    "",
                    "",
                    "zh-hans",
                    row[3],
                    "email",
                    "f",
                    "f",
                    0,
                    "[]",
                    "",
                    "past",
                    f"{given} {family}".lower(),
                    "{}",
                    now,
                    now,
                    2,
                ]
            )
        s.writerow(
            [
                k + 1,
                guest + 1,
                row[6],
                row[7],
                row[8],
                row[9],
                row[10],
                row[11],
                row[12],
                "0",
                "CNY",
                "",
                row[5],
                now,
                now,
            ]
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy_guest, bench_copy_stay")
        cursor.execute(COPY_TABLES)
        raw = cursor.cursor
        started = time.perf_counter()
        guests.seek(0)
        raw.copy_expert(
            "COPY bench_copy_guest (id, family_name, given_name, name_order, salutation, gender,"
            " nationality, preferred_language, email, preferred_channel, greetings_consent,"
            " marketing_consent, vip_level, tags, notes, stage, search_text, name_grams,"
            " created_at, updated_at, completed_stays) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            guests,
        )
        stays.seek(0)
        raw.copy_expert(
            "COPY bench_copy_stay (id, guest_id, arrival, departure, room_number, room_type,"
            " rate_plan, spend_room, spend_fb, spend_other, currency, source, pms_reference,"
            " created_at, updated_at) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            stays,
        )
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_copy_guest, bench_copy_stay")
    return elapsed


def run(n: int) -> list[Figure]:
    from django.conf import settings

    from accounts import roles
    from accounts.models import User
    from core import seams
    from guests.models import Guest, Stay
    from imports import services
    from imports.models import ImportRun

    n -= n % 2
    load_before = os.getloadavg()[0]
    prefix = uuid.uuid4().hex[:6]
    phone_base = ImportRun.objects.count() * n % 90_000_000
    user = User.objects.filter(groups__name=roles.MANAGER.name).first() or User.objects.create(
        username=f"bench-import-{prefix}"
    )
    saved_hooks = seams.stay_hooks.snapshot()
    saved_dir = settings.IMPORT_FILE_DIR
    with tempfile.TemporaryDirectory() as folder:
        settings.IMPORT_FILE_DIR = Path(folder)
        source = Path(folder) / "source.csv"
        try:
            seams.stay_hooks.restore({})
            write_file(source, n, prefix, phone_base)
            size_mb = source.stat().st_size / 1e6
            guests_before, stays_before = Guest.objects.count(), Stay.objects.count()

            cpu_s: list[float] = []  # this process's CPU time (the rest: PostgreSQL, waiting)

            def import_once() -> tuple[ImportRun, float, float]:
                from django.core.files.uploadedfile import UploadedFile

                # As the web server hands it over: a file on disk, copied in chunks.
                with open(source, "rb") as handle:
                    upload = UploadedFile(handle, name="bench.csv", size=source.stat().st_size)
                    run_ = services.run_create(by=user, upload=upload)
                started = time.perf_counter()
                run_ = services.run_check(run=run_, mapping=run_.mapping)
                checked = time.perf_counter() - started
                ImportRun.objects.filter(pk=run_.pk).update(status=ImportRun.Status.QUEUED)
                started, cpu = time.perf_counter(), time.process_time()
                done = services.run_execute(run_id=run_.pk)
                imported = time.perf_counter() - started
                cpu_s.append(time.process_time() - cpu)
                assert done is not None
                return done, checked, imported

            first, check_s, import_s = import_once()
            again, _check2, again_s = import_once()
            peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        finally:
            seams.stay_hooks.restore(saved_hooks)
            settings.IMPORT_FILE_DIR = saved_dir
    new_guests = Guest.objects.count() - guests_before
    new_stays = Stay.objects.count() - stays_before
    if (first.status, first.created_count, new_guests, new_stays) != ("done", n, n // 2, n):
        raise SystemExit(
            f"imports bench: {first.status}, {first.created_count} rows new, {new_guests} guests "
            f"and {new_stays} stays written; the file has {n // 2} guests and {n} stays"
        )
    if (again.unchanged_count, again.created_count, again.updated_count) != (n, 0, 0):
        raise SystemExit(f"imports bench: the same file again was not unchanged: {again}")
    copy_s = copy_floor(n, prefix, phone_base)
    return [
        Figure(NAME, "file", f"{n:,} rows, {n // 2:,} guests, {size_mb:.1f} MB CSV"),
        Figure(NAME, "check every row (preview)", f"{check_s:.1f} s"),
        Figure(
            NAME,
            "import (guests + stays + change log)",
            f"{import_s:.1f} s, {n / import_s:,.0f} rows/s (CPU here {cpu_s[0]:.1f} s)",
        ),
        Figure(NAME, "same file again (all unchanged)", f"{again_s:.1f} s (CPU {cpu_s[1]:.1f} s)"),
        Figure(NAME, "PostgreSQL COPY of the same rows (floor)", f"{copy_s:.1f} s"),
        Figure(NAME, "peak memory of the process", f"{peak_mb:.0f} MB"),
        Figure(
            NAME, "load average before / after", f"{load_before:.1f} / {os.getloadavg()[0]:.1f}"
        ),
    ]


def main() -> None:
    django_setup()
    print(table(run(int(os.environ.get("BENCH_IMPORT_ROWS", "100000")))))


if __name__ == "__main__":
    main()
