from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from grc import health
from grc.care_tasks import (
    CareTaskError,
    caretask_complete,
    caretask_get_for_user,
    caretask_list_for_user,
)
from grc.forms import CareTaskReportForm, DepartmentForm
from grc.http import next_url
from grc.models import CareTask, Department
from grc.roles import roles_of


def home(request: HttpRequest) -> HttpResponse:
    context = {"roles": roles_of(request.user), "arrivals": None}
    if request.user.has_perm("guests.view_guest"):
        from guests.selectors import arrivals_today

        context["arrivals"] = arrivals_today()
    return render(request, "grc/home.html", context)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker status for load balancers and monitors; 503 if either is down."""
    database_error = health.database_check()
    broker_error = health.broker_check()
    ok = database_error is None and broker_error is None
    body = {
        "status": "ok" if ok else "error",
        "database": {"ok": database_error is None, "error": database_error},
        "broker": {"ok": broker_error is None, "error": broker_error},
        "scheduler": {"last_heartbeat": health.last_heartbeat() if broker_error is None else None},
    }
    return JsonResponse(body, status=200 if ok else 503)


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on every device."""
    code = request.POST.get("language", "")
    target = next_url(request, "home")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(target)
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    translation.activate(code)
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


@permission_required("grc.view_department", raise_exception=True)
def department_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    departments = Department.objects.annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True))
    )
    return render(request, "grc/department_list.html", {"departments": departments})


@permission_required("grc.add_department", raise_exception=True)
def department_create(request: HttpRequest) -> HttpResponse:
    return _department_form(request, Department())


@permission_required("grc.change_department", raise_exception=True)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _department_form(request, get_object_or_404(Department, pk=pk))


def _department_form(request: HttpRequest, department: Department) -> HttpResponse:
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Department saved."))
            return redirect("departments")
        return render(request, "grc/department_form.html", {"form": form}, status=422)
    return render(request, "grc/department_form.html", {"form": form})


@permission_required("grc.view_caretask", raise_exception=True)
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
        "grc/caretask_list.html",
        {"page": page, "show_done": show_done, "today": timezone.localdate()},
    )


@permission_required("grc.view_caretask", raise_exception=True)
def caretask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = caretask_get_for_user(user=request.user, pk=pk)
    form = CareTaskReportForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("grc.change_caretask"):
            raise PermissionDenied
        if form.is_valid():
            try:
                caretask_complete(task=task, by=request.user, report=form.cleaned_data["report"])
            except CareTaskError as exc:
                form.add_error("report", str(exc))
            else:
                messages.success(request, _("Follow-up recorded. Thank you."))
                return redirect("caretasks")
        return render(request, "grc/caretask_detail.html", {"task": task, "form": form}, status=422)
    return render(request, "grc/caretask_detail.html", {"task": task, "form": form})
