"""What a guest (and a company) is worth to the hotel, and the work of keeping them.

`GuestValue` and `CompanyValue` are recomputed nightly, set-based, by
retention.services.valuation; a win-back is one absence of a guest (or a company) the churn
radar noticed, with its follow-up task, its reasons and how it ended; a distribution run records
who handed which guests to which account managers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from guests.models import CareTask, Company, Guest, Stay


class Segment(models.TextChoices):
    """The segments, in the order their rules are tried (retention.segments)."""

    CHAMPIONS = "champions", _("Champions")
    LOYAL = "loyal", _("Loyal")
    NEW = "new", _("New")
    PROMISING = "promising", _("Promising")
    CANT_LOSE = "cant_lose", _("Can't lose")
    AT_RISK = "at_risk", _("At risk")
    NEEDS_ATTENTION = "needs_attention", _("Needs attention")
    HIBERNATING = "hibernating", _("Hibernating")
    LOST = "lost", _("Lost")


class ValueFigures(models.Model):
    """The figures guests and companies share (all over stays that have ended)."""

    stays = models.PositiveIntegerField(_("stays"), default=0)
    nights = models.PositiveIntegerField(_("nights"), default=0)
    first_arrival = models.DateField(_("first arrival"), null=True)
    last_departure = models.DateField(_("last departure"), null=True)
    recency_days = models.PositiveIntegerField(_("days since the last stay"), null=True)
    spend_total = models.DecimalField(
        _("spend to date"), max_digits=14, decimal_places=2, default=0
    )
    spend_room = models.DecimalField(_("room"), max_digits=14, decimal_places=2, default=0)
    spend_fb = models.DecimalField(_("food & beverage"), max_digits=14, decimal_places=2, default=0)
    spend_other = models.DecimalField(_("other"), max_digits=14, decimal_places=2, default=0)
    # Spend in the last 365 days and the 365 before: the trend the win-back task shows.
    spend_last_year = models.DecimalField(
        _("spend, last 12 months"), max_digits=14, decimal_places=2, default=0
    )
    spend_year_before = models.DecimalField(
        _("spend, the 12 months before"), max_digits=14, decimal_places=2, default=0
    )
    projected_value = models.DecimalField(
        _("projected value, next 12 months"), max_digits=14, decimal_places=2, default=0
    )
    r_score = models.PositiveSmallIntegerField(_("recency score"), null=True)
    f_score = models.PositiveSmallIntegerField(_("frequency score"), null=True)
    m_score = models.PositiveSmallIntegerField(_("monetary score"), null=True)
    segment = models.CharField(_("segment"), max_length=20, choices=Segment, blank=True)
    computed_at = models.DateTimeField(_("computed"))

    class Meta:
        abstract = True

    @property
    def spend_per_stay(self):
        return self.spend_total / self.stays if self.stays else None

    @property
    def spend_per_night(self):
        return self.spend_total / self.nights if self.nights else None

    @property
    def favourite_categories(self) -> list[tuple[str, object]]:
        """Spend categories, largest first, leaving out what was never spent on."""
        parts = [
            (str(_("room")), self.spend_room),
            (str(_("food & beverage")), self.spend_fb),
            (str(_("other")), self.spend_other),
        ]
        return sorted((p for p in parts if p[1] > 0), key=lambda p: -p[1])


class GuestValue(ValueFigures):
    guest = models.OneToOneField(
        Guest,
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="value",
    )
    # Median days between one stay's departure and the next arrival (three stays or more).
    usual_gap_days = models.PositiveIntegerField(_("usual interval between stays"), null=True)
    at_risk = models.BooleanField(_("at risk of not coming back"), default=False)

    class Meta:
        verbose_name = _("guest value")
        verbose_name_plural = _("guest values")
        permissions = [("export_guestvalue", _("Can export guest value lists"))]
        indexes = [
            # the value list's order (highest spend first), whole and by segment or value band
            models.Index(name="guestvalue_spend", fields=["-spend_total", "guest"]),
            models.Index(name="guestvalue_segment", fields=["segment", "-spend_total", "guest"]),
            models.Index(name="guestvalue_mscore", fields=["m_score", "-spend_total", "guest"]),
            models.Index(name="guestvalue_last", fields=["last_departure"]),
            models.Index(name="guestvalue_at_risk", fields=["guest"], condition=Q(at_risk=True)),
        ]

    def __str__(self) -> str:
        return f"{self.guest_id}: {self.segment}"


class CompanyValue(ValueFigures):
    company = models.OneToOneField(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="value",
    )
    guests = models.PositiveIntegerField(_("guests who stayed"), default=0)
    last_spend_on = models.DateField(_("last spend"), null=True)
    at_risk = models.BooleanField(_("no spend lately"), default=False)

    class Meta:
        verbose_name = _("company value")
        verbose_name_plural = _("company values")

    def __str__(self) -> str:
        return f"{self.company_id}: {self.segment}"


class WinBack(models.Model):
    """One absence the churn radar noticed: the task it gave someone, and how it ended."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        CONTACTED = "contacted", _("Contacted")
        WON_BACK = "won_back", _("Won back")
        RETURNED = "returned", _("Returned by themselves")
        LOST = "lost", _("Lost")

    class LostReason(models.TextChoices):
        PRICE = "price", _("Price")
        SERVICE = "service", _("Service")
        COMPLAINT = "complaint", _("Unresolved complaint")
        COMPETITOR = "competitor", _("Went to a competitor")
        MOVED = "moved", _("Moved away")
        NO_TRAVEL = "no_travel", _("No longer travels")
        OTHER = "other", _("Other")

    task = models.OneToOneField(
        CareTask, verbose_name=_("task"), on_delete=models.CASCADE, related_name="win_back"
    )
    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="win_backs"
    )
    company = models.ForeignKey(
        Company,
        verbose_name=_("company"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="win_backs",
    )
    flagged_on = models.DateField(_("noticed"))
    # The absence this is about: a new one only after a new stay (or new spend, for a company).
    since = models.DateField(_("absent since"))
    reasons = models.JSONField(_("reasons"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome, default=Outcome.OPEN)
    lost_reason = models.CharField(
        _("why they were lost"), max_length=12, choices=LostReason, blank=True
    )
    lost_text = models.CharField(_("in their words"), max_length=300, blank=True)
    next_stay = models.ForeignKey(
        Stay,
        verbose_name=_("next stay"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    contacted_at = models.DateTimeField(_("contacted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("win-back")
        verbose_name_plural = _("win-backs")
        permissions = [("view_retention_report", _("Can see why guests were lost"))]
        indexes = [
            models.Index(name="winback_open_guest", fields=["guest"], condition=Q(closed_at=None)),
            # "has this absence been noticed?" for the radar's candidates
            models.Index(name="winback_guest_since", fields=["guest", "since"]),
            models.Index(name="winback_company_since", fields=["company", "since"]),
            models.Index(name="winback_closed", fields=["closed_at", "outcome"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="lost") | ~Q(lost_reason=""),
                name="winback_lost_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return str(self.task)


class DistributionRun(models.Model):
    """Guests handed to account managers in one go: who did it, when, how many to whom."""

    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    scope = models.CharField(_("which guests"), max_length=40)
    weighted = models.BooleanField(_("spread by value"), default=False)
    total = models.PositiveIntegerField(_("guests handed out"))
    # [{"user": id, "name": str, "before": n, "given": n, "value": "…"}]
    shares = models.JSONField(_("shares"), default=list)

    class Meta:
        verbose_name = _("distribution run")
        verbose_name_plural = _("distribution runs")
        ordering = ["-at"]
        permissions = [("distribute_guests", _("Can hand guests to account managers"))]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.scope}: {self.total}"
