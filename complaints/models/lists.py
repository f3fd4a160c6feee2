"""The managed lists a ticket is classified by, the SLA targets and the authority limits."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.i18n import LocalisedName


class ManagedListEntry(LocalisedName):
    """A managed list entry with an English and a Chinese name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]


class Category(ManagedListEntry):
    """What the complaint is about: room temperature, noise, billing …; managed by admins."""

    class Meta(ManagedListEntry.Meta):
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")


class RootCause(ManagedListEntry):
    """Why it happened, as found by the investigation; a ticket may have several."""

    class Meta(ManagedListEntry.Meta):
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
