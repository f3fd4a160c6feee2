"""An import's way: upload, choose the encoding and map the columns, check every row, then
import the valid rows in the background, chunk by chunk, and resume or cancel."""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import seams
from core.errors import GrcError
from guests.models import Stay

from .columns import COLUMN_BY_KEY, mapping_guess
from .models import ImportProblem, ImportRun
from .reading import ENCODING_NAMES, FileUnreadable, data_rows, file_inspect, rows_read
from .rows import ParsedRow, row_parse
from .writing import chunk_write

logger = logging.getLogger(__name__)

# A run still "importing" whose worker has not finished a chunk for this long was lost (a
# killed worker): it may be claimed again.
STALE_AFTER = timedelta(minutes=5)
UPLOAD_SUFFIXES = {
    ".csv": ImportRun.Format.CSV,
    ".txt": ImportRun.Format.CSV,
    ".tsv": ImportRun.Format.CSV,
    ".xlsx": ImportRun.Format.XLSX,
}


class ImportRefused(GrcError):
    """The file or the request cannot be used as it is; the message says why."""


def import_path(run: ImportRun) -> Path:
    return Path(settings.IMPORT_FILE_DIR) / run.stored_name


# --- Upload, encoding, mapping ------------------------------------------------------------------


def run_create(*, by: User, upload: UploadedFile) -> ImportRun:
    """Keep the uploaded file, read its header and guess which column is which."""
    suffix = Path(upload.name or "").suffix.lower()
    file_format = UPLOAD_SUFFIXES.get(suffix)
    if file_format is None:
        raise ImportRefused(_("Upload a CSV (.csv) or Excel (.xlsx) file."), field="file")
    folder = Path(settings.IMPORT_FILE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    stored_name = f"{uuid.uuid4().hex}.{file_format}"
    path = folder / stored_name
    with open(path, "wb") as out:
        for piece in upload.chunks():
            out.write(piece)
    try:
        found = file_inspect(path, file_format=file_format)
    except FileUnreadable as exc:
        path.unlink(missing_ok=True)
        raise ImportRefused(str(exc), field="file") from exc
    return ImportRun.objects.create(
        created_by=by,
        file_name=(upload.name or stored_name)[:255],
        stored_name=stored_name,
        file_format=file_format,
        encoding=found["encoding"],
        encoding_detected=found["detected"],
        delimiter=found["delimiter"],
        headers=found["headers"],
        mapping=mapping_guess(found["headers"]),
    )


def _not_started(run: ImportRun) -> None:
    if run.status not in (ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED):
        raise ImportRefused(_("This import has started: its file can no longer be changed."))


def run_encoding_set(*, run: ImportRun, encoding: str) -> ImportRun:
    """Read the file again in the encoding the user chose (and guess the columns again)."""
    _not_started(run)
    if run.file_format != ImportRun.Format.CSV or encoding not in ENCODING_NAMES:
        raise ImportRefused(_("Choose one of the encodings offered."), field="encoding")
    try:
        found = file_inspect(import_path(run), file_format=run.file_format, encoding=encoding)
    except FileUnreadable as exc:
        raise ImportRefused(str(exc), field="encoding") from exc
    except FileNotFoundError as exc:
        raise ImportRefused(_("The uploaded file is gone: upload it again.")) from exc
    run.encoding, run.delimiter, run.headers = encoding, found["delimiter"], found["headers"]
    run.mapping = mapping_guess(found["headers"])
    run.status = ImportRun.Status.UPLOADED
    run.save(update_fields=["encoding", "delimiter", "headers", "mapping", "status", "updated_at"])
    return run


def mapping_check(mapping: dict[str, int], headers: list[str]) -> dict[str, int]:
    """Only known fields and columns, each column for one field at most, and a name."""
    clean = {k: int(v) for k, v in mapping.items() if k in COLUMN_BY_KEY}
    if any(not 0 <= index < len(headers) for index in clean.values()):
        raise ImportRefused(_("Choose columns of this file."))
    if len(set(clean.values())) != len(clean):
        raise ImportRefused(_("A column can hold only one field: one is chosen twice."))
    if "name" not in clean and "family_name" not in clean:
        raise ImportRefused(_("Choose the column with the guest's name (Name or Family name)."))
    return clean


def room_types_known() -> set[str] | None:
    """The room types a stay may have, lower-cased: the configured ones and those the hotel's
    stays already have. None when neither gives any (then any room type is taken)."""
    known = {name.lower() for name in settings.IMPORT_ROOM_TYPES}
    known |= {
        name.lower()
        for name in Stay.objects.exclude(room_type="")
        .order_by()  # not the stays' default order: DISTINCT would take in the arrival
        .values_list("room_type", flat=True)
        .distinct()
    }
    return known or None


def run_check(*, run: ImportRun, mapping: dict[str, int], chunk: int = 2000) -> ImportRun:
    """Read every row with the mapping and record each one refused, with its line and why;
    nothing is written to guests or stays."""
    _not_started(run)
    mapping = mapping_check(mapping, run.headers)
    room_types = room_types_known()
    ImportProblem.objects.filter(run=run).delete()
    total = bad = 0
    first_line: dict[str, int] = {}  # reservation number -> its first line
    batch: list[ImportProblem] = []
    try:
        for line, cells in _data(run):
            total += 1
            row, problems = row_parse(line, cells, mapping, room_types=room_types)
            ref = row.stay_ref if row else _ref_of(cells, mapping)
            if ref:
                if ref in first_line:
                    problems.append(("duplicate_ref", {"ref": ref, "first": first_line[ref]}))
                else:
                    first_line[ref] = line
            if problems:
                bad += 1
                batch += [ImportProblem(run=run, line=line, code=c, params=p) for c, p in problems]
                if len(batch) >= chunk:
                    ImportProblem.objects.bulk_create(batch)
                    batch = []
    except FileUnreadable as exc:
        raise ImportRefused(str(exc)) from exc
    except FileNotFoundError as exc:
        raise ImportRefused(_("The uploaded file is gone: upload it again.")) from exc
    ImportProblem.objects.bulk_create(batch)
    run.mapping, run.total_rows, run.bad_rows = mapping, total, bad
    run.status = ImportRun.Status.CHECKED
    run.save(update_fields=["mapping", "total_rows", "bad_rows", "status", "updated_at"])
    return run


def _ref_of(cells: list[str], mapping: dict[str, int]) -> str:
    index = mapping.get("stay_ref")
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _data(run: ImportRun):
    return data_rows(
        rows_read(
            import_path(run),
            file_format=run.file_format,
            encoding=run.encoding,
            delimiter=run.delimiter,
        )
    )


# --- The background run -------------------------------------------------------------------------


def _queue(run_id: int) -> None:
    from .tasks import run_execute_task

    transaction.on_commit(partial(run_execute_task.delay, run_id))


@transaction.atomic
def run_start(*, run: ImportRun, by: User) -> ImportRun:
    """Queue the import of the checked rows (a second click queues nothing more)."""
    started = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.CHECKED).update(
        status=ImportRun.Status.QUEUED, updated_at=timezone.now()
    )
    if not started:
        raise ImportRefused(_("This import has already started."), status=409)
    _queue(run.pk)
    run.refresh_from_db()
    return run


