"""Shared fixtures: a user for every role, a real Celery worker, and a real browser."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from accounts import roles
from tests.factories import UserFactory, department

ROOT = Path(__file__).resolve().parent.parent


OUR_APPS = {
    "core",
    "accounts",
    "notifications",
    "grc",
    "guests",
    "complaints",
    "loyalty",
    "surveys",
}


def data_migrations_rerun() -> None:
    """Run our data migrations again (they only create what is missing).

    A test that commits (browser, worker) ends by emptying every table, the rows the data
    migrations made included — departments, default tiers, complaint categories, the beat
    schedule. Django's serialized rollback cannot put them back once Playwright's event loop
    is running, so after such a test we replay the RunPython steps in migration order.
    """
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    graph = MigrationLoader(connection).graph
    plan: list = []
    for leaf in graph.leaf_nodes():
        plan += [key for key in graph.forwards_plan(leaf) if key not in plan]
    with connection.schema_editor(atomic=False) as editor:
        for app_label, name in plan:
            if app_label not in OUR_APPS:
                continue
            for operation in graph.nodes[app_label, name].operations:
                if isinstance(operation, RunPython):
                    operation.code(apps, editor)
    roles.roles_sync()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that committed, once its fixtures have emptied the tables, refill them."""
    yield
    marker = item.get_closest_marker("django_db")
    names = set(getattr(item, "fixturenames", ()))
    committed = bool({"transactional_db", "live_server"} & names) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if committed:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            data_migrations_rerun()


@pytest.fixture(autouse=True)
def seams_restored():
    """Whatever a test registers in (or removes from) any seam in core.seams is undone after it,
    so the registrations the apps make in ready() are there, unchanged, for every test."""
    from core import seams

    saved = [(seam, seam.snapshot()) for seam in seams.all_seams()]
    yield
    for seam, registered in saved:
        seam.restore(registered)


@pytest.fixture
def front_desk(db):
    return UserFactory(
        username="desk", role=roles.FRONT_DESK, department=department("front-office")
    )


@pytest.fixture
def officer(db):
    return UserFactory(
        username="officer", role=roles.GUEST_RELATIONS, department=department("front-office")
    )


@pytest.fixture
def department_head(db):
    return UserFactory(
        username="hkhead", role=roles.DEPARTMENT_HEAD, department=department("housekeeping")
    )


@pytest.fixture
def account_manager(db):
    return UserFactory(username="am", role=roles.ACCOUNT_MANAGER, department=department("sales"))


@pytest.fixture
def manager(db):
    return UserFactory(username="manager", role=roles.MANAGER, department=department("management"))


@pytest.fixture
def administrator(db):
    return UserFactory(
        username="admin",
        role=roles.ADMINISTRATOR,
        is_staff=True,
        department=department("management"),
    )


@pytest.fixture
def user_for_role(db):
    """Make a user holding the given role: user_for_role(roles.MANAGER)."""

    def make(role: roles.Role, **kwargs):
        kwargs.setdefault("is_staff", role is roles.ADMINISTRATOR)
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def celery_workers(transactional_db):
    """Start real `celery worker` processes on the test Redis and the test database.

    `celery_workers.start(env={...}, concurrency=2)` starts one more and waits until it answers.
    All of a test's workers consume one queue of their own, so nothing else on the same Redis
    takes their tasks; they are stopped when the test ends.
    """
    from grc.celery import app

    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    base_env = dict(os.environ)
    base_env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db.get('PASSWORD') or ''}@{host}:{db.get('PORT') or 5432}"
        f"/{db['NAME']}"
    )
    base_env["REDIS_URL"] = settings.REDIS_URL
    base_env["CELERY_QUEUE"] = queue
    procs: list[subprocess.Popen] = []

    class Workers:
        def start(self, env: dict | None = None, concurrency: int = 2) -> subprocess.Popen:
            name = f"{queue}-{len(procs)}@{os.uname().nodename}"
            proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "grc",
                    "worker",
                    "-l",
                    "warning",
                    "-Q",
                    queue,
                    "-c",
                    str(concurrency),
                    "-n",
                    name,
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env={**base_env, **(env or {})},
            )
            procs.append(proc)
            deadline = time.monotonic() + 60
            while not app.control.ping(destination=[name], timeout=1):
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Celery worker did not start")
            return proc

    old_queue = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    try:
        yield Workers()
    finally:
        app.conf.task_default_queue = old_queue
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=30)


@pytest.fixture
def celery_worker_process(celery_workers):
    """One real worker, started before the test."""
    return celery_workers.start()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is needed for browser tests: apt-get install chromium")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in the
    # live server happen in other threads, so this only silences a false alarm in fixtures.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Sign in through the real login form, as a person would."""
    from tests.factories import PASSWORD

    def do(user, password: str = PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/")
        return page

    return do


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser" in item.fixturenames or "page" in item.fixturenames:
            item.add_marker(pytest.mark.browser)
        if "celery_workers" in item.fixturenames:
            item.add_marker(pytest.mark.worker)
