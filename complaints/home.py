"""The complaints blocks on the home page (core.seams.home_blocks), one per role.

Each runs a constant number of queries, whatever the number of tickets.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from accounts import roles
from complaints.models import OPEN_STATUSES, RecoveryAction, Ticket
from complaints.selectors import ticket_list_for_user, ticket_overdue_q, ticket_queue
from guests.selectors import in_house_stays

ROWS = 10


def in_house_complaints_block(*, user) -> dict | None:
    """Front desk: in-house guests with an open complaint, so nobody greets them unaware."""
    if not (roles.holds_role(user, roles.FRONT_DESK) and user.has_perm("complaints.view_ticket")):
        return None
    in_house = in_house_stays().values("guest_id")
    tickets = list(
        Ticket.objects.filter(status__in=OPEN_STATUSES, guest__in=in_house)
        .select_related("guest", "category")
        .order_by("-severity", "created_at")[:ROWS]
    )
    return {"tickets": tickets, "now": timezone.now()}


def my_due_block(*, user) -> dict | None:
    """Officers and department heads: their open tickets that are overdue or due soon."""
    if not roles.holds_role(user, roles.GUEST_RELATIONS, roles.DEPARTMENT_HEAD):
        return None
    now = timezone.now()
    queue = "department" if roles.holds_role(user, roles.DEPARTMENT_HEAD) else "mine"
    # The 50 nearest deadlines are enough to find the ones that need attention first.
    nearest = list(ticket_queue(user=user, queue=queue, sort="due")[:50])
    flagged = [(t, t.sla_state(now)) for t in nearest]
    overdue = [t for t, state in flagged if state == "overdue"]
    due_soon = [t for t, state in flagged if state == "due_soon"]
    return {"overdue": overdue[:ROWS], "due_soon": due_soon[:ROWS], "queue": queue, "now": now}


def headline_block(*, user) -> dict | None:
    """Managers: the headline figures and the recovery actions waiting for their approval."""
    if not (
        roles.holds_role(user, roles.MANAGER, roles.ADMINISTRATOR)
        and user.has_perm("complaints.view_ticket")
    ):
        return None
    now = timezone.now()
    today_start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    figures = ticket_list_for_user(user=user).aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("pk", filter=ticket_overdue_q(now)),
        logged_today=Count("pk", filter=Q(created_at__gte=today_start)),
        escalated=Count("pk", filter=Q(escalated=True, status__in=OPEN_STATUSES)),
    )
    pending = RecoveryAction.objects.filter(status=RecoveryAction.Status.PENDING)
    approvals = list(
        pending.select_related("ticket", "requested_by").order_by("requested_at", "pk")[:ROWS]
    )
    return {
        "figures": figures,
        "approvals": approvals,
        "approvals_count": pending.count(),
        "can_approve": user.has_perm("complaints.approve_recoveryaction"),
    }
