"""Benchmark: server time and CPU per request for the pages a person waits on (issue 16, point 4).

    DEBUG=1 DATABASE_URL=postgres://…/grc_bench python bench/pages.py --guests 100000
    python bench/pages.py --profile ticket     # where one page's CPU goes (cProfile, top 40)

Through Django's test client (the whole request: every middleware, the session, the view, the
template with the cached loader) with DEBUG off, so no query log: the ticket page as a guest
relations officer, the guest card and the quick-log POST as a front-desk agent. Per page, p50
of the wall time and of this process's CPU time (time.process_time: what the request costs the
web worker, much less distorted than wall time on a machine shared with other work), and the
queries one request makes. The guests come from the front-desk benchmark's seeding.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import Figure, django_setup, table  # noqa: E402

NAME = "pages"


def users():
    """(front-desk agent, guest relations officer), signed in through the same roles as staff."""
    from django.contrib.auth.models import Group

    from accounts import roles
    from accounts.models import Department, User

    roles.roles_sync()
    department = Department.objects.order_by("pk").first()
    made = []
    for username, role in (
        ("bench-desk", roles.FRONT_DESK),
        ("bench-officer", roles.GUEST_RELATIONS),
    ):
        user, _ = User.objects.get_or_create(username=username, defaults={"department": department})
        user.groups.add(Group.objects.get(name=role.name))
        made.append(user)
    return made[0], made[1]


def quick_log_data(guest_id: int) -> dict:
    """A complete quick-log form for a guest, as the desk sends it."""
    from complaints.forms import active_departments
    from complaints.models import Category

    return {
        "guest_query": "",
        "guest": str(guest_id),
        "guest_name": "",
        "room_number": "1203",
        "department": str(active_departments().values_list("pk", flat=True).first()),
        "category": str(
            Category.objects.filter(is_active=True).values_list("pk", flat=True).first()
        ),
        "severity": "2",
        "channel": "in_person",
        "description": "The air conditioning is loud at night.",
        "log_key": str(uuid.uuid4()),
    }


def ticket_with_history(desk, officer, guest_id: int) -> int:
    """A ticket with a few steps on its timeline, as a ticket looks after a day's handling."""
    from complaints import services
    from complaints.forms import active_departments
    from complaints.models import Category, Ticket
    from guests.models import Guest

    data = quick_log_data(guest_id)

    ticket = services.ticket_log(
        by=desk,
        guest=Guest.objects.get(pk=guest_id),
        guest_name="",
        room_number="1203",
        department=active_departments().get(pk=data["department"]),
        category=Category.objects.get(pk=data["category"]),
        severity=2,
        channel=Ticket.Channel.IN_PERSON,
        description="Noise from the next room after midnight.",
        log_key=None,
    )
    for n in range(4):
        services.ticket_step_record(
            ticket=ticket, by=officer, kind="note", text=f"Called the guest back ({n + 1})."
        )
    return ticket.pk


def cases(desk, officer, card_guest: int, logged_for: int, ticket_id: int):
    """(page, user, method, path, data) for every page measured."""
    return [
        ("ticket page", officer, "get", f"/complaints/{ticket_id}/", None),
        ("guest card", desk, "get", f"/guests/{card_guest}/", None),
        ("quick-log POST", desk, "post", "/complaints/new/", quick_log_data(logged_for)),
    ]


def _request(client, method: str, path: str, data):
    if method == "post":
        data = {**data, "log_key": str(uuid.uuid4())}  # a new complaint each time
        response = client.post(path, data)
        expected = 302
    else:
        response = client.get(path)
        expected = 200
    if response.status_code != expected:
        raise SystemExit(f"{method.upper()} {path} answered {response.status_code}")
    return response


def _clients(desk, officer):
    from django.test import Client

    clients = {}
    for user in (desk, officer):
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        clients[user.pk] = client
    return clients


def cuts(on: bool) -> None:
    """Switch this work's CPU cuts on or off (off: the pages as they were), to measure both in
    the same run, alternately, on a machine whose load changes by the minute."""
    from core.templatetags import crispy_memo

    crispy_memo.forget()
    crispy_memo.MAX_ENTRIES = 512 if on else 0


