"""The quick log at the desk and its guest picker."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from complaints import services
from complaints.forms import TicketLogForm
from core.errors import refusal_on, refusal_status
from core.http import search_text
from guests.selectors import guest_search, guest_summaries

# --- Quick log ------------------------------------------------------------------------------------


@permission_required("complaints.add_ticket", raise_exception=True)
@require_http_methods(["GET", "POST"])
def log(request: HttpRequest) -> HttpResponse:
    """The one-screen quick log at the desk."""
    if request.method == "GET":
        initial: dict[str, object] = {"department": request.user.department_id}
        # "Log a complaint for this guest" on the guest card: the guest is already chosen and,
        # if in-house, the room filled; what is left is the category and what happened.
        picked = _guest_from_link(request.GET.get("guest", ""))
        if picked is not None:
            initial.update(
                guest=picked.pk,
                guest_query=picked.display_name,
                room_number=picked.in_house_room or "",  # type: ignore[attr-defined]
            )
        context = {
            "form": TicketLogForm(initial=initial),
            "guests": [picked] if picked is not None else [],
            "selected_guest": str(picked.pk) if picked is not None else "",
        }
        return render(request, "complaints/log.html", context)
    if "find" in request.POST:
        # Without JavaScript, "Search" shows the matching guests and keeps what was typed.
        form = TicketLogForm(initial=request.POST.dict())
        return render(request, "complaints/log.html", _log_context(form, request.POST))
    form = TicketLogForm(request.POST)
    if not form.is_valid():
        return render(request, "complaints/log.html", _log_context(form, request.POST), status=422)
    data = form.cleaned_data
    with refusal_on(form):
        ticket = services.ticket_log(
            by=request.user,
            guest=data["guest"],
            guest_name=data["guest_name"],
            room_number=data["room_number"],
            department=data["department"],
            category=data["category"],
            severity=data["severity"],
            channel=data["channel"],
            description=data["description"],
            log_key=data.get("log_key"),
        )
    if form.errors:
        context = _log_context(form, request.POST)
        return render(request, "complaints/log.html", context, status=refusal_status(form))
    messages.success(
        request, _("Complaint %(number)s logged. Thank you.") % {"number": ticket.number}
    )
    return redirect(ticket)


def _guest_from_link(value: str):
    """The guest named by ?guest=<id>, with their in-house room; None if absent or unknown."""
    from guests.models import Guest

    if not value.isdigit():
        return None
    found = guest_summaries(guests=list(Guest.objects.shown().filter(pk=int(value))))
    return found[0] if found else None


def _log_context(form: TicketLogForm, data) -> dict:
    query = search_text(data, "guest_query")
    selected = data.get("guest")
    guests = guest_search(query=query, limit=8) if query else []
    return {"form": form, "guests": guests, "selected_guest": str(selected or "")}


@permission_required("complaints.add_ticket", raise_exception=True)
@require_GET
def guest_picker(request: HttpRequest) -> HttpResponse:
    """The quick log's guest picker, as you type (htmx fragment)."""
    query = search_text(request.GET, "guest_query")
    guests = guest_search(query=query, limit=8)
    return render(
        request,
        "complaints/_guest_results.html",
        {"guests": guests, "query": query, "selected_guest": request.GET.get("guest", "")},
    )
