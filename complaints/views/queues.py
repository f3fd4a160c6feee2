"""The complaint queues: filters, search, sorting, pages and the CSV export."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints import selectors
from complaints.forms import TicketFilterForm
from core.csvexport import csv_cell, csv_response
from core.pagination import CappedPaginator
from core.replicas import for_heavy_read

PAGE_SIZE = 25


# --- Queues ---------------------------------------------------------------------------------------


@permission_required("complaints.view_ticket", raise_exception=True)
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """One of the queues, with filters, search, sorting and pages; constant queries."""
    available = selectors.queues_for_user(user=request.user)
    keys = [q.key for q in available]
    key = request.GET.get("queue") or selectors.queue_default_for(user=request.user)
    if key not in keys:
        key = keys[0]
    form = TicketFilterForm.from_request(request)
    filters = form.values
    tickets = selectors.ticket_queue(
        user=request.user, queue=key, filters=filters, sort=filters.get("sort") or "newest"
    )
    page = CappedPaginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "queues": available,
        "current_queue": key,
        "form": form,
        "filtering": form.active,
        "page": page,
        "now": timezone.now(),
    }
    return render(request, "complaints/queue.html", context, status=form.status)


def _csv_rows(tickets) -> Iterator[list[str]]:
    yield [
        _("Number"),
        _("Logged at"),
        _("Guest"),
        _("Room"),
        _("Department"),
        _("Category"),
        _("Severity"),
        _("Channel"),
        _("Kind"),
        _("Status"),
        _("Assigned officer"),
        _("Acknowledge by"),
        _("Resolve by"),
        _("Resolved"),
        _("Description"),
    ]
    zone = timezone.get_current_timezone()

    def when(value) -> str:
        return value.astimezone(zone).strftime("%Y-%m-%d %H:%M") if value else ""

    for t in tickets.iterator(chunk_size=2000):
        yield [
            t.number,
            when(t.created_at),
            csv_cell(t.who),
            csv_cell(t.room_number),
            csv_cell(t.department.display_name),
            csv_cell(t.category.display_name),
            str(t.get_severity_display()),
            str(t.get_channel_display()),
            str(t.get_kind_display()) if t.kind else "",
            str(t.get_status_display()),
            csv_cell(str(t.assigned_to or "")),
            when(t.ack_due_at),
            when(t.resolve_due_at),
            when(t.resolved_at),
            csv_cell(t.description),
        ]


@permission_required("complaints.export_tickets", raise_exception=True)
@require_GET
def export(request: HttpRequest) -> StreamingHttpResponse:
    """The current queue and filters as CSV, streamed row by row from a server-side cursor."""
    keys = [q.key for q in selectors.queues_for_user(user=request.user)]
    key = request.GET.get("queue") if request.GET.get("queue") in keys else "all"
    filters = TicketFilterForm.from_request(request).values
    # Streamed after the view returns: bound to the replica (if usable) here, not by a block.
    tickets = for_heavy_read(
        selectors.ticket_queue(
            user=request.user, queue=key, filters=filters, sort=filters.get("sort") or "newest"
        )
    )
    return csv_response(_csv_rows(tickets), name=f"complaints-{key}")
