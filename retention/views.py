"""Guest value pages: the segment list, the rules, handing guests out, win-backs, the report."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.csvexport import csv_cell, csv_response
from core.errors import refusal_on, refusal_status
from core.pagination import CappedPaginator
from core.replicas import for_heavy_read
from guests.care_tasks import caretask_get_for_user
from guests.models import CareTask, Guest
from retention import selectors
from retention.forms import DistributionForm, ReportFilterForm, ValueFilterForm, WinBackForm
from retention.models import DistributionRun, Segment, WinBack
from retention.segments import RULES
from retention.services import distribution, radar, valuation

PAGE_SIZE = 25


def _filtered(request: HttpRequest):
    form = ValueFilterForm.from_request(request)
    return form, selectors.value_list(**form.values)


@permission_required("retention.view_guestvalue", raise_exception=True)
def value_list(request: HttpRequest) -> HttpResponse:
    form, values = _filtered(request)
    page = CappedPaginator(values, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "retention/value_list.html",
        {"form": form, "page": page, "segments": Segment},
        status=form.status,
    )


@permission_required("retention.export_guestvalue", raise_exception=True)
@require_GET
def value_export(request: HttpRequest) -> HttpResponse:
    _form, values = _filtered(request)
    return csv_response(_csv_rows(for_heavy_read(values)), name="guest-value")


def _csv_rows(values):
    yield [
        _("Guest number"),
        _("Guest"),
        _("Company"),
        _("Account manager"),
        _("Segment"),
        _("Recency score"),
        _("Frequency score"),
        _("Monetary score"),
        _("Stays"),
        _("Nights"),
        _("Last departure"),
        _("Spend to date"),
        _("Projected value, next 12 months"),
        _("At risk"),
    ]
    for v in values.iterator(chunk_size=2000):
        g = v.guest
        yield [
            str(g.pk),
            csv_cell(g.display_name),
            csv_cell(g.company.name if g.company else ""),
            csv_cell(str(g.account_manager or "")),
            str(v.get_segment_display()),
            str(v.r_score or ""),
            str(v.f_score or ""),
            str(v.m_score or ""),
            str(v.stays),
            str(v.nights),
            v.last_departure.isoformat() if v.last_departure else "",
            str(v.spend_total),
            str(v.projected_value),
            _("yes") if v.at_risk else "",
        ]


@permission_required("retention.distribute_guests", raise_exception=True)
@require_POST
def keep_in_touch(request: HttpRequest) -> HttpResponse:
    """Hand the filtered list to the guests' account managers as keep-in-touch tasks."""
    form, values = _filtered(request)
    label = form.values.get("segment") and Segment(form.values["segment"]).label or _("guest list")
    made = distribution.keep_in_touch_tasks(values=values, by=request.user, label=str(label))
    messages.success(
        request,
        _("%(count)d keep-in-touch tasks handed out (at most %(limit)d at a time).")
        % {"count": made, "limit": distribution.TASKS_AT_ONCE},
    )
    return redirect(f"{reverse('retention:list')}?{request.GET.urlencode()}")


@permission_required("retention.view_guestvalue", raise_exception=True)
def segment_rules(request: HttpRequest) -> HttpResponse:
    return render(request, "retention/segment_rules.html", {"rules": RULES})


@permission_required("retention.change_guestvalue", raise_exception=True)
@require_POST
def value_recompute(request: HttpRequest, guest_id: int) -> HttpResponse:
    guest = get_object_or_404(Guest.objects.shown(), pk=guest_id)
    valuation.guest_value_refresh(guest_id=guest.pk, today=timezone.localdate())
    messages.success(request, _("Value recomputed."))
    return redirect("guests:detail", guest.pk)


@permission_required("retention.distribute_guests", raise_exception=True)
def distribute(request: HttpRequest) -> HttpResponse:
    """Preview (GET with a scope) and apply (POST) a fair hand-out of unassigned guests."""
    if request.method == "POST":
        form = DistributionForm(request.POST)
        if form.is_valid():
            run = distribution.distribution_apply(by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("%(count)d guests handed to account managers.") % {"count": run.total},
            )
            return redirect("retention:distribute")
        status = 422
    else:
        form = DistributionForm(request.GET or None)
        status = 200 if not request.GET or form.is_valid() else 422
    plan = (
        distribution.distribution_plan(**form.cleaned_data)
        if form.is_bound and form.is_valid()
        else None
    )
    return render(
        request,
        "retention/distribute.html",
        {
            "form": form,
            "plan": plan,
            "managers": distribution.account_managers() if plan is None else None,
            "runs": DistributionRun.objects.select_related("by")[:20],
        },
        status=status,
    )


def _win_back_for(request: HttpRequest, task_pk: int) -> WinBack:
    task = caretask_get_for_user(user=request.user, pk=task_pk)  # 404 unless theirs to see
    try:
        return WinBack.objects.select_related(
            "task__assigned_to", "guest", "company", "next_stay", "closed_by"
        ).get(task=task)
    except WinBack.DoesNotExist:
        raise Http404 from None


@permission_required("guests.view_caretask", raise_exception=True)
def win_back_detail(request: HttpRequest, task_pk: int) -> HttpResponse:
    win_back = _win_back_for(request, task_pk)
    form = WinBackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.has_perm("guests.change_caretask"):
            raise PermissionDenied
        if form.is_valid():
            with refusal_on(form):
                radar.win_back_record(win_back=win_back, by=request.user, **form.cleaned_data)
            if not form.errors:
                messages.success(request, _("Outcome recorded. Thank you."))
                return redirect("caretasks")
        status = refusal_status(form)
    return render(
        request,
        "retention/win_back.html",
        {"win_back": win_back, "task": win_back.task, "reasons": win_back.reasons, "form": form},
        status=status,
    )


@permission_required("retention.view_retention_report", raise_exception=True)
def lost_report(request: HttpRequest) -> HttpResponse:
    form = ReportFilterForm.from_request(request)
    values = form.values
    today = timezone.localdate()
    end = values.get("date_to") or today
    start = values.get("date_from") or end - timedelta(days=365)
    period = values.get("period") or "month"
    rows = radar.lost_reasons_report(start=start, end=end, period=period)
    totals = {
        reason: sum(r["reasons"].get(reason, 0) for r in rows)
        for reason in WinBack.LostReason.values
    }
    return render(
        request,
        "retention/lost_report.html",
        {
            "form": form,
            "rows": rows,
            "start": start,
            "end": end,
            "period": period,
            "reasons": WinBack.LostReason.choices,
            "outcomes": WinBack.Outcome.choices,
            "totals": totals,
        },
        status=form.status,
    )


def care_task_page(task: CareTask) -> str | None:
    """core.seams.care_task_pages: a win-back task is worked on its own page."""
    return reverse("retention:win_back", args=[task.pk])
