"""Care by dates: birthday, family-birthday and special-day greetings, and the account
managers' daily list of VIP birthdays to call in person.

The daily job finds the day's guests with indexed queries on (month, day), then fans out in
chunks of ids; each chunk records its messages under a unique occasion key, so any number of
runs, retries or workers produce one message per guest and occasion.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import translation

from core import seams
from core.chunks import ids_in_chunks
from core.dates import occasion_days
from core.i18n import staff_language
from guests.messages import GuestMessage, guest_messages_record
from guests.models import (
    CareTask,
    FamilyMember,
    Guest,
    GuestPhone,
    SpecialDate,
)
from notifications.models import Notification
from notifications.services import NewNotification, notifications_create

CHUNK_SIZE = 500

BIRTHDAY = "birthday"
FAMILY_BIRTHDAY = "family_birthday"
SPECIAL_DATE = "special_date"
VIP_BIRTHDAYS = "vip_birthdays"
BIRTHDAY_HOOKS = "birthday_hooks"
KINDS = (BIRTHDAY, FAMILY_BIRTHDAY, SPECIAL_DATE, VIP_BIRTHDAYS, BIRTHDAY_HOOKS)

# Other apps act on a guest's birthday without a message (loyalty grants its birthday bonus)
# through core.seams.birthday_hooks: (guest_ids, day), once per chunk, safe to run twice.


def _on(day: date, month_field: str, day_field: str) -> Q:
    q = Q(pk__in=[])
    for month, dom in occasion_days(day):
        q |= Q(**{month_field: month, day_field: dom})
    return q


def guests_with_birthday(*, day: date) -> QuerySet[Guest]:
    return Guest.objects.contactable().filter(_on(day, "birth_month", "birth_day"))


def family_members_with_birthday(*, day: date) -> QuerySet[FamilyMember]:
    return FamilyMember.objects.of_contactable_guests().filter(_on(day, "birth_month", "birth_day"))


def special_dates_on(*, day: date) -> QuerySet[SpecialDate]:
    return SpecialDate.objects.of_contactable_guests().filter(
        _on(day, "month", "day"),
        date__year__lt=day.year,  # the day itself is not yet an anniversary
    )


def guests_born_on(*, day: date) -> QuerySet[Guest]:
    """Every guest whose birthday it is, contactable or not (a bonus is not a message)."""
    return Guest.objects.shown().filter(_on(day, "birth_month", "birth_day"))


def vip_birthday_guests(*, day: date) -> QuerySet[Guest]:
    return guests_with_birthday(day=day).filter(vip_level__gt=0, account_manager__isnull=False)


def greetings_fan_out(
    *, day: date, enqueue: Callable[[str, list[int], date], None], chunk_size: int = CHUNK_SIZE
) -> dict[str, int]:
    """Find the day's occasions and hand them on in chunks of ids. Returns counts per kind."""
    sources = {
        BIRTHDAY: guests_with_birthday(day=day),
        FAMILY_BIRTHDAY: family_members_with_birthday(day=day),
        SPECIAL_DATE: special_dates_on(day=day),
        # one digest per account manager: chunk by manager
        VIP_BIRTHDAYS: vip_birthday_guests(day=day).values("account_manager").distinct(),
    }
    if seams.birthday_hooks:
        sources[BIRTHDAY_HOOKS] = guests_born_on(day=day)
    counts = {}
    for kind, queryset in sources.items():
        counts[kind] = 0
        if kind == VIP_BIRTHDAYS:
            managers = sorted({row["account_manager"] for row in queryset})
            for start in range(0, len(managers), chunk_size):
                chunk = managers[start : start + chunk_size]
                enqueue(kind, chunk, day)
                counts[kind] += len(chunk)
            continue
        for chunk in ids_in_chunks(queryset, chunk_size):
            enqueue(kind, chunk, day)
            counts[kind] += len(chunk)
    return counts


