"""Walk a large selection by primary key in chunks, never holding all of it in memory."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet


def ids_in_chunks(queryset: QuerySet, size: int) -> Iterator[list[int]]:
    """The queryset's primary keys in ascending order, `size` at a time (a server-side cursor)."""
    chunk: list[int] = []
    for pk in queryset.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2000):
        chunk.append(pk)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
