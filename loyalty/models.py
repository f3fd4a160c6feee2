"""Loyalty accounts: tiers, members, an append-only points ledger, earn rules and rewards.

The ledger is exact because the database keeps it so (see migration 0002): inserting a
transaction adds its points to the member's balance in a trigger, the balance may never go
below zero (CHECK), transactions can be neither changed nor deleted, and a balance cannot be
written except by that trigger. Python only decides *what* to post.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.i18n import LocalisedName, localised

MEMBER_NUMBER_SEQUENCE = "loyalty_member_number_seq"


class Tier(LocalisedName):
    """A membership level: what qualifies for it over 12 months, what it gives."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name (English)"), max_length=60)
    name_zh = models.CharField(_("name (Chinese)"), max_length=60, blank=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), unique=True, help_text=_("Higher is better; the lowest rank is the entry tier.")
    )
    qualifying_points = models.PositiveIntegerField(
        _("qualifying points"),
        default=0,
        help_text=_("Points earned from stays in the last 12 months that reach this tier."),
    )
    qualifying_nights = models.PositiveIntegerField(
        _("qualifying nights"),
        default=0,
        help_text=_("Nights stayed in the last 12 months that reach this tier (either is enough)."),
    )
    earn_multiplier = models.DecimalField(
        _("earn multiplier"), max_digits=4, decimal_places=2, default=1
    )
    benefits = models.TextField(_("benefits (English)"), blank=True)
    benefits_zh = models.TextField(_("benefits (Chinese)"), blank=True)

    class Meta:
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        ordering = ["rank"]
        constraints = [
            models.CheckConstraint(
                condition=Q(earn_multiplier__gt=0), name="tier_multiplier_positive"
            )
        ]

    @property
    def display_benefits(self) -> str:
        return localised(self.benefits, self.benefits_zh)


