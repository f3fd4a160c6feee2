"""Record messages once, deliver them once, retry what failed for a passing reason."""

from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from core import seams
from notifications.errors import PermanentDeliveryError, TransientDeliveryError
from notifications.models import STUCK_AFTER as STUCK_AFTER  # re-exported: the rule's length
from notifications.models import Notification, NotificationQuerySet, stuck_q
from notifications.render import message_render
from notifications.sms import sms_send

FORGOTTEN_AFTER = timedelta(minutes=15)


@dataclass(frozen=True)
class NewNotification:
    key: str
    kind: str
    channel: str
    to: str
    occasion_date: date
    language: str = "en"
    recipient_user_id: int | None = None
    context: dict | None = None


def notifications_create(*, items: Iterable[NewNotification]) -> list[int]:
    """Record messages to send; an occasion already recorded is left as it is.

    Returns the ids of the pending notifications among `items` (new or not yet sent), and
    queues their delivery once the transaction commits.
    """
    rows = [
        Notification(
            key=item.key,
            kind=item.kind,
            channel=item.channel,
            to=item.to,
            occasion_date=item.occasion_date,
            language=item.language,
            recipient_user_id=item.recipient_user_id,
            context=item.context or {},
        )
        for item in items
    ]
    if not rows:
        return []
    with transaction.atomic():
        # The unique key decides: a second run, a retry or a second worker inserts nothing.
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        pending = list(
            Notification.objects.filter(
                key__in=[row.key for row in rows], status=Notification.Status.PENDING
            ).values_list("pk", flat=True)
        )
        transaction.on_commit(partial(_queue_sends, pending))
    return pending


def _queue_sends(ids: list[int]) -> None:
    from notifications.tasks import notification_send_task

    for pk in ids:
        notification_send_task.delay(pk)


