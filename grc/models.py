"""Staff and departments; the messages the hotel sends and the care tasks staff carry out."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A hotel department: front office, housekeeping, food & beverage …; editable by admins."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        from django.utils.translation import get_language

        if self.name_zh and (get_language() or "").lower().startswith("zh"):
            return self.name_zh
        return self.name


class User(AbstractUser):
    """A member of staff. Their role is their group; their department scopes what they work."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    language = models.CharField(
        _("interface language"),
        max_length=10,
        blank=True,
        help_text=_("Chosen with the language switcher; kept across devices."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Notification(models.Model):
    """One message to a guest or a member of staff, recorded before it is sent.

    `key` is unique: it names the occasion (``birthday:guest:42:2026-02-28``), so a job run twice,
    a retried task or two workers on the same job can only ever create, and send, one message.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday greeting")
        FAMILY_BIRTHDAY = "family_birthday", _("Family birthday greeting")
        SPECIAL_DATE = "special_date", _("Special date greeting")
        POST_STAY = "post_stay", _("Thank-you after a stay")
        VIP_BIRTHDAYS = "vip_birthdays", _("Today's VIP birthdays (to the account manager)")
        COMPLAINT_FOLLOW_UP = "complaint_follow_up", _("Complaint follow-up due")
        COMPLAINT_SLA_SOON = "complaint_sla_soon", _("Complaint deadline soon")
        COMPLAINT_SLA_BREACHED = "complaint_sla_breached", _("Complaint deadline missed")
        COMPLAINT_FEEDBACK_MISSING = "complaint_feedback_missing", _("Resolution feedback missing")

    key = models.CharField(_("occasion key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
    guest = models.ForeignKey(
        "guests.Guest",
        verbose_name=_("guest"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff recipient"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    to = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=10, default="en")
    occasion_date = models.DateField(_("occasion date"))
    context = models.JSONField(_("details"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    body = models.TextField(_("message"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [
            models.Index(name="notification_status_created", fields=["status", "-created_at"]),
            models.Index(name="notification_kind_date", fields=["kind", "-occasion_date"]),
            models.Index(name="notification_guest", fields=["guest", "-created_at"]),
            models.Index(
                name="notification_due",
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"


class MessageTemplate(models.Model):
    """The hotel's own wording for a kind of message in one language, edited in the admin.

    Without one, the message comes from the translatable template files under
    templates/messages/. Subject and bodies use Django template syntax.
    """

    kind = models.CharField(_("kind"), max_length=40, choices=Notification.Kind)
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField(_("text body"))
    body_html = models.TextField(_("HTML body"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="messagetemplate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"


class CareTask(models.Model):
    """A follow-up a person must do: call, visit or write to a guest, then report briefly."""

    class Kind(models.TextChoices):
        POST_STAY_CALL = "post_stay_call", _("Caring call after a stay")
        POST_STAY_VISIT = "post_stay_visit", _("Visit after a stay")
        POST_STAY_LETTER = "post_stay_letter", _("Thank-you letter after a stay")
        GREETING_CALL = "greeting_call", _("Greet in person")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    key = models.CharField(_("occasion key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    guest = models.ForeignKey(
        "guests.Guest", verbose_name=_("guest"), on_delete=models.CASCADE, related_name="care_tasks"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="care_tasks",
    )
    title = models.CharField(_("what to do"), max_length=255)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.OPEN)
    report = models.TextField(_("report"), blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        permissions = [("view_all_caretasks", _("Can see everyone's follow-up tasks"))]
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(name="caretask_assignee_open", fields=["assigned_to", "status", "due_on"]),
            models.Index(name="caretask_status_due", fields=["status", "due_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | ~Q(report=""),
                name="caretask_done_needs_report",
                violation_error_message=_("Write a short report of what was done."),
            )
        ]

    def __str__(self) -> str:
        return self.title
