"""Complaints' part in a guest's data: moved by a merge, exported and erased on request.

Registered from ComplaintsConfig.ready into core.seams (guest_merge_hooks,
privacy_export_contributors, privacy_erase_contributors).
"""

from __future__ import annotations

from django.db.models import F
from django.utils.translation import gettext as _

from complaints.models import Ticket
from complaints.services.tickets import ticket_search_text


def tickets_merge(*, kept_guest_id: int, merged_guest_id: int, by) -> None:
    """The absorbed profile's complaints now belong to the kept profile (their timeline too)."""
    Ticket.objects.filter(guest_id=merged_guest_id).update(
        guest_id=kept_guest_id, version=F("version") + 1
    )


def tickets_export(guest) -> dict:
    """Every complaint of the guest with its whole timeline, in the reader's language."""
    tickets = (
        Ticket.objects.filter(guest=guest)
        .select_related("category", "department")
        .prefetch_related("events__by")
        .order_by("created_at", "pk")
    )
    rows = []
    for ticket in tickets:
        rows.append(
            {
                _("Number"): ticket.number,
                _("Logged"): ticket.created_at,
                _("Status"): ticket.get_status_display(),
                _("Category"): str(ticket.category),
                _("Department"): str(ticket.department),
                _("Room"): ticket.room_number,
                _("Description"): ticket.description,
                _("Timeline"): [
                    {
                        _("When"): event.at,
                        _("What happened"): event.get_kind_display(),
                        _("By"): str(event.by) if event.by else "",
                        _("Details"): event.detail,
                    }
                    for event in ticket.events.all()
                ],
            }
        )
    return {_("Complaints"): rows}


def tickets_erase(*, guest_id: int, by) -> None:
    """Keep the complaints for the statistics, without the name copied onto them."""
    for ticket in Ticket.objects.filter(guest_id=guest_id).exclude(guest_name=""):
        Ticket.objects.filter(pk=ticket.pk).update(
            guest_name="",
            search_text=ticket_search_text(
                number=ticket.number,
                guest_name="",
                room_number=ticket.room_number,
                description=ticket.description,
            ),
            version=F("version") + 1,
        )
