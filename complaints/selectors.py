"""Reading complaint data. Every list is restricted to what the user may see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import (
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from complaints.models import (
    OPEN_STATUSES,
    SLA_DUE_SOON_SHARE,
    RecoveryAction,
    ResolutionFeedback,
    SlaBreach,
    Ticket,
    TimelineEvent,
)

NUMBER_RE = re.compile(r"^\s*C-\d{4}-\d{1,6}\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Queue:
    key: str
    label: object
    permission: str


QUEUES = (
    Queue("mine", _("My tickets"), "complaints.work_ticket"),
    Queue("department", _("My department"), "complaints.work_ticket"),
    Queue("open", _("All open"), "complaints.view_ticket"),
    Queue("overdue", _("Overdue"), "complaints.view_ticket"),
    Queue("approval", _("Awaiting approval"), "complaints.view_ticket"),
    Queue("escalated", _("Escalated"), "complaints.handle_escalation"),
    Queue("all", _("All tickets"), "complaints.view_ticket"),
)
QUEUE_BY_KEY = {queue.key: queue for queue in QUEUES}

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "due": ("resolve_due_at", "id"),
    "severity": ("-severity", "-created_at", "-id"),
}


def queues_for_user(*, user) -> list[Queue]:
    return [queue for queue in QUEUES if user.has_perm(queue.permission)]


def queue_default_for(*, user) -> str:
    return "mine" if user.has_perm("complaints.work_ticket") else "all"


def _department_tickets(department_id: int) -> Q:
    involved = Ticket.involved_departments.through.objects.filter(
        department_id=department_id
    ).values("ticket_id")
    return Q(department_id=department_id) | Q(pk__in=involved)


def ticket_list_for_user(*, user) -> QuerySet[Ticket]:
    """Every ticket the user may see: all for guest relations and managers, their department's
    (and those they logged) for a department head, the ones they logged for the front desk."""
    tickets = Ticket.objects.all()
    if not user.is_authenticated or not user.has_perm("complaints.view_ticket"):
        return tickets.none()
    if user.has_perm("complaints.view_all_tickets"):
        return tickets
    seen = Q(logged_by=user) | Q(assigned_to=user) | Q(escalated_to=user)
    if user.has_perm("complaints.view_department_tickets") and user.department_id:
        seen |= _department_tickets(user.department_id)
    return tickets.filter(seen)


def ticket_visible_to(*, user, ticket: Ticket) -> bool:
    """The rule of ticket_list_for_user for one ticket already loaded, for links on pages that
    list others' tickets (the guest card). Query-free when involved_departments is prefetched."""
    if not user.is_authenticated or not user.has_perm("complaints.view_ticket"):
        return False
    if user.has_perm("complaints.view_all_tickets"):
        return True
    if user.pk in (ticket.logged_by_id, ticket.assigned_to_id, ticket.escalated_to_id):
        return True
    if not (user.has_perm("complaints.view_department_tickets") and user.department_id):
        return False
    return user.department_id == ticket.department_id or any(
        department.pk == user.department_id for department in ticket.involved_departments.all()
    )


def ticket_get_for_user(*, user, pk: int) -> Ticket:
    """One ticket with what its page needs; 404 when the user may not see it."""
    ticket = (
        ticket_list_for_user(user=user)
        .select_related(
            "guest", "department", "category", "logged_by", "assigned_to", "escalated_to"
        )
        .filter(pk=pk)
        .first()
    )
    if ticket is None:
        raise Http404("No such complaint ticket.")
    return ticket


def ticket_overdue_q(now: datetime) -> Q:
    return Q(status=Ticket.Status.NEW, ack_due_at__lt=now) | Q(
        status__in=OPEN_STATUSES, resolve_due_at__lt=now
    )


# --- the reminders' sweeps: each an indexed range on a small partial index ---------------------

# The target a reminder is about, and the ticket field holding its due time.
SLA_DUE_FIELDS: dict[str, str] = {
    SlaBreach.Target.ACKNOWLEDGE: "ack_due_at",
    SlaBreach.Target.RESOLVE: "resolve_due_at",
}


