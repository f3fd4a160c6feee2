"""Making good: recovery actions and the guest's verdict on a resolution."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from complaints.models.tickets import Ticket


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