@transaction.atomic
def run_cancel(*, run: ImportRun, by: User) -> ImportRun:
    """Stop after the chunk being written (what is committed stays; it can be resumed)."""
    now = timezone.now()
    # Not picked up by a worker yet: cancelled at once.
    ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.CANCELLED, finished_at=now, updated_at=now
    )
    asked = ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
        cancel_requested=True, updated_at=now
    )
    run.refresh_from_db()
    if not asked and run.status != ImportRun.Status.CANCELLED:
        raise ImportRefused(_("This import is not running."), status=409)
    return run


@transaction.atomic
def run_resume(*, run: ImportRun, by: User) -> ImportRun:
    """Run a failed, cancelled or lost import again from its last committed chunk."""
    lost = Q(status=ImportRun.Status.RUNNING, updated_at__lt=timezone.now() - STALE_AFTER)
    resumable = Q(status__in=[ImportRun.Status.FAILED, ImportRun.Status.CANCELLED]) | lost
    queued = ImportRun.objects.filter(resumable, pk=run.pk).update(
        status=ImportRun.Status.QUEUED,
        cancel_requested=False,
        error_line=None,
        error_text="",
        finished_at=None,
        updated_at=timezone.now(),
    )
    if not queued:
        raise ImportRefused(_("Only a stopped or cancelled import can be resumed."), status=409)
    _queue(run.pk)
    run.refresh_from_db()
    return run


def run_is_lost(run: ImportRun) -> bool:
    """Importing, but no chunk finished for STALE_AFTER: its worker died; it can be resumed."""
    return run.status == ImportRun.Status.RUNNING and run.updated_at < timezone.now() - STALE_AFTER


def _claim(run_id: int) -> bool:
    now = timezone.now()
    lost = Q(status=ImportRun.Status.RUNNING, updated_at__lt=now - STALE_AFTER)
    return bool(
        ImportRun.objects.filter(Q(status=ImportRun.Status.QUEUED) | lost, pk=run_id).update(
            status=ImportRun.Status.RUNNING, started_at=now, updated_at=now
        )
    )


