"""Imports of guests and stays from a PMS export: each run, the rows it refused, and the PMS's
own references for the guests it created or matched."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One uploaded file and its way through mapping, preview and the background import.

    `rows_done` counts the file's data rows already committed (whole chunks only): a failed or
    cancelled run resumes there. The counts add up the rows' outcomes over every chunk.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Columns to map")
        CHECKED = "checked", _("Checked, ready to import")
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Done")
        FAILED = "failed", _("Stopped by an error")
        CANCELLED = "cancelled", _("Cancelled")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    file_name = models.CharField(_("file"), max_length=255)
    stored_name = models.CharField(_("stored file"), max_length=100, editable=False)
    file_format = models.CharField(_("format"), max_length=5, choices=Format)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    encoding_detected = models.CharField(_("detected encoding"), max_length=20, blank=True)
    delimiter = models.CharField(_("delimiter"), max_length=2, blank=True)
    headers = models.JSONField(_("column headers"), default=list, blank=True)
    # Field name -> index of the file's column that holds it.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(_("rows in the file"), default=0)
    bad_rows = models.PositiveIntegerField(_("rows refused by the check"), default=0)
    rows_done = models.PositiveIntegerField(_("rows done"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    refused_count = models.PositiveIntegerField(_("refused"), default=0)
    cancel_requested = models.BooleanField(_("cancel requested"), default=False)
    error_line = models.PositiveIntegerField(_("line of the error"), null=True, blank=True)
    error_text = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        permissions = [("import_guests", _("Can import guests and stays from a PMS export"))]
        indexes = [models.Index(name="importrun_created", fields=["-created_at", "-id"])]

    def __str__(self) -> str:
        return self.file_name

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == self.Status.DONE else 0
        return min(100, self.rows_done * 100 // self.total_rows)

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)


class ImportProblem(models.Model):
    """A row the import refuses, with its line in the file and why (a code and its values,
    read in the reader's language)."""

    run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), on_delete=models.CASCADE, related_name="problems"
    )
    line = models.PositiveIntegerField(_("line"))
    code = models.CharField(_("reason"), max_length=30)
    params = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("refused row")
        verbose_name_plural = _("refused rows")
        ordering = ["line", "pk"]
        indexes = [models.Index(name="importproblem_run_line", fields=["run", "line"])]

    def __str__(self) -> str:
        return f"{self.line}: {self.code}"


class GuestRef(models.Model):
    """What the PMS knows a guest by: its profile number, or an ID document (kept only as a keyed
    hash, enough to recognise the same document again, never to read it back).

    A reference of an erased guest is never matched; importing that person again moves the
    reference to the new profile.
    """

    class Kind(models.TextChoices):
        PROFILE = "profile", _("PMS profile number")
        DOCUMENT = "document", _("ID document")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    value = models.CharField(_("reference"), max_length=100)
    guest = models.ForeignKey(
        "guests.Guest", verbose_name=_("guest"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("PMS reference")
        verbose_name_plural = _("PMS references")
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="guestref_unique")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
