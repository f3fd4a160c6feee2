"""A run in chunks: a failed chunk is rolled back whole and resumed, cancel stops between
chunks, one worker at a time, and a big file in a bounded number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from guests.models import Guest, GuestChange, Stay
from imports import services
from imports.models import ImportRun
from imports.writing import chunk_write
from tests.factories import make_import_run, pms_file


def rows(count: int, *, stays_per_guest: int = 1) -> list[dict]:
    out = []
    for n in range(count):
        guest = n // stays_per_guest
        month, day = 1 + (n % stays_per_guest) % 12, 1 + n % 27
        out.append(
            {
                "guest_ref": f"P-{guest}",
                "name": f"Guest{guest} Test",
                "phone": f"139{guest:08d}",
                "email": f"g{guest}@hotel.test",
                "stay_ref": f"R-{n}",
                "arrival": f"2025-{month:02d}-{day:02d}",
                "departure": f"2025-{month:02d}-{day + 1:02d}",
                "room_number": f"{1000 + n % 400}",
                "room_type": "Deluxe King",
                "spend_room": "800.00",
            }
        )
    return out


@pytest.fixture
def checked(manager):
    def make(count: int) -> ImportRun:
        run = make_import_run(by=manager, content=pms_file(rows(count)))
        run = services.run_check(run=run, mapping=run.mapping)
        return services.run_start(run=run, by=manager)

    return make


def test_a_chunk_that_fails_is_rolled_back_whole_and_a_rerun_resumes_there(checked, monkeypatch):
    run = checked(35)
    failures = []

    def failing_on_third_chunk(**kwargs):
        outcome = chunk_write(**kwargs)  # the chunk's rows are written, then it fails
        if kwargs["rows"][0].line == 22 and not failures:
            failures.append(1)
            raise RuntimeError("disk full")
        return outcome

    monkeypatch.setattr(services, "chunk_write", failing_on_third_chunk)
    run = services.run_execute(run_id=run.pk, chunk_rows=10)

    assert run.status == ImportRun.Status.FAILED
    assert (run.error_line, run.rows_done, run.created_count) == (22, 20, 20)
    assert "disk full" in run.error_text
    assert Guest.objects.count() == 20 and Stay.objects.count() == 20  # nothing of chunk 3
    assert not Guest.objects.filter(family_name="Test", given_name="Guest21").exists()

    services.run_resume(run=run, by=run.created_by)
    run = services.run_execute(run_id=run.pk, chunk_rows=10)

    assert run.status == ImportRun.Status.DONE and run.error_text == ""
    assert (run.rows_done, run.created_count, run.unchanged_count) == (35, 35, 0)
    assert Guest.objects.count() == 35 and Stay.objects.count() == 35
    assert GuestChange.objects.filter(subject="guest", action="created").count() == 35


def test_cancel_stops_after_the_chunk_being_written_and_resume_finishes(checked, monkeypatch):
    run = checked(35)

    def cancel_during_first_chunk(**kwargs):
        services.run_cancel(run=ImportRun.objects.get(pk=run.pk), by=run.created_by)
        return chunk_write(**kwargs)

    monkeypatch.setattr(services, "chunk_write", cancel_during_first_chunk)
    run = services.run_execute(run_id=run.pk, chunk_rows=10)

    assert run.status == ImportRun.Status.CANCELLED
    assert run.rows_done == 10 and Guest.objects.count() == 10  # the chunk under way finished

    monkeypatch.setattr(services, "chunk_write", chunk_write)
    services.run_resume(run=run, by=run.created_by)
    run = services.run_execute(run_id=run.pk, chunk_rows=10)
    assert run.status == ImportRun.Status.DONE
    assert (run.rows_done, run.created_count) == (35, 35) and Guest.objects.count() == 35


def test_a_queued_run_cancelled_before_a_worker_takes_it_never_runs(checked):
    run = checked(5)
    services.run_cancel(run=run, by=run.created_by)
    assert services.run_execute(run_id=run.pk) is None
    assert ImportRun.objects.get(pk=run.pk).status == ImportRun.Status.CANCELLED
    assert not Guest.objects.exists()


def test_only_one_worker_runs_an_import_and_a_lost_one_is_taken_over(checked):
    run = checked(5)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING)
    assert services.run_execute(run_id=run.pk) is None  # another worker has it
    with pytest.raises(services.ImportRefused):
        services.run_resume(run=run, by=run.created_by)

    lost = timezone.now() - services.STALE_AFTER - timedelta(seconds=1)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=lost)
    run = services.run_execute(run_id=run.pk)
    assert run is not None and run.status == ImportRun.Status.DONE
    assert services.run_execute(run_id=run.pk) is None  # a redelivered task does nothing


def test_starting_twice_queues_once(checked):
    run = checked(3)
    with pytest.raises(services.ImportRefused):
        services.run_start(run=run, by=run.created_by)


def test_ten_thousand_rows_import_in_chunks_of_bounded_queries_and_again_change_nothing(
    manager, import_now, django_assert_max_num_queries, settings
):
    content = pms_file(rows(10_000, stays_per_guest=2))
    run = make_import_run(by=manager, content=content)
    services.run_check(run=run, mapping=run.mapping)
    # About 25 statements per chunk of 1,000 rows, whatever the number of rows.
    with django_assert_max_num_queries(10 * 30 + 20):
        run = import_now(run)

    assert run.status == ImportRun.Status.DONE and run.rows_done == 10_000
    assert (run.created_count, run.updated_count, run.refused_count) == (10_000, 0, 0)
    assert Guest.objects.count() == 5_000 and Stay.objects.count() == 10_000
    assert Guest.objects.filter(completed_stays=2, stage=Guest.Stage.PAST).count() == 5_000

    again = import_now(make_import_run(by=manager, content=content))
    assert (again.created_count, again.updated_count, again.unchanged_count) == (0, 0, 10_000)
    assert Guest.objects.count() == 5_000 and Stay.objects.count() == 10_000


def test_a_failed_run_names_the_row_that_failed(checked, monkeypatch):
    run = checked(35)

    def failing_on_line_27(**kwargs):
        if any(row.line == 27 for row in kwargs["rows"]):
            raise ValueError("value out of range")
        return chunk_write(**kwargs)

    monkeypatch.setattr(services, "chunk_write", failing_on_line_27)
    run = services.run_execute(run_id=run.pk, chunk_rows=10)

    assert run.status == ImportRun.Status.FAILED
    assert (run.error_line, run.rows_done) == (27, 20)  # in the third chunk, lines 22-31
    assert Guest.objects.count() == 20  # the search for the row wrote nothing either