def _sla_unmet_q(target: str) -> Q:
    """Still owing the target: not acknowledged yet (new), or not resolved yet (open)."""
    if target == SlaBreach.Target.ACKNOWLEDGE:
        return Q(status=Ticket.Status.NEW)
    return Q(status__in=OPEN_STATUSES)


def ticket_sla_due_soon(*, target: str, now: datetime) -> QuerySet[Ticket]:
    """Tickets still owing `target` whose due time is in the due-soon window, not yet passed.

    The SQL twin of Ticket.sla_state's "due_soon": due − now ≤ (due − logged) / share, with the
    share from models.SLA_DUE_SOON_SHARE. The range on the due time uses the partial index.
    """
    field = SLA_DUE_FIELDS[target]
    window = ExpressionWrapper(
        (F(field) - F("created_at")) / SLA_DUE_SOON_SHARE, output_field=DurationField()
    )
    return (
        Ticket.objects.filter(_sla_unmet_q(target), **{f"{field}__gt": now})
        .alias(sla_window=window)
        .filter(**{f"{field}__lte": Value(now) + F("sla_window")})
    )


def ticket_sla_breached(*, target: str, now: datetime) -> QuerySet[Ticket]:
    """Tickets whose due time for `target` has passed without it being met, and whose breach
    (this target at this due time) is not recorded yet."""
    field = SLA_DUE_FIELDS[target]
    recorded = SlaBreach.objects.filter(
        ticket=OuterRef("pk"), target=target, due_at=OuterRef(field)
    )
    return Ticket.objects.filter(_sla_unmet_q(target), **{f"{field}__lte": now}).filter(
        ~Exists(recorded)
    )


def ticket_follow_up_due(*, day) -> QuerySet[Ticket]:
    """Tickets not closed whose follow-up date has come (hotel date)."""
    return Ticket.objects.filter(follow_up_on__isnull=False, follow_up_on__lte=day).exclude(
        status=Ticket.Status.CLOSED
    )


FEEDBACK_MISSING_AFTER = timedelta(hours=48)


def ticket_feedback_missing(*, now: datetime) -> QuerySet[Ticket]:
    """Resolved over 48 hours ago, and the guest has given no feedback on this resolution."""
    given = ResolutionFeedback.objects.filter(
        ticket=OuterRef("pk"), resolution_round=OuterRef("resolution_round")
    )
    return Ticket.objects.filter(
        status=Ticket.Status.RESOLVED, resolved_at__lte=now - FEEDBACK_MISSING_AFTER
    ).filter(~Exists(given))


def duty_managers() -> QuerySet:
    """Who takes escalations: active staff holding complaints.handle_escalation, with an e-mail."""
    return users_with_permission("handle_escalation").exclude(email="")


def ticket_queue(
    *, user, queue: str, filters: dict | None = None, sort: str = "newest"
) -> QuerySet[Ticket]:
    """The tickets of one queue, filtered and sorted, with each row's related data joined in."""
    now = timezone.now()
    tickets = ticket_list_for_user(user=user)
    if queue == "mine":
        tickets = tickets.filter(
            Q(assigned_to=user) | Q(escalated_to=user), status__in=OPEN_STATUSES
        )
    elif queue == "department":
        if not user.department_id:
            return tickets.none()
        tickets = tickets.filter(_department_tickets(user.department_id), status__in=OPEN_STATUSES)
    elif queue == "open":
        tickets = tickets.filter(status__in=OPEN_STATUSES)
    elif queue == "overdue":
        tickets = tickets.filter(ticket_overdue_q(now))
    elif queue == "approval":
        pending = RecoveryAction.objects.filter(
            ticket=OuterRef("pk"), status=RecoveryAction.Status.PENDING
        )
        tickets = tickets.filter(Exists(pending))
    elif queue == "escalated":
        tickets = tickets.filter(escalated=True, status__in=OPEN_STATUSES)
    tickets = ticket_filter(tickets, filters or {})
    return tickets.select_related("guest", "department", "category", "assigned_to").order_by(
        *SORTS.get(sort, SORTS["newest"])
    )