def run_execute(*, run_id: int, chunk_rows: int | None = None) -> ImportRun | None:
    """Import the run's valid rows from its last committed chunk on, one transaction per chunk.

    None when another worker has the run (or it is not queued). A chunk that fails is rolled
    back whole and the run stops, "failed", naming the chunk's lines; resuming starts again at
    that chunk. A cancel request is honoured between chunks.
    """
    if not _claim(run_id):
        return None
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    size = chunk_rows or settings.IMPORT_CHUNK_ROWS
    refused_lines = set(ImportProblem.objects.filter(run=run).values_list("line", flat=True))
    room_types = room_types_known()
    index = chunks = 0
    chunk: list[tuple[int, list[str]]] = []
    _statistics_refresh()
    try:
        for line, cells in _data(run):
            index += 1
            if index <= run.rows_done:
                continue  # committed by an earlier attempt
            chunk.append((line, cells))
            if len(chunk) == size:
                if not _chunk_run(run, chunk, refused_lines, room_types):
                    return run
                chunk = []
                chunks += 1
                if chunks & (chunks - 1) == 0:  # after chunk 1, 2, 4, 8 … (and at the start)
                    _statistics_refresh()
        if chunk and not _chunk_run(run, chunk, refused_lines, room_types):
            return run
    except (FileUnreadable, FileNotFoundError) as exc:
        _fail(run, line=None, error=str(exc) or _("The uploaded file is gone."))
        return run
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.DONE, finished_at=now, updated_at=now
    )
    import_path(run).unlink(missing_ok=True)  # the guests' data is in the database now
    run.refresh_from_db()
    return run


def _statistics_refresh() -> None:
    """ANALYZE the stays as an import grows them: with the row counts from before a big import
    the planner read every stay per guest for the stay summary's UPDATE (seconds per chunk
    instead of milliseconds). After chunk 1, 2, 4, 8 …: a third of a second each, in time."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE guests_stay")


def _chunk_run(
    run: ImportRun,
    chunk: list[tuple[int, list[str]]],
    refused_lines: set[int],
    room_types: set[str] | None,
) -> bool:
    """Write one chunk in one transaction; False when the run stops (cancelled or failed)."""
    if ImportRun.objects.filter(pk=run.pk, cancel_requested=True).exists():
        now = timezone.now()
        ImportRun.objects.filter(pk=run.pk).update(
            status=ImportRun.Status.CANCELLED,
            cancel_requested=False,
            finished_at=now,
            updated_at=now,
        )
        run.refresh_from_db()
        return False
    rows: list[ParsedRow] = []
    late: list[ImportProblem] = []
    refused = 0
    for line, cells in chunk:
        if line in refused_lines:
            refused += 1
            continue
        row, problems = row_parse(line, cells, run.mapping, room_types=room_types)
        if row is None:  # the file or the room types changed since the check
            refused += 1
            late += [ImportProblem(run=run, line=line, code=c, params=p) for c, p in problems]
        else:
            rows.append(row)
    try:
        with transaction.atomic():
            outcome = chunk_write(rows=rows, by=run.created_by, today=timezone.localdate())
            ImportProblem.objects.bulk_create(late)
            ImportRun.objects.filter(pk=run.pk).update(
                rows_done=F("rows_done") + len(chunk),
                created_count=F("created_count") + outcome.created,
                updated_count=F("updated_count") + outcome.updated,
                unchanged_count=F("unchanged_count") + outcome.unchanged,
                refused_count=F("refused_count") + refused,
                updated_at=timezone.now(),
            )
    except Exception as exc:  # the chunk is rolled back whole; the run says where it stopped
        logger.exception("import %s failed in lines %s-%s", run.pk, chunk[0][0], chunk[-1][0])
        line = _failing_line(run, rows) or chunk[0][0]
        _fail(run, line=line, error=f"{type(exc).__name__}: {exc}"[:1000])
        return False
    return True


class _Probe(Exception):
    """Raised to roll back the trial writes of _failing_line."""


def _failing_line(run: ImportRun, rows: list[ParsedRow]) -> int | None:
    """The line of the first row of a failed chunk that fails on its own: each row is written
    in a savepoint inside a transaction that is then rolled back, so nothing stays."""
    found: int | None = None
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        chunk_write(rows=[row], by=run.created_by, today=timezone.localdate())
                except Exception:
                    found = row.line
                    break
            raise _Probe
    except _Probe:
        pass
    except Exception:  # the database itself is failing: the chunk's first line will do
        logger.exception("import %s: could not find the failing row", run.pk)
    return found


def _fail(run: ImportRun, *, line: int | None, error: str) -> None:
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(
        status=ImportRun.Status.FAILED,
        error_line=line,
        error_text=error,
        finished_at=now,
        updated_at=now,
    )
    run.refresh_from_db()


def stay_hooks_run(*, stay_ids: list[int]) -> int:
    """Call every app's stay hook for each stay (each hook on its own: one failing is logged
    and the others still run). Returns how many stays were passed on."""
    for stay_id in stay_ids:
        for hook in seams.stay_hooks.all():
            try:
                hook(stay_id)
            except Exception:
                logger.exception("stay hook %r failed for stay %s", hook, stay_id)
    return len(stay_ids)
