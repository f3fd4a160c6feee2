"""The outbox: every message to a guest or a member of staff, and the hotel's own wording.

The kernel knows nobody but staff: which guest a message is about is recorded on the guests
side (guests.GuestNotification), so this app never refers to the apps that build on it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A message left "sending" this long by a worker that died mid-send. It may have gone out, so it
# is not simply sent again: the stuck sweep (notifications.services.notifications_stuck_resolve)
# asks the backend's record by the reference set before sending and marks it sent if the backend
# has it, otherwise puts it back in the queue. Until then the Notifications page shows it as stuck.
STUCK_AFTER = timedelta(minutes=10)


def stuck_q() -> Q:
    """The one rule for a stuck message (the filter, the badge and Retry all use it)."""
    return Q(status=Notification.Status.SENDING, claimed_at__lt=timezone.now() - STUCK_AFTER)


class NotificationQuerySet(models.QuerySet["Notification"]):
    def stuck(self) -> NotificationQuerySet:
        return self.filter(stuck_q())


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

    class Reason(models.TextChoices):
        """Why a message was not sent, stored as a code and shown in the reader's language."""

        GUEST_ERASED = "guest_erased", _("The guest's data was erased.")
        CONSENT_WITHDRAWN = "consent_withdrawn", _("The guest withdrew consent.")
        NO_ADDRESS = "no_address", _("No e-mail address on file.")
        TEMPLATE_BROKEN = "template_broken", _("The message template cannot be rendered.")
        INTERRUPTED = (
            "interrupted",
            _("Sending was interrupted too many times and the provider has no record of it."),
        )

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
        COMPLAINT_FEEDBACK_REQUEST = (
            "complaint_feedback_request",
            _("Resolution feedback request (to the guest)"),
        )
        COMPLAINT_REOPENED_BY_GUEST = (
            "complaint_reopened_by_guest",
            _("Complaint reopened by the guest's score (to the owner)"),
        )
        SURVEY_REQUEST = "survey_request", _("Satisfaction survey link (to the guest)")
        SURVEY_RECOVERY = (
            "survey_recovery",
            _("Low survey score: recovery ticket (to the duty managers)"),
        )

    key = models.CharField(_("occasion key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=Kind)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel)
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
    reason = models.CharField(
        _("reason not sent"), max_length=30, choices=Reason, blank=True, default=""
    )
    last_error = models.TextField(_("last error"), blank=True)
    # Set with the claim, before sending: the e-mail's Message-ID or the SMS reference, by which
    # the backend's record is asked whether a message left "sending" went out.
    delivery_ref = models.CharField(_("delivery reference"), max_length=200, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        db_table = "grc_notification"  # kept from before the app was named: no data copied
        indexes = [
            models.Index(name="notification_status_created", fields=["status", "-created_at"]),
            models.Index(name="notification_kind_date", fields=["kind", "-occasion_date"]),
            models.Index(
                name="notification_due",
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to} ({self.get_status_display()})"

    @property
    def is_stuck(self) -> bool:
        return (
            self.status == self.Status.SENDING
            and self.claimed_at is not None
            and self.claimed_at < timezone.now() - STUCK_AFTER
        )

    @property
    def problem(self) -> str:
        """Why it failed or was not sent, in the reader's language, then any technical detail."""
        parts = [str(self.get_reason_display()) if self.reason else "", self.last_error]
        return " — ".join(part for part in parts if part)


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
        db_table = "grc_messagetemplate"
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="messagetemplate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.language})"
