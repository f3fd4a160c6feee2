"""Reading a PMS export a row at a time, whatever its format and encoding.

Never the whole file in memory: CSV is decoded as it is read, .xlsx is read with openpyxl's
read-only (streaming) mode. Every row comes out as a list of text cells with its line number
(the header is line 1), dates from Excel as ISO text.
"""

from __future__ import annotations

import codecs
import csv
import datetime
from collections.abc import Iterator
from pathlib import Path

from django.utils.translation import gettext_lazy as _

ENCODINGS: tuple[tuple[str, object], ...] = (
    ("utf-8-sig", _("UTF-8 (with or without BOM)")),
    ("gb18030", _("Chinese: GBK / GB18030")),
    ("utf-16", _("UTF-16 (Excel “Unicode text”)")),
    ("big5", _("Traditional Chinese: Big5")),
)
ENCODING_NAMES = {code for code, _label in ENCODINGS}
SNIFF_BYTES = 64 * 1024


class FileUnreadable(Exception):
    """The file cannot be read as the format and encoding given."""


def encoding_detect(path: Path) -> str:
    """UTF-16 by its BOM (or its zero bytes), UTF-8 when the start decodes as UTF-8, else GB18030
    (a superset of GBK, which is what Chinese PMS and Excel write)."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    sample = head[:4096]
    if sample and sample.count(0) * 4 > len(sample):
        return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
    try:
        # An incomplete character at the cut is fine (final=False); anything else is not UTF-8.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "gb18030"


def _text_handle(path: Path, encoding: str):
    return open(path, encoding=encoding, newline="", errors="strict")


def _dialect(path: Path, encoding: str) -> str:
    with _text_handle(path, encoding) as handle:
        first = handle.readline()
    counts = {sep: first.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number or amount Excel stored as a number
    return str(value).strip()


def rows_read(
    path: Path, *, file_format: str, encoding: str = "", delimiter: str = ""
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) for every row of the file, the header first (line 1). Blank rows are
    skipped but keep their line numbers. Raises FileUnreadable."""
    try:
        if file_format == "xlsx":
            yield from _xlsx_rows(path)
            return
        with _text_handle(path, encoding or "utf-8-sig") as handle:
            reader = csv.reader(handle, delimiter=delimiter or ",")
            for cells in reader:
                line = reader.line_num
                cells = [cell.strip() for cell in cells]
                if line == 1 and cells:
                    cells[0] = cells[0].lstrip("\ufeff")
                if any(cells):
                    yield line, cells
    except UnicodeError as exc:
        raise FileUnreadable(
            _("The file is not in the %(encoding)s encoding: choose another one.")
            % {"encoding": encoding}
        ) from exc
    except csv.Error as exc:
        raise FileUnreadable(_("The file is not a readable CSV file.")) from exc


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    import zipfile

    from openpyxl import load_workbook

    unreadable = _("The file is not a readable Excel (.xlsx) file.")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise FileUnreadable(unreadable) from exc
    except Exception as exc:  # openpyxl's own errors for a zip that is not a workbook
        raise FileUnreadable(unreadable) from exc
    try:
        sheet = book.worksheets[0]
        values_of = sheet.iter_rows(values_only=True)
        line = 0
        while True:
            try:
                values = next(values_of)
            except StopIteration:
                break
            except Exception as exc:  # damaged sheet XML
                raise FileUnreadable(unreadable) from exc
            line += 1
            cells = [_cell_text(value) for value in values]
            while cells and not cells[-1]:
                cells.pop()
            if cells:
                yield line, cells
    finally:
        book.close()


def data_rows(rows: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
    """The rows after the header (the first row that is not blank)."""
    header_seen = False
    for line, cells in rows:
        if header_seen:
            yield line, cells
        header_seen = True


def file_inspect(path: Path, *, file_format: str, encoding: str = "") -> dict:
    """What the mapping page needs: the encoding (detected unless given), the delimiter and the
    header row. Raises FileUnreadable."""
    result = {"encoding": "", "detected": "", "delimiter": ""}
    if file_format == "csv":
        result["detected"] = encoding_detect(path)
        result["encoding"] = encoding or result["detected"]
        try:
            result["delimiter"] = _dialect(path, result["encoding"])
        except UnicodeError as exc:
            raise FileUnreadable(
                _("The file is not in the %(encoding)s encoding: choose another one.")
                % {"encoding": result["encoding"]}
            ) from exc
    rows = rows_read(
        path, file_format=file_format, encoding=result["encoding"], delimiter=result["delimiter"]
    )
    header: list[str] = []
    for _line, cells in rows:
        header = cells
        break
    if not header:
        raise FileUnreadable(_("The file is empty."))
    result["headers"] = header
    return result


def rows_sample(path: Path, *, run, limit: int = 5) -> list[tuple[int, list[str]]]:
    """The first data rows, for the mapping page."""
    sample = []
    rows = rows_read(
        path, file_format=run.file_format, encoding=run.encoding, delimiter=run.delimiter
    )
    try:
        for line, cells in data_rows(rows):
            sample.append((line, cells))
            if len(sample) >= limit:
                break
    except (FileUnreadable, OSError):
        pass  # the mapping page shows no sample; checking says what is wrong
    return sample