def greetings_send_chunk(*, kind: str, ids: list[int], day: date) -> int:
    """Record (and queue) the messages or in-person tasks for one chunk. Safe to run twice."""
    handler = {
        BIRTHDAY: _birthday_chunk,
        FAMILY_BIRTHDAY: _family_chunk,
        SPECIAL_DATE: _special_chunk,
        VIP_BIRTHDAYS: _vip_digest_chunk,
        BIRTHDAY_HOOKS: _birthday_hooks_chunk,
    }[kind]
    with transaction.atomic():
        return handler(ids, day)


# --- how to reach a guest -----------------------------------------------------------------------

PHONES = Prefetch("phones", queryset=GuestPhone.objects.order_by("-is_primary", "pk"))


def guest_route(guest: Guest) -> tuple[str, str] | None:
    """(channel, address) for an automatic message on the guest's preferred channel.

    Guests who prefer a call, a visit or a letter get a person instead (None here).
    """
    phone = next(iter(guest.phones.all()), None)
    number = phone.number if phone else ""
    preferred = guest.preferred_channel
    if preferred == Guest.Channel.EMAIL:
        return ("email", guest.email) if guest.email else (("sms", number) if number else None)
    if preferred == Guest.Channel.SMS:
        return ("sms", number) if number else (("email", guest.email) if guest.email else None)
    return None


def _hotel() -> str:
    return settings.HOTEL_NAME


def _greet(
    guest: Guest,
    *,
    key: str,
    kind: str,
    day: date,
    context: dict,
    task_title: Callable[[], str],
) -> GuestMessage | CareTask | None:
    """The message for a guest we can write to, else a task for their account manager.

    `task_title` builds the task's title; it runs with the account manager's language on,
    since they read it (the guest's `account_manager` must be selected with the guest).
    """
    route = guest_route(guest)
    if route is None:
        if guest.preferred_channel in (Guest.Channel.EMAIL, Guest.Channel.SMS):
            return None  # no address on file: nothing we can send
        with translation.override(staff_language(guest.account_manager)):
            title = task_title()
        return CareTask(
            key=f"task:{key}",
            kind=CareTask.Kind.GREETING_CALL,
            guest=guest,
            assigned_to_id=guest.account_manager_id,
            title=title,
            due_on=day,
        )
    channel, to = route
    return GuestMessage(
        guest_id=guest.pk,
        message=NewNotification(
            key=key,
            kind=kind,
            channel=channel,
            to=to,
            occasion_date=day,
            language=guest.preferred_language,
            context={"name": guest.address_as, "hotel": _hotel(), **context},
        ),
    )


def _record(items: list) -> int:
    notes = [i for i in items if isinstance(i, GuestMessage)]
    tasks = [i for i in items if isinstance(i, CareTask)]
    guest_messages_record(items=notes)
    CareTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(notes) + len(tasks)


def _birthday_chunk(ids: list[int], day: date) -> int:
    guests = (
        guests_with_birthday(day=day)
        .filter(pk__in=ids)
        .select_related("account_manager")
        .prefetch_related(PHONES)
    )
    items = []
    for guest in guests:

        def title(guest: Guest = guest) -> str:
            return translation.gettext("Wish %(name)s a happy birthday") % {
                "name": guest.address_as
            }

        items.append(
            _greet(
                guest,
                key=f"birthday:guest:{guest.pk}:{day.isoformat()}",
                kind=Notification.Kind.BIRTHDAY,
                day=day,
                context={},
                task_title=title,
            )
        )
    return _record([i for i in items if i])


