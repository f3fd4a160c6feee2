"""Guest data in and out: identity documents, duplicate suggestions and the merges that
resolve them (issue 18). Imported by guests.models, so Django sees them as guests' models."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from guests.models import Guest


class GuestDocument(models.Model):
    """An identity document (证件): kept normalised, so the same document typed twice matches."""

    class Kind(models.TextChoices):
        ID_CARD = "id_card", _("Resident identity card")
        PASSPORT = "passport", _("Passport")
        HOME_RETURN = "home_return", _("Home Return Permit")
        TAIWAN_PERMIT = "taiwan_permit", _("Mainland Travel Permit for Taiwan Residents")
        OTHER = "other", _("Other document")

    guest = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("document type"), max_length=15, choices=Kind, default=Kind.ID_CARD)
    # Upper-case letters and digits only ("11010519491231002X"), whatever way it was typed.
    number = models.CharField(_("document number"), max_length=40)
    country = models.CharField(_("issuing country"), max_length=2, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")
        ordering = ["kind", "pk"]
        indexes = [models.Index(name="guestdocument_number", fields=["number", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["guest", "kind", "number"], name="guestdocument_unique_per_guest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class DuplicatePair(models.Model):
    """Two profiles that look like one person, with why; dismissed for good once staff say no.

    Found set-based by guests.duplicates.duplicates_refresh (nightly, and on demand); a
    dismissed pair is never suggested again, whatever a later refresh finds.
    """

    class Reason(models.TextChoices):
        PHONE = "phone", _("Same phone number")
        EMAIL = "email", _("Same e-mail address")
        DOCUMENT = "document", _("Same identity document")
        NAME_BIRTHDAY = "name_birthday", _("Same name and birthday")
        NAME_COMPANY = "name_company", _("Same name and company")

    guest_a = models.ForeignKey(
        Guest, verbose_name=_("guest"), on_delete=models.CASCADE, related_name="duplicates_as_a"
    )
    guest_b = models.ForeignKey(
        Guest,
        verbose_name=_("possible duplicate"),
        on_delete=models.CASCADE,
        related_name="duplicates_as_b",
    )
    reasons = ArrayField(
        models.CharField(max_length=20, choices=Reason),
        verbose_name=_("reasons"),
        default=list,
        blank=True,
    )
    found_at = models.DateTimeField(_("found"), auto_now_add=True)
    dismissed_at = models.DateTimeField(_("dismissed"), null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dismissed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["guest_a", "guest_b"]
        permissions = [("merge_guests", _("Can merge duplicate guest profiles"))]
        indexes = [
            # The Duplicates list: open suggestions in a stable order, from the index alone.
            models.Index(
                name="duplicatepair_open",
                fields=["guest_a", "guest_b"],
                condition=Q(dismissed_at__isnull=True),
            ),
            models.Index(name="duplicatepair_guest_b", fields=["guest_b"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["guest_a", "guest_b"], name="duplicatepair_unique"),
            models.CheckConstraint(
                condition=Q(guest_a__lt=F("guest_b")), name="duplicatepair_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.guest_a_id} ~ {self.guest_b_id}"

    @property
    def reason_labels(self) -> list[str]:
        return [str(self.Reason(r).label) for r in self.reasons if r in self.Reason.values]


class GuestMerge(models.Model):
    """One merge: who merged which profile into which, when, and where every value came from.

    The absorbed profile is gone; its old id stays here, so its old URL leads to the survivor
    (and, if the survivor is merged later, these rows follow it).
    """

    kept = models.ForeignKey(
        Guest, verbose_name=_("kept profile"), on_delete=models.CASCADE, related_name="merges"
    )
    merged_guest_id = models.BigIntegerField(_("merged profile's id"), unique=True)
    merged_name = models.CharField(_("merged profile's name"), max_length=210, blank=True)
    # {field: {"kept": value, "merged": value, "chosen": "kept" | "merged"}}
    fields = models.JSONField(_("values and where they came from"), default=dict, blank=True)
    # {app_label.model: rows moved to the kept profile}
    moved = models.JSONField(_("records moved"), default=dict, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("guest merge")
        verbose_name_plural = _("guest merges")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(name="guestmerge_kept", fields=["kept", "-at"])]

    def __str__(self) -> str:
        return f"{self.merged_guest_id} → {self.kept_id}"
