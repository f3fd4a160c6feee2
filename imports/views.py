"""The import pages: upload, map the columns, preview the refused rows, follow the run."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import refusal_on, refusal_status

from . import selectors, services
from .columns import COLUMNS
from .forms import EncodingForm, MappingForm, UploadForm
from .models import ImportRun
from .reading import rows_sample

PERMISSION = "imports.import_guests"


@permission_required(PERMISSION, raise_exception=True)
def run_list(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on(form):
            run = services.run_create(by=request.user, upload=form.cleaned_data["file"])
        if not form.errors:
            return redirect("imports:mapping", pk=run.pk)
    page = Paginator(selectors.run_list(), 25).get_page(request.GET.get("page"))
    status = refusal_status(form) if form.errors else 200
    return render(request, "imports/run_list.html", {"form": form, "page": page}, status=status)


@permission_required(PERMISSION, raise_exception=True)
def template_download(request: HttpRequest, fmt: str) -> HttpResponse:
    """The columns we read, with two example rows, as CSV (UTF-8 with BOM, for Excel) or .xlsx."""
    header = [column.key for column in COLUMNS]
    examples = [[column.example for column in COLUMNS], [column.example_2 for column in COLUMNS]]
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("guests")
        for values in (header, *examples):
            sheet.append(values)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="grc-import-template.xlsx"'
        return response
    text = io.StringIO()
    writer = csv.writer(text)
    for values in (header, *examples):
        writer.writerow(values)
    response = HttpResponse("\ufeff" + text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="grc-import-template.csv"'
    return response


def _started(run: ImportRun) -> bool:
    return run.status not in (ImportRun.Status.UPLOADED, ImportRun.Status.CHECKED)


@permission_required(PERMISSION, raise_exception=True)
def run_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    if _started(run):
        return redirect("imports:progress", pk=run.pk)
    encoding_form = EncodingForm(initial={"encoding": run.encoding})
    form = MappingForm(headers=run.headers, mapping=run.mapping)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "encoding":
        encoding_form = EncodingForm(request.POST)
        if encoding_form.is_valid():
            with refusal_on(encoding_form):
                services.run_encoding_set(run=run, encoding=encoding_form.cleaned_data["encoding"])
            if not encoding_form.errors:
                messages.success(request, _("The file was read again in the encoding you chose."))
                return redirect("imports:mapping", pk=run.pk)
        status = refusal_status(encoding_form)
    elif request.method == "POST":
        form = MappingForm(request.POST, headers=run.headers, mapping=run.mapping)
        if form.is_valid():
            with refusal_on(form):
                services.run_check(run=run, mapping=form.cleaned_data["mapping"])
            if not form.errors:
                return redirect("imports:preview", pk=run.pk)
        status = refusal_status(form)
    sample = rows_sample(services.import_path(run), run=run)
    return render(
        request,
        "imports/run_mapping.html",
        {"run": run, "form": form, "encoding_form": encoding_form, "sample": sample},
        status=status,
    )


@permission_required(PERMISSION, raise_exception=True)
def run_preview(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    if request.method == "POST":
        if run.status != ImportRun.Status.CHECKED:
            messages.error(request, _("This import has already started."))
            return redirect("imports:progress", pk=run.pk)
        services.run_start(run=run, by=request.user)
        messages.success(request, _("The import has started. You may close this page."))
        return redirect("imports:progress", pk=run.pk)
    if run.status == ImportRun.Status.UPLOADED:
        return redirect("imports:mapping", pk=run.pk)
    page = Paginator(selectors.problems_list(run=run), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "imports/run_preview.html",
        {
            "run": run,
            "page": page,
            "refused": selectors.refused_rows(list(page)),
            "valid_rows": run.total_rows - run.bad_rows,
        },
    )


@permission_required(PERMISSION, raise_exception=True)
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    if run.status == ImportRun.Status.UPLOADED:
        return redirect("imports:mapping", pk=run.pk)
    template = "imports/_progress.html" if request.htmx else "imports/run_progress.html"
    return render(request, template, {"run": run, "lost": services.run_is_lost(run)})


@permission_required(PERMISSION, raise_exception=True)
@require_POST
def run_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    try:
        services.run_cancel(run=run, by=request.user)
        messages.success(request, _("The import stops after the rows being written now."))
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("imports:progress", pk=run.pk)


@permission_required(PERMISSION, raise_exception=True)
@require_POST
def run_resume(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_get(pk=pk)
    try:
        services.run_resume(run=run, by=request.user)
        messages.success(request, _("The import resumes where it stopped."))
    except services.ImportRefused as exc:
        messages.error(request, str(exc))
    return redirect("imports:progress", pk=run.pk)
