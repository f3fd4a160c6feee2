"""A real Celery worker runs the import: to the end, or cancelled mid-way and resumed."""

from __future__ import annotations

from guests.models import Guest, Stay
from imports import services
from imports.models import ImportRun
from tests.factories import UserFactory, make_import_run, pms_file
from tests.imports.test_runs import rows
from tests.support.waiting import wait_for, workers_idle


def status_of(run: ImportRun) -> ImportRun:
    return ImportRun.objects.get(pk=run.pk)


def test_a_worker_imports_the_file_while_nobody_watches(celery_workers, import_dir):
    from accounts import roles

    manager = UserFactory(role=roles.MANAGER)
    run = make_import_run(by=manager, content=pms_file(rows(300)))
    services.run_check(run=run, mapping=run.mapping)
    celery_workers.start(env={"IMPORT_FILE_DIR": str(import_dir), "IMPORT_CHUNK_ROWS": "50"})

    services.run_start(run=run, by=manager)  # queued on commit: nobody keeps the page open

    done = wait_for(lambda: status_of(run).status == ImportRun.Status.DONE, timeout=90)
    assert done, status_of(run).status
    run = status_of(run)
    assert (run.rows_done, run.created_count) == (300, 300)
    assert Guest.objects.count() == 300 and Stay.objects.count() == 300
    assert workers_idle()
    assert not (import_dir / run.stored_name).exists()  # the file goes once imported


def test_a_worker_stops_on_cancel_and_finishes_on_resume(celery_workers, import_dir):
    from accounts import roles

    manager = UserFactory(role=roles.MANAGER)
    run = make_import_run(by=manager, content=pms_file(rows(3000)))
    services.run_check(run=run, mapping=run.mapping)
    celery_workers.start(env={"IMPORT_FILE_DIR": str(import_dir), "IMPORT_CHUNK_ROWS": "10"})
    services.run_start(run=run, by=manager)

    assert wait_for(lambda: status_of(run).rows_done > 0, timeout=60)
    services.run_cancel(run=status_of(run), by=manager)
    cancelled = wait_for(lambda: status_of(run).status == ImportRun.Status.CANCELLED, timeout=60)
    assert cancelled, status_of(run).status
    stopped = status_of(run)
    assert 0 < stopped.rows_done < 3000 and stopped.rows_done % 10 == 0
    assert Guest.objects.count() == stopped.rows_done  # whole chunks only

    services.run_resume(run=stopped, by=manager)
    done = wait_for(lambda: status_of(run).status == ImportRun.Status.DONE, timeout=120)
    assert done, status_of(run).status
    run = status_of(run)
    assert (run.rows_done, run.created_count) == (3000, 3000)
    assert Guest.objects.count() == 3000
