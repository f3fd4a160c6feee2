"""Follow-up after a stay: the day after departure, a thank-you (with the satisfaction-survey
link once surveys exist) by e-mail, or a task for the account manager for guests who prefer a
call, a visit or a letter."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import translation

from core import seams
from core.formatting import day_text
from core.i18n import staff_language
from guests.greetings import PHONES, guest_route
from guests.messages import GuestMessage, guest_messages_record
from guests.models import CareTask, Guest, Stay
from notifications.models import Notification
from notifications.services import NewNotification


def survey_link_for(stay: Stay) -> str | None:
    """The survey link for a stay from the first provider that has one (core.seams.survey_links;
    the surveys app will provide it). Until then the thank-you goes out without one."""
    for provider in seams.survey_links.all():
        link = provider(stay)
        if link:
            return link
    return None


TASK_KINDS = {
    Guest.Channel.PHONE: CareTask.Kind.POST_STAY_CALL,
    Guest.Channel.VISIT: CareTask.Kind.POST_STAY_VISIT,
    Guest.Channel.LETTER: CareTask.Kind.POST_STAY_LETTER,
}


def stays_departed(*, day: date) -> QuerySet[Stay]:
    """Stays that ended the day before `day`, of guests we may contact."""
    return Stay.objects.of_contactable_guests().filter(departure=day - timedelta(days=1))


@transaction.atomic
def post_stay_followups_create(*, day: date) -> dict[str, int]:
    """Record the day's thank-you messages and follow-up tasks. Safe to run twice."""
    stays = (
        stays_departed(day=day)
        .select_related("guest__account_manager")
        .prefetch_related(Prefetch("guest__phones", queryset=PHONES.queryset))
    )
    notes: list[GuestMessage] = []
    tasks: list[CareTask] = []
    for stay in stays.iterator(chunk_size=1000):
        guest = stay.guest
        task_kind = TASK_KINDS.get(guest.preferred_channel)
        if task_kind:
            # the title is read by the account manager: in their language
            with translation.override(staff_language(guest.account_manager)):
                label = CareTask.Kind(task_kind).label
                title = translation.gettext(
                    "%(task)s: %(name)s (stay %(arrival)s–%(departure)s)"
                ) % {
                    "task": label,
                    "name": guest.address_as,
                    "arrival": day_text(stay.arrival),
                    "departure": day_text(stay.departure),
                }
            tasks.append(
                CareTask(
                    key=f"post_stay:stay:{stay.pk}",
                    kind=task_kind,
                    guest=guest,
                    assigned_to_id=guest.account_manager_id,
                    title=title,
                    due_on=day,
                )
            )
            continue
        # the same rule as greetings: the guest's preferred channel, the other as a fallback
        route = guest_route(guest)
        if route is None:
            continue
        channel, to = route
        notes.append(
            GuestMessage(
                guest_id=guest.pk,
                message=NewNotification(
                    key=f"post_stay:stay:{stay.pk}",
                    kind=Notification.Kind.POST_STAY,
                    channel=channel,
                    to=to,
                    occasion_date=day,
                    language=guest.preferred_language,
                    context={
                        "name": guest.address_as,
                        "hotel": settings.HOTEL_NAME,
                        "arrival": stay.arrival.isoformat(),
                        "departure": stay.departure.isoformat(),
                        "survey_url": survey_link_for(stay) or "",
                    },
                ),
            )
        )
    guest_messages_record(items=notes)
    CareTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return {"messages": len(notes), "tasks": len(tasks)}
