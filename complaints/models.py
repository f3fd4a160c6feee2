"""Complaint tickets: the register, its permanent timeline, recovery actions and the guest's
verdict on how it was resolved (客户投诉处理登记表, 投诉处理结果客户反馈)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class LocalisedName(models.Model):
    """A managed list entry with an English and a Chinese name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_zh and (get_language() or "").lower().startswith("zh"):
            return self.name_zh
        return self.name


class Category(LocalisedName):
    """What the complaint is about: room temperature, noise, billing …; managed by admins."""

    class Meta(LocalisedName.Meta):
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")


class RootCause(LocalisedName):
    """Why it happened, as found by the investigation; a ticket may have several."""

    class Meta(LocalisedName.Meta):
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")


class Severity(models.IntegerChoices):
    LOW = 1, _("Low")
    MEDIUM = 2, _("Medium")
    HIGH = 3, _("High")
    CRITICAL = 4, _("Critical")


class SlaTarget(models.Model):
    """How soon a ticket of a severity must be acknowledged and resolved; editable by admins."""

    severity = models.PositiveSmallIntegerField(_("severity"), choices=Severity, unique=True)
    acknowledge_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"))
    resolve_minutes = models.PositiveIntegerField(_("resolve within (minutes)"))

    class Meta:
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        ordering = ["-severity"]
        constraints = [
            models.CheckConstraint(
                condition=Q(acknowledge_minutes__gt=0)
                & Q(resolve_minutes__gte=models.F("acknowledge_minutes")),
                name="slatarget_positive_and_ordered",
                violation_error_message=_(
                    "Both targets must be positive, and resolving cannot come before acknowledging."
                ),
            )
        ]

    def __str__(self) -> str:
        return str(self.get_severity_display())


