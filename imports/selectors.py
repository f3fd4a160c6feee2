"""Reading imports: the list of runs and the rows a run refused, with reasons to read."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .columns import reason_text
from .models import ImportProblem, ImportRun


def run_list() -> QuerySet[ImportRun]:
    return ImportRun.objects.select_related("created_by").order_by("-created_at", "-pk")


def run_get(*, pk: int) -> ImportRun:
    return get_object_or_404(ImportRun.objects.select_related("created_by"), pk=pk)


@dataclass(frozen=True)
class RefusedRow:
    line: int
    reasons: list[str]


def problems_list(*, run: ImportRun) -> QuerySet[ImportProblem]:
    return ImportProblem.objects.filter(run=run).order_by("line", "pk")


def refused_rows(problems: list[ImportProblem]) -> list[RefusedRow]:
    """One entry per line, its reasons in the active language (a page of problems at a time)."""
    rows: dict[int, list[str]] = {}
    for problem in problems:
        rows.setdefault(problem.line, []).append(reason_text(problem.code, problem.params))
    return [RefusedRow(line, reasons) for line, reasons in rows.items()]
