"""The guests side of the kernel's outbox: which guest a message is to, and may it still go.

notifications records and sends messages without knowing about guests; this module records
the link to the guest (guests.GuestNotification) with the messages, and plugs into
core.seams.notification_audiences so the outbox shows the guest's name and cancels a message
to a guest who was erased or withdrew consent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import QuerySet

from core import seams
from guests.models import GuestNotification
from notifications.models import Notification
from notifications.services import NewNotification, notifications_create

# Messages a guest receives only while they agree to greetings.
GUEST_CONSENT_KINDS = frozenset(
    {
        Notification.Kind.BIRTHDAY,
        Notification.Kind.FAMILY_BIRTHDAY,
        Notification.Kind.SPECIAL_DATE,
        Notification.Kind.POST_STAY,
        Notification.Kind.COMPLAINT_FEEDBACK_REQUEST,
    }
)


@dataclass(frozen=True)
class GuestMessage:
    """A message for the outbox and the guest it is to."""

    guest_id: int
    message: NewNotification


def guest_messages_record(*, items: Iterable[GuestMessage]) -> list[int]:
    """Record messages to guests, each linked to its guest; a second run records nothing.

    Returns the ids of the pending notifications, as notifications_create does.
    """
    items = list(items)
    if not items:
        return []
    with transaction.atomic():
        pending = notifications_create(items=[item.message for item in items])
        # The link's foreign key is the message's unique key, checked at commit (deferred).
        GuestNotification.objects.bulk_create(
            [
                GuestNotification(notification_id=item.message.key, guest_id=item.guest_id)
                for item in items
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
    return pending


def _guest_of(notification: Notification):
    try:
        return notification.guest_link.guest
    except ObjectDoesNotExist:
        return None


def _related(notifications: QuerySet) -> QuerySet:
    return notifications.select_related("guest_link__guest")


def _label(notification: Notification) -> str | None:
    guest = _guest_of(notification)
    return guest.display_name if guest is not None else None


def _guard(notification: Notification) -> str:
    """Asked again at send time (the same rule as the querysets): an opt-out takes effect at once.

    Returns a Notification.Reason code, stored on the row and shown in the reader's language.
    """
    guest = _guest_of(notification)
    if guest is None:
        return ""
    if not guest.is_shown:
        return Notification.Reason.GUEST_ERASED
    if notification.kind in GUEST_CONSENT_KINDS and not guest.is_contactable:
        return Notification.Reason.CONSENT_WITHDRAWN
    return ""


GUEST_AUDIENCE = seams.NotificationAudience(related=_related, label=_label, guard=_guard)