class AuthorityLimit(models.Model):
    """What a role may grant without asking a manager. Empty means no limit."""

    group = models.OneToOneField(
        "auth.Group", verbose_name=_("role"), on_delete=models.CASCADE, related_name="+"
    )
    max_value = models.DecimalField(
        _("largest value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Compensation this role grants alone; leave empty for no limit."),
    )
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    max_points = models.PositiveIntegerField(
        _("largest loyalty points award"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit."),
    )

    class Meta:
        verbose_name = _("authority limit")
        verbose_name_plural = _("authority limits")
        ordering = ["group__name"]

    def __str__(self) -> str:
        return str(self.group)


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
        "grc.Department",
        verbose_name=_("responsible department"),
        on_delete=models.PROTECT,
        related_name="complaint_tickets",
    )
    involved_departments = models.ManyToManyField(
        "grc.Department",
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


class TimelineEventQuerySet(models.QuerySet):
    """The timeline is append-only: no bulk update or delete through the ORM."""

    def update(self, **kwargs):
        raise PermissionError("The complaint timeline is append-only.")

    def delete(self):
        raise PermissionError("The complaint timeline is append-only.")


class TimelineEvent(models.Model):
    """One step in a ticket's story. Never changed, never deleted (a database trigger agrees)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Logged")
        STATUS_CHANGED = "status_changed", _("Status changed")
        LISTENED = "listened", _("Listened")
        APOLOGISED = "apologised", _("Apologised")
        SOLUTION_OFFERED = "solution_offered", _("Solution offered")
        FOLLOW_UP_DONE = "follow_up_done", _("Follow-up done")
        SURPRISE_GIVEN = "surprise_given", _("Surprise given")
        NOTE = "note", _("Note")
        DEPARTMENT_BROUGHT_IN = "department_brought_in", _("Department brought in")
        ESCALATED = "escalated", _("Escalated")
        RECOVERY_PROPOSED = "recovery_proposed", _("Recovery action granted")
        APPROVAL_ASKED = "approval_asked", _("Approval asked")
        APPROVAL_GIVEN = "approval_given", _("Approval given")
        APPROVAL_REJECTED = "approval_rejected", _("Approval rejected")
        FEEDBACK_RECORDED = "feedback_recorded", _("Feedback recorded")
        REOPENED = "reopened", _("Reopened")
        ASSIGNED = "assigned", _("Assigned")
        CLASSIFIED = "classified", _("Classified")
        UPDATED = "updated", _("Details changed")
        OWNER_NOTIFIED = "owner_notified", _("Owner notified")

    # Steps an officer records by hand on the ticket page (the five steps, and notes).
    HANDLING_STEPS = (
        Kind.LISTENED,
        Kind.APOLOGISED,
        Kind.SOLUTION_OFFERED,
        Kind.FOLLOW_UP_DONE,
        Kind.SURPRISE_GIVEN,
        Kind.NOTE,
    )

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(_("what happened"), max_length=24, choices=Kind)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the guest or the system did it."),
    )
    at = models.DateTimeField(_("when"))
    text = models.TextField(_("text"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = TimelineEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["at", "pk"]
        indexes = [models.Index(name="timeline_ticket_at", fields=["ticket", "at"])]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("The complaint timeline is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The complaint timeline is append-only.")

    @property
    def detail(self) -> str:
        """A short line from the entry's data, in the reader's language."""
        from django.utils.translation import gettext

        data = self.data or {}
        statuses = dict(Ticket.Status.choices)
        if self.kind in (self.Kind.STATUS_CHANGED, self.Kind.REOPENED) and data.get("to"):
            return gettext("%(old)s → %(new)s") % {
                "old": statuses.get(data.get("from"), data.get("from")),
                "new": statuses.get(data["to"], data["to"]),
            }
        if self.kind == self.Kind.FEEDBACK_RECORDED and "score" in data:
            if data.get("via") == ResolutionFeedback.Via.GUEST_LINK:
                return gettext("Score %(score)s/5, given by the guest through their link.") % data
            return gettext("Score %(score)s/5.") % data
        if "kind" in data and "action" in data:
            kinds = dict(RecoveryAction.Kind.choices)
            label = kinds.get(data["kind"], data["kind"])
            if data["kind"] == RecoveryAction.Kind.LOYALTY_POINTS:
                return gettext("%(kind)s: %(points)s points") % {
                    "kind": label,
                    "points": data.get("points"),
                }
            if data.get("value") and data["value"] not in ("0", "0.00"):
                return gettext("%(kind)s: %(value)s %(currency)s") % {
                    "kind": label,
                    "value": data["value"],
                    "currency": data.get("currency", ""),
                }
            return str(label)
        if self.kind == self.Kind.DEPARTMENT_BROUGHT_IN:
            return data.get("department_name", "")
        if self.kind == self.Kind.ESCALATED and data.get("sla"):
            due = timezone.localtime(datetime.fromisoformat(data["due_at"]))
            if data["sla"] == SlaBreach.Target.ACKNOWLEDGE:
                line = gettext("SLA breached: not acknowledged by %(due)s.")
            else:
                line = gettext("SLA breached: not resolved by %(due)s.")
            return line % {"due": f"{due:%Y-%m-%d %H:%M}"}
        if self.kind == self.Kind.ESCALATED and data.get("escalated_to_name"):
            return gettext("To %(name)s") % {"name": data["escalated_to_name"]}
        if self.kind == self.Kind.UPDATED:
            names = {f.name for f in Ticket._meta.get_fields()}
            parts = []
            for name, (old, new) in data.items():
                if name not in names:
                    continue
                field = Ticket._meta.get_field(name)
                labels = {str(k): v for k, v in (field.choices or [])}
                old, new = labels.get(old, old), labels.get(new, new)
                parts.append(f"{field.verbose_name}: {old or '—'} → {new or '—'}")
            return "; ".join(parts)
        return ""


class RecoveryAction(models.Model):
    """A gesture to make good: an apology, a discount, an upgrade, points …"""

    class Kind(models.TextChoices):
        APOLOGY = "apology", _("Apology only")
        DISCOUNT = "discount", _("Discount")
        UPGRADE = "upgrade", _("Room upgrade")
        FB_VOUCHER = "fb_voucher", _("F&B voucher")
        LOYALTY_POINTS = "loyalty_points", _("Loyalty points")
        REFUND = "refund", _("Refund")
        GIFT = "gift", _("Gift")

    # Everything but an apology or points is worth money (an upgrade and a gift too): the
    # request carries that worth, and the authority limit is checked against it.
    KINDS_WITH_VALUE = (Kind.DISCOUNT, Kind.UPGRADE, Kind.FB_VOUCHER, Kind.REFUND, Kind.GIFT)

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPLIED = "applied", _("Granted")
        REJECTED = "rejected", _("Rejected")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="recovery_actions"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=2, default=0)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    points = models.PositiveIntegerField(_("points"), default=0)
    description = models.CharField(_("description"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)
    applied_at = models.DateTimeField(_("took effect"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery action")
        verbose_name_plural = _("recovery actions")
        ordering = ["requested_at", "pk"]
        permissions = [
            ("approve_recoveryaction", _("Can approve recovery actions above another's authority"))
        ]
        indexes = [
            models.Index(name="recovery_ticket", fields=["ticket", "requested_at"]),
            models.Index(
                name="recovery_pending",
                fields=["ticket"],
                condition=Q(status="pending"),
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(value__gte=0), name="recovery_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.ticket_id})"

    @property
    def amount_display(self) -> str:
        if self.kind == self.Kind.LOYALTY_POINTS:
            return str(self.points)
        if self.value:
            return f"{self.value} {self.currency}"
        return ""


class ResolutionFeedback(models.Model):
    """投诉处理结果客户反馈: how satisfied the guest is with one resolution of the ticket."""

    class Via(models.TextChoices):
        STAFF = "staff", _("Recorded by staff")
        GUEST_LINK = "guest_link", _("Guest's own link")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("ticket"), on_delete=models.PROTECT, related_name="feedback"
    )
    resolution_round = models.PositiveSmallIntegerField(_("resolution round"))
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    via = models.CharField(_("recorded through"), max_length=12, choices=Via)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"))
    owner_notified_at = models.DateTimeField(_("owner notified"), null=True, blank=True)

    class Meta:
        verbose_name = _("resolution feedback")
        verbose_name_plural = _("resolution feedback")
        ordering = ["-at"]
        indexes = [models.Index(name="feedback_ticket_at", fields=["ticket", "-at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="feedback_score_1_to_5"
            ),
            # One verdict per resolution: a second submit of the same link changes nothing.
            models.UniqueConstraint(
                fields=["ticket", "resolution_round"], name="feedback_one_per_round"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.score}/5"

    @property
    def is_unhappy(self) -> bool:
        return self.score <= 2


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