def ticket_filter(tickets: QuerySet[Ticket], filters: dict) -> QuerySet[Ticket]:
    """Apply the queue page's filters (already validated by the filter form)."""
    if filters.get("status"):
        tickets = tickets.filter(status=filters["status"])
    if filters.get("severity"):
        tickets = tickets.filter(severity=filters["severity"])
    if filters.get("department"):
        tickets = tickets.filter(department=filters["department"])
    if filters.get("category"):
        tickets = tickets.filter(category=filters["category"])
    if filters.get("kind"):
        tickets = tickets.filter(kind=filters["kind"])
    if filters.get("guest"):
        tickets = tickets.filter(guest_id=filters["guest"])
    zone = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = datetime.combine(filters["date_from"], time.min, tzinfo=zone)
        tickets = tickets.filter(created_at__gte=start)
    if filters.get("date_to"):
        end = datetime.combine(filters["date_to"], time.max, tzinfo=zone)
        tickets = tickets.filter(created_at__lte=end)
    query = (filters.get("q") or "").strip()
    if query:
        if NUMBER_RE.match(query):
            tickets = tickets.filter(number=query.strip().upper())
        else:
            # search_text is stored lower-cased: LIKE (not UPPER() LIKE) uses the trigram index.
            tickets = tickets.filter(search_text__contains=query.lower())
    return tickets


def ticket_timeline(*, ticket: Ticket) -> list[TimelineEvent]:
    """The ticket's story, in order, with who did each step."""
    return list(ticket.events.select_related("by").order_by("at", "pk"))


def ticket_recovery_actions(*, ticket: Ticket) -> list[RecoveryAction]:
    return list(
        ticket.recovery_actions.select_related("requested_by", "decided_by").order_by(
            "requested_at", "pk"
        )
    )


def ticket_feedback(*, ticket: Ticket) -> list[ResolutionFeedback]:
    return list(ticket.feedback.select_related("recorded_by").order_by("-at"))


def users_with_permission(codename: str, app_label: str = "complaints") -> QuerySet:
    """Active staff holding a permission through a role, directly, or as superusers."""
    permission = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    users = get_user_model().objects.filter(is_active=True)
    if permission is None:
        return users.filter(is_superuser=True)
    return (
        users.filter(
            Q(groups__permissions=permission)
            | Q(user_permissions=permission)
            | Q(is_superuser=True)
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def ticket_card_panel(*, guest, user) -> dict | None:
    """The guest card's complaints panel: open tickets and the last resolved one with its
    outcome. Every role that sees complaints sees the numbers (the desk should know the guest
    is unhappy); only the tickets the user may open are links. Three queries whatever the
    guest's history; None for users who see no complaints."""
    if not user.has_perm("complaints.view_ticket"):
        return None
    base = Ticket.objects.filter(guest=guest).select_related("category", "department")
    open_tickets = list(base.filter(status__in=OPEN_STATUSES).order_by("-created_at")[:10])
    # The guest's verdict on this resolution, not on an earlier one that was reopened.
    latest_score = (
        ResolutionFeedback.objects.filter(
            ticket=OuterRef("pk"), resolution_round=OuterRef("resolution_round")
        )
        .order_by("-at")
        .values("score")[:1]
    )
    last_resolved = (
        base.filter(status__in=(Ticket.Status.RESOLVED, Ticket.Status.CLOSED))
        .annotate(feedback_score=Subquery(latest_score))
        .order_by("-resolved_at")
        .first()
    )
    rows = [*open_tickets, *([last_resolved] if last_resolved else [])]
    # ticket_visible_to reads the departments brought in: one query for all the rows.
    prefetch_related_objects(rows, Prefetch("involved_departments", Department.objects.only("pk")))
    return {
        "open_tickets": open_tickets,
        "last_resolved": last_resolved,
        "can_open": {t.pk for t in rows if ticket_visible_to(user=user, ticket=t)},
        "can_log": user.has_perm("complaints.add_ticket"),
        "guest": guest,
        "now": timezone.now(),
    }


def ticket_feedback_requests(*, ticket: Ticket) -> list:
    """The feedback-link messages sent for the ticket's current resolution, newest first."""
    from complaints.services.feedback import feedback_request_key
    from notifications.models import Notification

    prefix = feedback_request_key(ticket=ticket, resolution_round=ticket.resolution_round)
    return list(
        Notification.objects.filter(key__startswith=prefix).order_by("-created_at", "-pk")[:5]
    )