def _bench_guests(guests: int) -> tuple[int, int]:
    """(the card's guest, the guest the quick log is for): two guests from the middle."""
    from bench import frontdesk
    from guests.models import Guest

    ids = (
        Guest.objects.filter(tags__contains=[frontdesk.TAG])
        .order_by("pk")
        .values_list("pk", flat=True)[guests // 2 : guests // 2 + 2]
    )
    card, logged_for = list(ids)
    return card, logged_for


def measure(
    repeats: int, guests: int, rounds: int = 1, compare: bool = False
) -> list[tuple[str, str, float, float, float, int]]:
    """(page, "before"/"after", wall p50, wall p95, CPU p50, queries) per page and mode.

    Each round measures every page `repeats` times per mode, the modes alternating."""
    from django.db import connection
    from django.test.utils import override_settings

    from bench import frontdesk

    frontdesk.seed(guests)
    desk, officer = users()
    card_guest, logged_for = _bench_guests(guests)
    ticket_id = ticket_with_history(desk, officer, card_guest)
    modes = ["before", "after"] if compare else ["after"]
    times: dict[tuple[str, str], list[float]] = {}
    cpu: dict[tuple[str, str], list[float]] = {}
    queries: dict[tuple[str, str], int] = {}
    page_cases = cases(desk, officer, card_guest, logged_for, ticket_id)
    with override_settings(DEBUG=False):
        clients = _clients(desk, officer)
        for _round in range(rounds):
            for mode in modes:
                cuts(mode == "after")
                for page, user, method, path, data in page_cases:
                    key = (page, mode)
                    client = clients[user.pk]
                    for _ in range(3):  # warm: templates compiled, plans and pages cached
                        _request(client, method, path, data)
                    executed: list[str] = []

                    def count(execute, sql, params, many, context, executed=executed):
                        executed.append(sql)
                        return execute(sql, params, many, context)

                    with connection.execute_wrapper(count):
                        _request(client, method, path, data)
                    queries[key] = len(executed)
                    for _ in range(repeats):
                        started, started_cpu = time.perf_counter(), time.process_time()
                        _request(client, method, path, data)
                        times.setdefault(key, []).append((time.perf_counter() - started) * 1000)
                        cpu.setdefault(key, []).append((time.process_time() - started_cpu) * 1000)
        cuts(True)
    return [
        (
            page,
            mode,
            statistics.median(times[page, mode]),
            frontdesk.percentile(times[page, mode], 0.95),
            statistics.median(cpu[page, mode]),
            queries[page, mode],
        )
        for page, *_ in page_cases
        for mode in modes
    ]


def profile(page_name: str, guests: int, repeats: int) -> None:
    """cProfile of one page's requests, the 40 costliest functions by cumulative time."""
    from django.test.utils import override_settings

    from bench import frontdesk

    frontdesk.seed(guests)
    desk, officer = users()
    card_guest, logged_for = _bench_guests(guests)
    ticket_id = ticket_with_history(desk, officer, card_guest)
    with override_settings(DEBUG=False):
        clients = _clients(desk, officer)
        for page, user, method, path, data in cases(
            desk, officer, card_guest, logged_for, ticket_id
        ):
            if not page.startswith(page_name):
                continue
            client = clients[user.pk]
            for _ in range(3):
                _request(client, method, path, data)
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for _ in range(repeats):
                _request(client, method, path, data)
            profiler.disable()
            print(f"--- {page} ({repeats} requests, CPU seconds)")
            stats = pstats.Stats(profiler)
            stats.sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(40)


def run(n: int, repeats: int = 30, rounds: int = 3, compare: bool = True) -> list[Figure]:
    load = " / ".join(f"{x:.2f}" for x in os.getloadavg())
    figures = [
        Figure(
            NAME,
            "conditions",
            f"{n:,} guests; DEBUG off; {rounds} rounds of {repeats} per page"
            + (", before/after alternating" if compare else "")
            + f"; load average {load}",
        )
    ]
    for page, mode, p50, p95, cpu50, queries in measure(repeats, n, rounds, compare):
        figures.append(
            Figure(
                NAME,
                f"{page} ({mode})" if compare else page,
                f"wall p50 {p50:.1f} / p95 {p95:.1f} ms; CPU p50 {cpu50:.1f} ms; {queries} queries",
            )
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--after-only", action="store_true", help="only the pages as they are (no before)"
    )
    parser.add_argument("--profile", help="a page name (ticket, guest, quick) to profile")
    args = parser.parse_args()
    django_setup()
    if args.profile:
        profile(args.profile, args.guests, args.repeats)
    else:
        print(table(run(args.guests, args.repeats, args.rounds, not args.after_only)))


if __name__ == "__main__":
    main()
