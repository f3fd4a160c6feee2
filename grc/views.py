from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from grc import health
from grc.forms import DepartmentForm
from grc.models import Department
from grc.roles import roles_of


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "grc/home.html", {"roles": roles_of(request.user)})


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
    next_url = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("home")
    if code not in dict(settings.LANGUAGES):
        messages.error(request, _("That language is not available."))
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated and request.user.language != code:
        request.user.language = code
        request.user.save(update_fields=["language"])
    translation.activate(code)
    response = HttpResponseRedirect(next_url)
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
