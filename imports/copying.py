"""Writing many new rows with PostgreSQL's COPY: the import's bulk path.

The ORM's bulk_create spends most of its time turning each value into SQL parameters; COPY takes
the rows as text in one stream. Primary keys are drawn from the table's own sequence first, so
the rows that point at a new guest or stay (phones, stays, change records) can be written in
the same way. Every value goes through `text()`: the same types the models declare.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connection, models

NULL = "\\N"
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _array_item(value: Any) -> str:
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _plain(value: Any) -> str:
    return NULL if value is None else str(value).translate(_ESCAPES)


def _array(value: Any) -> str:
    if value is None:
        return NULL
    return ("{" + ",".join(_array_item(item) for item in value) + "}").translate(_ESCAPES)


def _json(value: Any) -> str:
    return NULL if value is None else json.dumps(value, ensure_ascii=False).translate(_ESCAPES)


def _boolean(value: Any) -> str:
    return NULL if value is None else ("t" if value else "f")


def _iso(value: Any) -> str:
    return NULL if value is None else value.isoformat()


def _number(value: Any) -> str:
    return NULL if value is None else str(value)


def converter(field: models.Field) -> Callable[[Any], str]:
    """How one field's values are written in COPY's text format."""
    if isinstance(field, ArrayField):
        return _array
    if isinstance(field, models.JSONField):
        return _json
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, (models.DateField, models.DateTimeField)):
        return _iso
    if isinstance(
        field, (models.IntegerField, models.DecimalField, models.AutoField, models.ForeignKey)
    ):
        return _number
    return _plain


def text(field: models.Field, value: Any) -> str:
    """One value in COPY's text format."""
    return converter(field)(value)


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys from the table's sequence (never handed out again)."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def rows_copy(
    model: type[models.Model], fields: Sequence[models.Field], rows: Iterable[Sequence[Any]]
) -> int:
    """COPY the rows (values in the order of `fields`) into the model's table."""
    stream = io.StringIO()
    count = 0
    convert = [converter(field) for field in fields]
    for row in rows:
        stream.write("\t".join([c(v) for c, v in zip(convert, row, strict=True)]))
        stream.write("\n")
        count += 1
    if not count:
        return 0
    stream.seek(0)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(
            f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN", stream
        )
    return count


def objects_copy(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Give the new objects primary keys and COPY them (time stamps must be set already)."""
    if not objects:
        return
    for obj, pk in zip(objects, ids_reserve(model, len(objects)), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    rows_copy(model, fields, ([getattr(o, f.attname) for f in fields] for o in objects))
    for obj in objects:
        obj._state.adding = False
        obj._state.db = "default"
