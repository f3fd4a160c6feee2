"""What tests/core/test_replica.py runs against a real primary and streaming replica.

Run as a script with DATABASE_URL (the primary, migrated) and DATABASE_REPLICA_URL (its
streaming standby) set; exits non-zero on the first expectation that does not hold. It needs
its own process: the suite's databases are not a primary/standby pair.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grc.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from accounts import roles  # noqa: E402
from accounts.models import Department, User  # noqa: E402
from core import replicas  # noqa: E402
from guests.models import Guest  # noqa: E402
from tests.support.waiting import wait_for  # noqa: E402


def on_replica(client: Client, path: str, **extra) -> tuple[int, int, bytes]:
    """(status, queries the replica ran, body) for one request."""
    with CaptureQueriesContext(connections["replica"]) as captured:
        response = client.get(path, **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return response.status_code, len(captured), body


def standby_sql(sql: str) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


def main() -> None:
    assert replicas.configured()
    assert settings.REPLICA_CHECK_SECONDS == 0 and settings.REPLICA_MAX_LAG_SECONDS == 1
    roles.roles_sync()
    from django.contrib.auth.models import Group

    manager = User.objects.create_user(
        username="replica-manager",
        password="x",
        department=Department.objects.order_by("pk").first(),
        is_staff=True,
    )
    manager.groups.add(Group.objects.get(name=roles.MANAGER.name))
    Guest.objects.create(family_name="Before", given_name="Ann", search_text="before ann")
    assert wait_for(replicas.replica_usable, timeout=30), replicas._state.reason
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(manager)

    # 1. Heavy reads go to the standby: the guest list, the liability report, the export.
    for path in ("/guests/", "/loyalty/liability/", "/complaints/export.csv"):
        status, on_standby, body = on_replica(client, path)
        assert status == 200, (path, status)
        assert on_standby > 0, f"{path}: nothing read from the replica"
    status, _, body = on_replica(client, "/guests/")
    assert b"Before" in body
    # ... and a page that is not heavy never does.
    status, on_standby, _ = on_replica(client, "/")
    assert status == 200 and on_standby == 0, on_standby

    # 2. Read-your-writes: after a POST the same browser reads from the primary.
    answer = client.post("/language/", {"language": "en", "next": "/"})
    assert answer.status_code == 302 and replicas.PIN_COOKIE in answer.cookies
    status, on_standby, _ = on_replica(client, "/guests/")
    assert status == 200 and on_standby == 0, on_standby
    client.cookies.pop(replicas.PIN_COOKIE)
    status, on_standby, _ = on_replica(client, "/guests/")
    assert status == 200 and on_standby > 0

    # 3. A standby lagging beyond REPLICA_MAX_LAG_SECONDS is not used; the primary answers
    # with the newest rows.
    standby_sql("SELECT pg_wal_replay_pause()")
    Guest.objects.create(family_name="Lagged", given_name="Ben", search_text="lagged ben")
    assert wait_for(lambda: not replicas.replica_usable(), timeout=30), replicas._state.reason
    assert replicas._state.reason.startswith("lagging")
    status, on_standby, body = on_replica(client, "/guests/")
    assert status == 200 and b"Lagged" in body, status
    assert on_standby == 0 or b"Lagged" in body
    standby_sql("SELECT pg_wal_replay_resume()")
    assert wait_for(replicas.replica_usable, timeout=30), replicas._state.reason
    status, on_standby, body = on_replica(client, "/guests/")
    assert status == 200 and on_standby > 0 and b"Lagged" in body

    # 4. The standby goes away between two checks: the view runs again on the primary.
    with override_settings(REPLICA_CHECK_SECONDS=3600):
        assert replicas.replica_usable()
        print("STOP-REPLICA", flush=True)
        assert sys.stdin.readline().strip() == "stopped"
        for path in ("/guests/", "/loyalty/liability/"):
            response = client.get(path)
            assert response.status_code == 200, (path, response.status_code)
        assert not replicas.replica_usable()
        assert replicas._state.reason.startswith("failed in a view")

    # 5. Down at the check: everything from the primary, never a 500.
    started = time.monotonic()
    for path in ("/guests/", "/loyalty/liability/", "/complaints/export.csv", "/"):
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
    assert replicas._state.reason.startswith("down"), replicas._state.reason
    assert time.monotonic() - started < 20
    print("SCENARIO-OK", flush=True)


if __name__ == "__main__":
    main()