def notification_send(*, notification_id: int) -> str:
    """Deliver one notification. Returns what happened: sent, skipped, cancelled, retry, failed.

    The row is claimed with a conditional UPDATE first, so of two workers holding the same
    task only one sends. A row left 'sending' by a worker that died mid-send is never resent
    automatically (it might have gone out): the Notifications page shows it as stuck.
    """
    now = timezone.now()
    # A row waiting for its retry time is not ours yet: a queued copy of the task that arrives
    # early (a sweep, a redelivery) leaves it for the retry that is due.
    claimed = (
        Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(status=Notification.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"

    notification = notifications_with_audience().get(pk=notification_id)
    reason = _why_not_contact(notification)
    if reason:
        _finish(notification, Notification.Status.CANCELLED, reason=reason)
        return "cancelled"

    try:
        # A template the hotel broke in the admin raises MessageRenderError, a permanent
        # failure: the row is finished as failed with the reason, never left 'sending'.
        rendered = message_render(
            kind=notification.kind, language=notification.language, context=notification.context
        )
        _deliver(notification, rendered.subject, rendered.text, rendered.html)
    except PermanentDeliveryError as exc:
        _finish(
            notification,
            Notification.Status.FAILED,
            # a coded reason says it all; otherwise keep the technical detail
            error=str(exc) or ("" if exc.reason else exc.__class__.__name__),
            reason=exc.reason,
        )
        return "failed"
    except TransientDeliveryError as exc:
        error = str(exc) or exc.__class__.__name__
        if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
            _finish(notification, Notification.Status.FAILED, error=error)
            return "failed"
        Notification.objects.filter(pk=notification.pk).update(
            status=Notification.Status.PENDING,
            last_error=error,
            next_attempt_at=now + retry_delay(notification.attempts),
        )
        return "retry"

    Notification.objects.filter(pk=notification.pk).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        subject=rendered.subject[:255],
        body=rendered.text,
        last_error="",
        reason="",
        next_attempt_at=None,
    )
    return "sent"


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base … capped at an hour."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def notification_retry(*, notification: Notification) -> bool:
    """Staff asked to try a failed (or stuck) message again. False if it was not retryable."""
    updated = (
        Notification.objects.filter(pk=notification.pk)
        .filter(Q(status=Notification.Status.FAILED) | stuck_q())
        .update(status=Notification.Status.PENDING, attempts=0, next_attempt_at=None, reason="")
    )
    if updated:
        transaction.on_commit(partial(_queue_sends, [notification.pk]))
    return bool(updated)


def notifications_due_sweep(*, now: datetime | None = None) -> int:
    """Queue pending messages whose retry time has come (in case a retry message was lost).

    A message never tried is left to the task queued when it was recorded until it has
    waited FORGOTTEN_AFTER: re-queuing rows still in a busy queue every few minutes would
    only pile up duplicate tasks.
    """
    now = now or timezone.now()
    due = Q(next_attempt_at__lte=now) | Q(
        next_attempt_at__isnull=True, created_at__lte=now - FORGOTTEN_AFTER
    )
    ids = list(
        Notification.objects.filter(status=Notification.Status.PENDING)
        .filter(due)
        .values_list("pk", flat=True)[:5000]
    )
    _queue_sends(ids)
    return len(ids)


def notifications_with_audience() -> NotificationQuerySet:
    """Notifications joined with what the apps that send them need to know (one query)."""
    notifications = Notification.objects.select_related("recipient_user")
    for audience in seams.notification_audiences.all():
        notifications = audience.related(notifications)
    return notifications


def notification_search(
    *, status: str = "", kind: str = "", query: str = ""
) -> QuerySet[Notification]:
    """The Notifications page: newest first, narrowed by status ("stuck" for messages left
    sending), kind and a part of the address or key."""
    notifications = notifications_with_audience()
    if status == "stuck":
        notifications = notifications.stuck()
    elif status:
        notifications = notifications.filter(status=status)
    if kind:
        notifications = notifications.filter(kind=kind)
    if query:
        notifications = notifications.filter(Q(to__icontains=query) | Q(key__icontains=query))
    return notifications.order_by("-created_at", "-pk")


def notification_recipient_label(notification: Notification) -> str | None:
    """The name of who a message is to, as the app that sent it knows them."""
    for audience in seams.notification_audiences.all():
        label = audience.label(notification)
        if label:
            return label
    return None


def _why_not_contact(notification: Notification) -> str:
    """Asked again at send time (seams.notification_audiences): an opt-out takes effect at once."""
    for audience in seams.notification_audiences.all():
        reason = audience.guard(notification)
        if reason:
            return reason
    return ""


def _deliver(notification: Notification, subject: str, text: str, html: str) -> None:
    if notification.channel == Notification.Channel.SMS:
        sms_send(notification.to, text.strip())
        return
    if not notification.to:
        raise PermanentDeliveryError("", reason=Notification.Reason.NO_ADDRESS)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[notification.to],
        connection=get_connection(fail_silently=False),
    )
    if html:
        message.attach_alternative(html, "text/html")
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        # {address: (code, message)}: "550 no such user" is final, "451 try later" is not.
        codes = [code for code, _message in exc.recipients.values()]
        if _all_permanent(codes):
            raise PermanentDeliveryError(str(exc)) from exc
        raise TransientDeliveryError(str(exc)) from exc
    except smtplib.SMTPSenderRefused as exc:
        if _all_permanent([exc.smtp_code]):
            raise PermanentDeliveryError(str(exc)) from exc
        raise TransientDeliveryError(str(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:  # busy server, dropped connection, timeout
        raise TransientDeliveryError(str(exc) or exc.__class__.__name__) from exc


def _all_permanent(codes: list) -> bool:
    """SMTP replies 5xx are permanent; 4xx (greylisting, mailbox busy) are worth a retry."""
    try:
        return bool(codes) and all(int(code) >= 500 for code in codes)
    except (TypeError, ValueError):
        return False


def _finish(notification: Notification, status: str, *, error: str = "", reason: str = "") -> None:
    Notification.objects.filter(pk=notification.pk).update(
        status=status, reason=reason, last_error=error[:2000], next_attempt_at=None
    )