def _family_chunk(ids: list[int], day: date) -> int:
    members = (
        family_members_with_birthday(day=day)
        .filter(pk__in=ids)
        .select_related("guest__account_manager")
        .prefetch_related(Prefetch("guest__phones", queryset=PHONES.queryset))
    )
    items = []
    for member in members:
        guest = member.guest
        with translation.override(guest.preferred_language):
            relation = str(member.get_relation_display()).lower()

        def title(member: FamilyMember = member) -> str:
            names = {"guest": member.guest.address_as, "name": member.name}
            if member.relation == FamilyMember.Relation.OTHER:
                # "Other" is no word for a person: "Mr. Chen's other Lily" reads badly.
                return (
                    translation.gettext("Wish %(guest)s's family member %(name)s a happy birthday")
                    % names
                )
            return translation.gettext(
                "Wish %(guest)s's %(relation)s %(name)s a happy birthday"
            ) % {**names, "relation": member.get_relation_display()}

        items.append(
            _greet(
                guest,
                key=f"family_birthday:member:{member.pk}:{day.isoformat()}",
                kind=Notification.Kind.FAMILY_BIRTHDAY,
                day=day,
                # the templates leave the relation out for "other"
                context={
                    "relation": relation,
                    "relation_code": member.relation,
                    "member": member.name,
                },
                task_title=title,
            )
        )
    return _record([i for i in items if i])


def _special_chunk(ids: list[int], day: date) -> int:
    dates = (
        special_dates_on(day=day)
        .filter(pk__in=ids)
        .select_related("guest__account_manager")
        .prefetch_related(Prefetch("guest__phones", queryset=PHONES.queryset))
    )
    items = []
    for special in dates:
        guest = special.guest
        years = day.year - special.date.year
        with translation.override(guest.preferred_language):
            occasion = str(special.get_kind_display())

        def title(special: SpecialDate = special) -> str:
            name = special.guest.address_as
            if special.kind == SpecialDate.Kind.OTHER:
                # the note says what the day is; "Other" says nothing
                if special.note:
                    return translation.gettext("Greet %(name)s: %(occasion)s") % {
                        "name": name,
                        "occasion": special.note,
                    }
                return translation.gettext("Greet %(name)s on their special day") % {"name": name}
            return translation.gettext("Greet %(name)s: %(occasion)s") % {
                "name": name,
                "occasion": special.get_kind_display(),
            }

        items.append(
            _greet(
                guest,
                key=f"special_date:{special.pk}:{day.isoformat()}",
                kind=Notification.Kind.SPECIAL_DATE,
                day=day,
                context={
                    "occasion": special.kind,
                    "occasion_label": occasion,
                    "years": years,
                    "note": special.note,
                },
                task_title=title,
            )
        )
    return _record([i for i in items if i])


def _vip_digest_chunk(manager_ids: list[int], day: date) -> int:
    guests = (
        vip_birthday_guests(day=day)
        .filter(
            account_manager_id__in=manager_ids,
            account_manager__is_active=True,
        )
        .exclude(account_manager__email="")
        .select_related("company", "account_manager")
        .prefetch_related(PHONES)
        .order_by("-vip_level", "family_name")
    )
    managers = {}
    by_manager: dict[int, list[dict]] = {}
    for guest in guests:
        manager = managers.setdefault(guest.account_manager_id, guest.account_manager)
        phone = next(iter(guest.phones.all()), None)
        # the rows are read by the account manager: labels in their language
        with translation.override(staff_language(manager)):
            vip = str(guest.get_vip_level_display())
        by_manager.setdefault(manager.pk, []).append(
            {
                "name": guest.address_as,
                "full_name": guest.display_name,
                "vip": vip,
                "company": guest.company.name if guest.company else "",
                "phone": phone.number if phone else "",
                "url": settings.SITE_URL + reverse("guests:detail", args=[guest.pk]),
            }
        )
    items = [
        NewNotification(
            key=f"vip_birthdays:user:{manager.pk}:{day.isoformat()}",
            kind=Notification.Kind.VIP_BIRTHDAYS,
            channel="email",
            to=manager.email,
            occasion_date=day,
            language=staff_language(manager),
            recipient_user_id=manager.pk,
            context={
                "manager": manager.get_short_name() or manager.username,
                "day": day.isoformat(),
                "guests": by_manager[manager.pk],
            },
        )
        for manager in managers.values()
    ]
    notifications_create(items=items)
    return len(items)


def _birthday_hooks_chunk(guest_ids: list[int], day: date) -> int:
    for hook in seams.birthday_hooks.all():
        hook(guest_ids, day)
    return len(guest_ids)
