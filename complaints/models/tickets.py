"""The ticket register: numbers, tickets and the SLA targets they missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models.lists import Category, RootCause, Severity


class TicketCounter(models.Model):
    """The last ticket number given out in a year; taken with one atomic upsert."""

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("ticket counter")
        verbose_name_plural = _("ticket counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


OPEN_STATUSES = ("new", "acknowledged", "in_progress", "reopened")

# A target is "due soon" in the last quarter of the time it allowed. The queues (sla_state)
# and the reminders (selectors.ticket_sla_due_soon_q) both read this one number.
SLA_DUE_SOON_SHARE = 4


def sla_due_soon_window(due_at: datetime, started: datetime) -> timedelta:
    """How long before `due_at` a target counts as due soon."""
    return max((due_at - started) / SLA_DUE_SOON_SHARE, timedelta(0))


@dataclass(frozen=True)
class SlaDeadline:
    """One deadline on the ticket page: due when, met when (None while it applies), state."""

    target: str  # "acknowledge" or "resolve"
    due_at: datetime
    met_at: datetime | None
    state: str  # "overdue", "due_soon" or ""
    earlier_resolution: datetime | None = None  # a reopened ticket's previous resolution


class Ticket(models.Model):
    """One complaint, from the desk to the guest's "satisfied"."""

    class Status(models.TextChoices):
        NEW = "new", _("New")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        RESOLVED = "resolved", _("Resolved")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        SURVEY = "survey", _("Survey")
        ONLINE_REVIEW = "online_review", _("Online review")

    class Kind(models.TextChoices):
        SINCERE = "sincere", _("Sincere")
        EMOTIONAL = "emotional", _("Emotional")
        OPPORTUNISTIC = "opportunistic", _("Opportunistic")
        PROCEDURAL = "procedural", _("Procedural")

    class CloseReason(models.TextChoices):
        FEEDBACK = "feedback", _("Guest gave feedback")
        GUEST_UNREACHABLE = "guest_unreachable", _("Guest unreachable")

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    guest = models.ForeignKey(
        "guests.Guest",
        verbose_name=_("guest"),
        on_delete=models.PROTECT,  # the register is archived for good
        null=True,
        blank=True,
        related_name="complaint_tickets",
    )
    guest_name = models.CharField(
        _("guest name"),
        max_length=200,
        blank=True,
        help_text=_("The walk-in's name, or the guest's name when the ticket was logged."),
    )
    room_number = models.CharField(_("room"), max_length=10, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="complaint_tickets",
    )
    involved_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("departments brought in"),
        blank=True,
        related_name="involved_complaint_tickets",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.PROTECT, related_name="tickets"
    )
    severity = models.PositiveSmallIntegerField(
        _("severity"), choices=Severity, default=Severity.MEDIUM
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel, default=Channel.IN_PERSON
    )
    description = models.TextField(_("description"))
    kind = models.CharField(_("kind of complaint"), max_length=16, choices=Kind, blank=True)
    root_causes = models.ManyToManyField(
        RootCause, verbose_name=_("root causes"), blank=True, related_name="tickets"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.NEW)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.PROTECT,
        related_name="complaints_logged",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_assigned",
    )
    escalated = models.BooleanField(_("escalated"), default=False)
    escalated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("escalated to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_escalated_to",
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    escalation_reason = models.TextField(_("reason for escalation"), blank=True)
    ack_due_at = models.DateTimeField(_("acknowledge by"))
    resolve_due_at = models.DateTimeField(_("resolve by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason, blank=True
    )
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    # Each resolution is a round; the guest's feedback belongs to one round.
    resolution_round = models.PositiveSmallIntegerField(_("resolution round"), default=0)
    # Lower-cased number, guest name, room and description, for one trigram-indexed search.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # The quick-log form's one-time key: a double submit finds the ticket it already made.
    log_key = models.UUIDField(_("log key"), null=True, blank=True, unique=True, editable=False)
    created_at = models.DateTimeField(_("logged at"), db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("complaint ticket")
        verbose_name_plural = _("complaint tickets")
        ordering = ["-created_at"]
        permissions = [
            ("view_all_tickets", _("Can see every complaint ticket")),
            ("view_department_tickets", _("Can see the complaint tickets of their department")),
            ("work_ticket", _("Can handle complaint tickets")),
            ("close_ticket", _("Can close complaint tickets")),
            ("handle_escalation", _("Can take escalated complaint tickets")),
            ("export_tickets", _("Can export complaint tickets")),
        ]
        indexes = [
            models.Index(name="ticket_status_created", fields=["status", "-created_at"]),
            models.Index(name="ticket_dept_created", fields=["department", "-created_at"]),
            models.Index(name="ticket_assigned_created", fields=["assigned_to", "-created_at"]),
            models.Index(name="ticket_logged_by_created", fields=["logged_by", "-created_at"]),
            models.Index(name="ticket_guest_created", fields=["guest", "-created_at"]),
            models.Index(name="ticket_category_created", fields=["category", "-created_at"]),
            models.Index(name="ticket_escalated_to", fields=["escalated_to", "-created_at"]),
            models.Index(name="ticket_follow_up_on", fields=["follow_up_on"]),
            # The open queues: small partial indexes that stay small as the archive grows.
            models.Index(
                name="ticket_open_created",
                fields=["-created_at"],
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                name="ticket_open_dept",
                fields=["department", "-created_at"],
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                name="ticket_open_resolve_due",
                fields=["resolve_due_at"],
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                name="ticket_new_ack_due", fields=["ack_due_at"], condition=Q(status="new")
            ),
            # The reminders: follow-up dates still to chase, resolutions awaiting feedback.
            models.Index(
                name="ticket_follow_up_not_closed",
                fields=["follow_up_on"],
                condition=Q(follow_up_on__isnull=False) & ~Q(status="closed"),
            ),
            models.Index(
                name="ticket_resolved_at_awaiting",
                fields=["resolved_at"],
                condition=Q(status="resolved"),
            ),
            GinIndex(name="ticket_search_trgm", fields=["search_text"], opclasses=["gin_trgm_ops"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(guest__isnull=False) | ~Q(guest_name=""),
                name="ticket_guest_or_walk_in_name",
                violation_error_message=_("Choose a guest or give the walk-in's name."),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | ~Q(close_reason=""),
                name="ticket_closed_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("complaints:ticket", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def who(self) -> str:
        """The guest's name as staff should read it in a list."""
        if self.guest_id and self.guest is not None:
            return self.guest.display_name
        return self.guest_name

    def sla_due(self) -> tuple[datetime, datetime] | None:
        """(due, started) of the target that matters now, or None once resolved."""
        if self.status == self.Status.NEW:
            return self.ack_due_at, self.created_at
        if self.is_open:
            return self.resolve_due_at, self.created_at
        return None

    def sla_targets(self, now: datetime) -> list[SlaDeadline]:
        """The two targets as the ticket page shows them: when each is due and whether it is met.

        A target is met only while the ticket stays past it: a reopened ticket keeps its old
        `resolved_at` (the feedback rounds need it) but its resolve target is the new deadline,
        open again, so it shows that deadline and whether it is due soon or overdue.
        """
        state = self.sla_state(now)
        resolved = self.status in (self.Status.RESOLVED, self.Status.CLOSED)
        acknowledged = self.status != self.Status.NEW
        return [
            SlaDeadline(
                target="acknowledge",
                due_at=self.ack_due_at,
                met_at=self.acknowledged_at if acknowledged else None,
                state="" if acknowledged else state,
            ),
            SlaDeadline(
                target="resolve",
                due_at=self.resolve_due_at,
                met_at=self.resolved_at if resolved else None,
                state="" if resolved or not acknowledged else state,
                earlier_resolution=None if resolved else self.resolved_at,
            ),
        ]

    def sla_state(self, now: datetime) -> str:
        """ "overdue", "due_soon" (within a quarter of the target's time) or ""."""
        due = self.sla_due()
        if due is None:
            return ""
        due_at, started = due
        if due_at <= now:
            return "overdue"
        if due_at - now <= sla_due_soon_window(due_at, started):
            return "due_soon"
        return ""


class SlaBreach(models.Model):
    """A target a ticket missed: recorded once, when the reminders find it, and escalated then.

    Unique per ticket, target and due time, so a re-run, a retry or a second worker never
    escalates the same breach twice, while a new due time (after a reopen) is a new breach.
    """

    class Target(models.TextChoices):
        ACKNOWLEDGE = "ack", _("Acknowledge")
        RESOLVE = "resolve", _("Resolve")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="sla_breaches"
    )
    target = models.CharField(_("target"), max_length=10, choices=Target)
    due_at = models.DateTimeField(_("was due"))
    detected_at = models.DateTimeField(_("found"))

    class Meta:
        verbose_name = _("SLA breach")
        verbose_name_plural = _("SLA breaches")
        ordering = ["-detected_at"]
        indexes = [models.Index(name="slabreach_detected", fields=["-detected_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "target", "due_at"], name="slabreach_once_per_due_time"
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.due_at:%Y-%m-%d %H:%M}"
