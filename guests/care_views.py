"""The follow-up tasks pages: my (or everyone's) to-do list, and reporting one done."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from core import seams
from core.errors import refusal_on, refusal_status
from guests.care_tasks import (
    caretask_complete,
    caretask_get_for_user,
    caretask_list_for_user,
)
from guests.forms import CareTaskReportForm
from guests.models import CareTask


@permission_required("guests.view_caretask", raise_exception=True)
def caretask_list(request: HttpRequest) -> HttpResponse:
    show_done = request.GET.get("status") == "done"
    tasks = caretask_list_for_user(
        user=request.user, status=CareTask.Status.DONE if show_done else CareTask.Status.OPEN
    )
    if show_done:
        tasks = tasks.order_by("-done_at")
    page = Paginator(tasks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "guests/caretask_list.html",
        {"page": page, "show_done": show_done, "today": timezone.localdate()},
    )


@permission_required("guests.view_caretask", raise_exception=True)
def caretask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = caretask_get_for_user(user=request.user, pk=pk)
    page = seams.care_task_pages.get(task.kind)
    if page is not None and (url := page(task)):
        return redirect(url)  # a kind whose work has its own page (a win-back's outcome)
    form = CareTaskReportForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("guests.change_caretask"):
            raise PermissionDenied
        if form.is_valid():
            with refusal_on(form):
                caretask_complete(task=task, by=request.user, report=form.cleaned_data["report"])
            if not form.errors:
                messages.success(request, _("Follow-up recorded. Thank you."))
                return redirect("caretasks")
        return render(
            request,
            "guests/caretask_detail.html",
            {"task": task, "form": form},
            status=refusal_status(form),
        )
    return render(request, "guests/caretask_detail.html", {"task": task, "form": form})
