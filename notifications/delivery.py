"""The backend's record of a message: was a message left "sending" by a dead worker delivered?

Before a message is sent it gets a reference (notifications.Notification.delivery_ref): the
e-mail's Message-ID header, or the reference an SMS is tagged with. A message stuck in
"sending" is looked up by it: True (the backend has it: it went out), False (it has not), or
None (this backend keeps no record we can ask). The stuck sweep marks it sent on True and puts
it back in the queue otherwise; an e-mail sent again carries the same Message-ID, by which mail
systems recognise a copy of a message they already have.
"""

from __future__ import annotations

from email import message_from_bytes
from pathlib import Path

from django.conf import settings
from django.core import mail
from django.utils.module_loading import import_string

from notifications.models import Notification
from notifications.sms import sms_delivered

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"
FILEBASED = "django.core.mail.backends.filebased.EmailBackend"


def delivery_ref_for(notification: Notification) -> str:
    """The reference a message carries, the same on every attempt (so a resend is a copy)."""
    stamp = int(notification.created_at.timestamp()) if notification.created_at else 0
    if notification.channel == Notification.Channel.SMS:
        return f"grc-{notification.pk}-{stamp}"
    return f"<grc-{notification.pk}-{stamp}@{_mail_domain()}>"


def _mail_domain() -> str:
    sender = settings.DEFAULT_FROM_EMAIL.rstrip(">")
    domain = sender.rpartition("@")[2].strip()
    return domain or "localhost"


def delivered(notification: Notification) -> bool | None:
    """Ask the backend's record whether this message went out (None: it cannot tell)."""
    if not notification.delivery_ref:
        return False  # the reference is set before sending: without one, nothing was sent
    if notification.channel == Notification.Channel.SMS:
        return sms_delivered(notification.delivery_ref)
    return email_delivered(notification.delivery_ref)


def email_delivered(message_id: str) -> bool | None:
    if settings.NOTIFICATION_EMAIL_LOOKUP:
        return import_string(settings.NOTIFICATION_EMAIL_LOOKUP)(message_id)
    if settings.EMAIL_BACKEND == LOCMEM:
        return any(
            message.extra_headers.get("Message-ID") == message_id
            for message in getattr(mail, "outbox", [])
        )
    if settings.EMAIL_BACKEND == FILEBASED:
        return _in_mail_files(Path(settings.EMAIL_FILE_PATH), message_id)
    return None


def _in_mail_files(folder: Path, message_id: str) -> bool:
    if not folder.is_dir():
        return False
    needle = message_id.encode()
    for path in folder.glob("*.log"):
        raw = path.read_bytes()
        if needle not in raw:
            continue
        for chunk in raw.split(b"-" * 79):
            if (
                needle in chunk
                and message_from_bytes(chunk.strip()).get("Message-ID") == message_id
            ):
                return True
    return False