class Member(models.Model):
    """A guest's loyalty account. The balance is kept by the database from the ledger."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        CLOSED = "closed", _("Closed")

    class Source(models.TextChoices):
        FRONT_DESK = "front_desk", _("Front desk")
        WEBSITE = "website", _("Hotel website")
        SALES = "sales", _("Sales")
        RECOVERY = "recovery", _("Complaint recovery")
        IMPORT = "import", _("Import")

    # Empty only for an account closed by a guest merge: its points moved to the kept guest's
    # account through the ledger, and `merged_into` leads there.
    guest = models.OneToOneField(
        "guests.Guest",
        verbose_name=_("guest"),
        on_delete=models.PROTECT,
        related_name="member",
        null=True,
        blank=True,
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_accounts",
    )
    # Digits only, the last one a Luhn check digit; shown grouped as "8800 0000 18".
    number = models.CharField(_("member number"), max_length=16, unique=True, editable=False)
    tier = models.ForeignKey(
        Tier, verbose_name=_("tier"), on_delete=models.PROTECT, related_name="members"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.ACTIVE)
    enrolled_at = models.DateTimeField(_("enrolled"), default=timezone.now)
    enrolment_source = models.CharField(
        _("enrolment source"), max_length=12, choices=Source, default=Source.FRONT_DESK
    )
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("enrolled by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    balance = models.IntegerField(_("points balance"), default=0, editable=False)
    tier_since = models.DateTimeField(_("tier since"), default=timezone.now)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["-enrolled_at"]
        permissions = [("view_liability", _("Can see the outstanding points liability"))]
        indexes = [
            models.Index(name="member_tier_status", fields=["tier", "status"]),
            models.Index(name="member_enrolled", fields=["-enrolled_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(guest__isnull=False) | Q(merged_into__isnull=False, status="closed"),
                name="member_guest_or_merged",
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=0),
                name="member_balance_non_negative",
                violation_error_message=_("The points balance cannot go below zero."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_number

    @property
    def display_number(self) -> str:
        n = self.number
        return " ".join(n[i : i + 4] for i in range(0, len(n), 4))

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class TierChange(models.Model):
    """A member's move between tiers, kept as history."""

    class Reason(models.TextChoices):
        ENROLMENT = "enrolment", _("Enrolment")
        UPGRADE = "upgrade", _("Upgrade")
        REVIEW = "review", _("Annual review")
        MANUAL = "manual", _("Changed by staff")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="tier_changes"
    )
    from_tier = models.ForeignKey(
        Tier,
        verbose_name=_("from tier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    to_tier = models.ForeignKey(
        Tier, verbose_name=_("to tier"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(name="tierchange_member", fields=["member", "-changed_at"])]

    def __str__(self) -> str:
        return f"{self.member}: {self.from_tier} → {self.to_tier}"


class EarnRule(models.Model):
    """How many points one unit of currency earns in a spend category."""

    class Category(models.TextChoices):
        ROOM = "room", _("Room")
        FB = "fb", _("Food & beverage")
        OTHER = "other", _("Other")

    category = models.CharField(_("spend category"), max_length=10, choices=Category, unique=True)
    points_per_unit = models.DecimalField(
        _("points per currency unit"), max_digits=6, decimal_places=2, default=1
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("earn rule")
        verbose_name_plural = _("earn rules")
        ordering = ["category"]
        constraints = [
            models.CheckConstraint(
                condition=Q(points_per_unit__gte=0), name="earnrule_rate_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.points_per_unit}"


class Reward(LocalisedName):
    """Something a member can redeem points for at the desk."""

    class Kind(models.TextChoices):
        FREE_NIGHT = "free_night", _("Free night")
        UPGRADE = "upgrade", _("Room upgrade")
        FB_VOUCHER = "fb_voucher", _("Food & beverage voucher")
        LATE_CHECKOUT = "late_checkout", _("Late check-out")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=15, choices=Kind, default=Kind.OTHER)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    points_cost = models.PositiveIntegerField(_("points cost"))
    is_active = models.BooleanField(_("active"), default=True)
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Leave empty for unlimited.")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["points_cost", "name"]
        indexes = [models.Index(name="reward_active_cost", fields=["is_active", "points_cost"])]
        constraints = [
            models.CheckConstraint(condition=Q(points_cost__gt=0), name="reward_cost_positive"),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="reward_valid_dates_ordered",
                violation_error_message=_("“Valid until” must not be before “valid from”."),
            ),
        ]

    @property
    def display_description(self) -> str:
        return localised(self.description, self.description_zh)

    def is_available_on(self, day) -> bool:
        return (
            self.is_active
            and (self.stock is None or self.stock > 0)
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_until is None or day <= self.valid_until)
        )


class PointsTransaction(models.Model):
    """One line of the ledger. Append-only: the database refuses UPDATE and DELETE."""

    class Kind(models.TextChoices):
        EARN = "earn", _("Earned")
        REDEEM = "redeem", _("Redeemed")
        ADJUST = "adjust", _("Adjusted")
        EXPIRE = "expire", _("Expired")
        COMPENSATION = "compensation", _("Compensation")
        BONUS = "bonus", _("Bonus")
        REVERSAL = "reversal", _("Reversal")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="transactions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    points = models.IntegerField(_("points"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    stay = models.ForeignKey(
        "guests.Stay",
        verbose_name=_("stay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points_transactions",
    )
    # The complaint ticket a compensation was granted on. A plain number, not a foreign key,
    # so the ledger does not depend on the complaints app.
    ticket_ref = models.PositiveIntegerField(_("complaint ticket"), null=True, blank=True)
    reward = models.ForeignKey(
        Reward,
        verbose_name=_("reward"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # One-to-one: a transaction can be reversed at most once.
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
    )
    qualifying_nights = models.PositiveSmallIntegerField(_("qualifying nights"), default=0)
    idempotency_key = models.CharField(_("idempotency key"), max_length=120, unique=True)
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    # Credits (earn, bonus, compensation, positive adjustments) expire on this date.
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("points transaction")
        verbose_name_plural = _("points transactions")
        ordering = ["-created_at", "-pk"]
        permissions = [("adjust_points", _("Can adjust a member's points"))]
        indexes = [
            models.Index(name="pointstx_member_created", fields=["member", "-created_at", "-id"]),
            models.Index(name="pointstx_member_expires", fields=["member", "expires_on"]),
            models.Index(name="pointstx_ticket", fields=["ticket_ref"]),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(points=0), name="pointstx_points_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["earn", "bonus", "compensation"], points__gt=0)
                | Q(kind__in=["redeem", "expire"], points__lt=0)
                | Q(kind__in=["adjust", "reversal"]),
                name="pointstx_sign_matches_kind",
            ),
            models.CheckConstraint(
                condition=~Q(kind="reversal") | Q(reverses__isnull=False),
                name="pointstx_reversal_links_original",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()} {self.points:+d}"

    @property
    def is_credit(self) -> bool:
        """Points that were granted (and will expire), as opposed to spent or restored."""
        return self.points > 0 and self.kind != self.Kind.REVERSAL


class Redemption(models.Model):
    """A reward given at the desk for points; reversing it restores the points."""

    class Status(models.TextChoices):
        REDEEMED = "redeemed", _("Redeemed")
        REVERSED = "reversed", _("Reversed")

    member = models.ForeignKey(
        Member, verbose_name=_("member"), on_delete=models.PROTECT, related_name="redemptions"
    )
    reward = models.ForeignKey(
        Reward, verbose_name=_("reward"), on_delete=models.PROTECT, related_name="redemptions"
    )
    points = models.PositiveIntegerField(_("points"))
    transaction = models.OneToOneField(
        PointsTransaction,
        verbose_name=_("transaction"),
        on_delete=models.PROTECT,
        related_name="redemption",
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.REDEEMED)
    note = models.CharField(_("note"), max_length=300, blank=True)
    redeemed_at = models.DateTimeField(_("redeemed"), default=timezone.now)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("redeemed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reversed_at = models.DateTimeField(_("reversed"), null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reversed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-redeemed_at", "-pk"]
        permissions = [("reverse_redemption", _("Can reverse a redemption"))]
        indexes = [models.Index(name="redemption_member", fields=["member", "-redeemed_at"])]

    def __str__(self) -> str:
        return f"{self.member} {self.reward} −{self.points}"
