"""`make bench`: every benchmark at its documented size, one table of figures.

    make bench                                   # in the database BENCH_DATABASE_URL names
    BENCH_GUESTS=200000 BENCH_TICKETS=100000 make bench

Sizes come from the environment (defaults are the README's): BENCH_TICKETS for the complaint
queues, BENCH_GUESTS for the greeting run, BENCH_DESK_GUESTS for the front desk,
BENCH_PAGES_GUESTS for the CPU per page, BENCH_DAY_GUESTS for the desk's day over HTTP,
BENCH_VALUE_GUESTS for the nightly valuation and the segment list, BENCH_SURVEYS for the survey
responses behind the Guest voice page, BENCH_DUP_GUESTS for duplicate suggestions and a merge,
BENCH_IMPORT_ROWS for the PMS import.
Every module listed here is also run at a tiny size by the test suite (tests/bench/).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import (  # noqa: E402
    complaints_queue,
    desk_day,
    duplicates,
    frontdesk,
    greetings_daily,
    imports,
    pages,
    retention,
    surveys,
)
from bench.common import Figure, django_setup, table  # noqa: E402

# (module, size variable, documented size)
BENCHMARKS = [
    (complaints_queue, "BENCH_TICKETS", 500_000),
    (greetings_daily, "BENCH_GUESTS", 1_000_000),
    (frontdesk, "BENCH_DESK_GUESTS", 100_000),
    (pages, "BENCH_PAGES_GUESTS", 100_000),
    (desk_day, "BENCH_DAY_GUESTS", 100_000),
    (retention, "BENCH_VALUE_GUESTS", 1_000_000),
    (surveys, "BENCH_SURVEYS", 200_000),
    (duplicates, "BENCH_DUP_GUESTS", 1_000_000),
    (imports, "BENCH_IMPORT_ROWS", 100_000),
]


def main() -> None:
    django_setup()
    figures: list[Figure] = []
    for module, variable, default in BENCHMARKS:
        size = int(os.environ.get(variable, default))
        started = time.monotonic()
        print(f"running {module.NAME} at {size:,} …", file=sys.stderr, flush=True)
        figures += module.run(size)
        print(f"  done in {time.monotonic() - started:.0f} s", file=sys.stderr, flush=True)
    print(table(figures))


if __name__ == "__main__":
    main()
