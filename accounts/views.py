"""The departments staff work in: listed for those who may see them, edited by managers."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.forms import DepartmentForm
from accounts.models import Department, SecurityEvent
from accounts.services import signin_username


@permission_required("accounts.view_department", raise_exception=True)
def department_list(request: HttpRequest) -> HttpResponse:
    departments = Department.objects.annotate(
        staff_count=Count("staff", filter=Q(staff__is_active=True))
    )
    return render(request, "accounts/department_list.html", {"departments": departments})


@permission_required("accounts.add_department", raise_exception=True)
def department_create(request: HttpRequest) -> HttpResponse:
    return _department_form(request, Department())


@permission_required("accounts.change_department", raise_exception=True)
def department_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _department_form(request, get_object_or_404(Department, pk=pk))


def _department_form(request: HttpRequest, department: Department) -> HttpResponse:
    form = DepartmentForm(request.POST or None, instance=department)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Department saved."))
            return redirect("departments")
        return render(request, "accounts/department_form.html", {"form": form}, status=422)
    return render(request, "accounts/department_form.html", {"form": form})


@permission_required("accounts.view_securityevent", raise_exception=True)
def security_log(request: HttpRequest) -> HttpResponse:
    """Sign-ins, failures, lock-outs and refused pages, newest first, for managers."""
    kind = request.GET.get("kind", "")
    events = SecurityEvent.objects.select_related("user")
    if kind in SecurityEvent.Kind.values:
        events = events.filter(kind=kind)
    page = Paginator(events.order_by("-at", "-pk"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/security_log.html",
        {"page": page, "kinds": SecurityEvent.Kind.choices, "kind": kind},
    )


def signin_locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes calls this on a locked account or address: the sign-in page, with why."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    form = AuthenticationForm(request, initial={"username": signin_username(request, credentials)})
    message = ngettext(
        "Too many failed sign-ins. For your security, signing in is paused for %(minutes)d "
        "minute. A manager can see this in the security log.",
        "Too many failed sign-ins. For your security, signing in is paused for %(minutes)d "
        "minutes. A manager can see this in the security log.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked_out": message},
        status=429,
    )
