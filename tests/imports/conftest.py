"""Fixtures for the import tests: a folder for uploaded files and a way to import at once."""

from __future__ import annotations

import pytest

from imports import services
from imports.models import ImportRun


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.IMPORT_FILE_DIR = tmp_path / "imports"
    return settings.IMPORT_FILE_DIR


@pytest.fixture
def import_now(db):
    """Check a run with its guessed mapping and import it in this process, as the worker does
    (the queued task is not sent)."""

    def run(run: ImportRun, *, chunk_rows: int | None = None) -> ImportRun:
        if run.status == ImportRun.Status.UPLOADED:
            services.run_check(run=run, mapping=run.mapping)
        services.run_start(run=run, by=run.created_by)
        result = services.run_execute(run_id=run.pk, chunk_rows=chunk_rows)
        assert result is not None
        return result

    return run
