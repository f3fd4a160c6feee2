"""A database built by the code before the kernel was split out migrates forward, losing nothing.

The old code (commit MAIN) is checked out into a temp dir, migrates a scratch database and seeds
demo data there; then this branch's `migrate` runs on the same database and every table's rows
are counted before and after.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
MAIN = "6f14003"
# old table -> the table holding the same rows now (kept names; the guest column became links)
TABLES = [
    "grc_user",
    "grc_department",
    "grc_user_groups",
    "grc_notification",
    "grc_messagetemplate",
    "grc_caretask",
    "guests_guest",
    "guests_stay",
    "complaints_ticket",
    "complaints_timelineevent",
    "loyalty_member",
    "loyalty_pointstransaction",
    "django_celery_beat_periodictask",
]
# The roles' grants by role, model and permission. Models added since (the message-guest link,
# the change log, ...) bring grants of their own; every grant the old database had must stay.
GRANTS = (
    "SELECT g.name, ct.model, p.codename FROM auth_group_permissions gp"
    " JOIN auth_group g ON g.id = gp.group_id"
    " JOIN auth_permission p ON p.id = gp.permission_id"
    " JOIN django_content_type ct ON ct.id = p.content_type_id"
)


def _dsn(name: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "host": db.get("HOST") or "127.0.0.1",
        "port": db.get("PORT") or 5432,
        "user": db["USER"],
        "password": db.get("PASSWORD") or "",
        "dbname": name,
    }


def _url(name: str) -> str:
    d = _dsn(name)
    return f"postgres://{d['user']}:{d['password']}@{d['host']}:{d['port']}/{name}"


def _run(cwd: Path, *args: str, db: str) -> None:
    env = {**os.environ, "DATABASE_URL": _url(db), "DEBUG": "1"}
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )


def _counts(db: str) -> dict[str, int]:
    with psycopg2.connect(**_dsn(db)) as conn, conn.cursor() as cur:
        counts = {}
        for table in TABLES:
            cur.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our own table names)
            counts[table] = cur.fetchone()[0]
        return counts


def _rows(name: str, sql: str) -> set[tuple]:
    with psycopg2.connect(**_dsn(name)) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return set(cur.fetchall())


def _scalar(db: str, sql: str):
    with psycopg2.connect(**_dsn(db)) as conn, conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchone()[0]


@pytest.fixture
def old_database(tmp_path):
    old = tmp_path / "main"
    old.mkdir()
    archive = subprocess.run(["git", "archive", MAIN], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    name = f"grc_migrate_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**_dsn("postgres"))
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{name}"')
    try:
        _run(old, "migrate", "-v0", db=name)
        _run(old, "seed_demo", "--guests", "200", db=name)
        # The demo sends nothing; messages to guests (the column that moves) are made here.
        with psycopg2.connect(**_dsn(name)) as conn, conn.cursor() as cur:
            cur.execute(
                'INSERT INTO grc_notification (key, kind, channel, guest_id, "to", language, '
                "occasion_date, context, subject, body, status, attempts, last_error, created_at) "
                "SELECT 'birthday:guest:' || id, 'birthday', 'email', id, 'g@example.com', 'en', "
                "current_date, '{}', '', '', 'sent', 1, '', now() FROM guests_guest LIMIT 7"
            )
        yield name
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


# Beat entries the migrations since that commit install (each new scheduled job adds one).
SCHEDULES_ADDED_SINCE = (
    "Resolve notifications stuck while sending",
    "Guest value, segments and the churn radar",
    "Duplicate guest suggestions",
)


@pytest.mark.django_db
def test_a_database_built_at_main_migrates_forward_without_losing_a_row(old_database):
    before = _counts(old_database)
    schedules = "SELECT name FROM django_celery_beat_periodictask"
    schedules_before = _rows(old_database, schedules)
    guest_messages = _scalar(
        old_database, "SELECT count(*) FROM grc_notification WHERE guest_id IS NOT NULL"
    )
    grants = _rows(old_database, GRANTS)
    assert before["grc_user"] and before["guests_guest"] == 200 and guest_messages

    _run(ROOT, "migrate", "-v0", db=old_database)

    after = _counts(old_database)
    # beat entries added since main (the stuck sweep, the duplicate suggestions) are new rows;
    # none of the old is lost
    beat = "django_celery_beat_periodictask"
    assert {**after, beat: 0} == {**before, beat: 0}
    added = _rows(old_database, schedules) - schedules_before
    assert schedules_before <= _rows(old_database, schedules)
    assert added == {(name,) for name in SCHEDULES_ADDED_SINCE}
    assert after[beat] == before[beat] + len(SCHEDULES_ADDED_SINCE)
    assert grants and grants <= _rows(old_database, GRANTS)
    # the guest of every message is now a link row on the guests side
    assert _scalar(old_database, "SELECT count(*) FROM guests_guestnotification") == guest_messages
    # the old migrations count as the new apps' (no InconsistentMigrationHistory), and the
    # permissions kept their rows: they moved app instead of being made again
    applied = _scalar(
        old_database,
        "SELECT count(*) FROM django_migrations WHERE (app, name) IN (('accounts', '0001_initial'),"
        " ('notifications', '0001_initial'), ('guests', '0005_care_tasks'))",
    )
    assert applied == 3
    assert not _scalar(
        old_database, "SELECT count(*) FROM django_content_type WHERE app_label = 'grc'"
    )
    # a second run finds nothing to do
    _run(ROOT, "migrate", "--check", db=old_database)
