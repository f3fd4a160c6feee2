"""A guest profile with one row of everything that points at a guest, for the merge tests.

MAKERS holds one maker per relation to Guest ("app_label.Model.field", as
guests.merge.guest_rows_count names them). A new app whose table points at a guest adds its
maker here; until it does, test_merge_lossless fails naming the table, so no table is ever left
out of the "nothing is lost" count.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from guests.models import CareTask, Guest, GuestAccessLog, PreferenceCategory
from tests.factories import make_document, make_guest, make_member, make_stay, make_ticket

_serial = itertools.count(1)
Maker = Callable[[Guest, dict], None]


def _n() -> int:
    return next(_serial)


def _phone(guest: Guest, ctx: dict) -> None:
    from guests.models import GuestPhone
    from guests.services import phone_digits_reversed

    number = f"+86139{_n():08d}"
    GuestPhone.objects.create(
        guest=guest, number=number, digits_reversed=phone_digits_reversed(number)
    )


def _family(guest: Guest, ctx: dict) -> None:
    guest.family.create(relation="daughter", name=f"Mei {_n()}", birth_month=5, birth_day=1)


def _special_date(guest: Guest, ctx: dict) -> None:
    guest.special_dates.create(kind="wedding", date=date(2010, 6, 1), month=6, day=1)


def _preference(guest: Guest, ctx: dict) -> None:
    category, _created = PreferenceCategory.objects.get_or_create(name="Pillow")
    guest.preferences.create(category=category, value=f"buckwheat {_n()}")


def _stay(guest: Guest, ctx: dict) -> None:
    make_stay(guest, arrival=date(2025, 3, _n() % 27 + 1), nights=2, spend_room=1000)


def _access(guest: Guest, ctx: dict) -> None:
    GuestAccessLog.objects.create(guest=guest, user=ctx["by"])


def _change(guest: Guest, ctx: dict) -> None:
    pass  # guest_create already logged the profile's creation


def _care_task(guest: Guest, ctx: dict) -> None:
    CareTask.objects.create(
        key=f"test:merge:{_n()}",
        kind=CareTask.Kind.POST_STAY_CALL,
        guest=guest,
        title="Call the guest",
        due_on=timezone.localdate(),
    )


def _message(guest: Guest, ctx: dict) -> None:
    from guests.messages import GuestMessage, guest_messages_record
    from notifications.models import Notification
    from notifications.services import NewNotification

    n = _n()
    guest_messages_record(
        items=[
            GuestMessage(
                guest_id=guest.pk,
                message=NewNotification(
                    key=f"test:merge:msg:{n}",
                    kind=Notification.Kind.BIRTHDAY,
                    channel=Notification.Channel.EMAIL,
                    to=guest.email or "x@guest.test",
                    occasion_date=timezone.localdate(),
                ),
            )
        ]
    )


def _document(guest: Guest, ctx: dict) -> None:
    make_document(guest, f"1101051949123{_n():04d}")


def _referral(guest: Guest, ctx: dict) -> None:
    make_guest(family="Referred", given=f"Friend{_n()}", email="", referred_by=guest)


def _dismissed_with_newer(guest: Guest, ctx: dict) -> None:
    from guests.duplicates import duplicate_dismiss

    newer = make_guest(family="Other", given=f"Person{_n()}", email="")
    duplicate_dismiss(guest=guest, other=newer, by=ctx["by"])  # guest is guest_a


def _dismissed_with_older(guest: Guest, ctx: dict) -> None:
    from guests.duplicates import duplicate_dismiss

    duplicate_dismiss(guest=guest, other=ctx["elder"], by=ctx["by"])  # guest is guest_b


def _earlier_merge(guest: Guest, ctx: dict) -> None:
    from guests.merge import guest_merge

    twin = make_guest(family=guest.family_name, given=guest.given_name, email="")
    guest_merge(kept_id=guest.pk, merged_id=twin.pk, by=ctx["by"])


def _ticket(guest: Guest, ctx: dict) -> None:
    make_ticket(by=ctx["by"], guest=guest)


def _member(guest: Guest, ctx: dict) -> None:
    from loyalty.services import points_adjust

    member = make_member(guest, by=ctx["by"])
    points_adjust(
        member=member,
        points=1000 + _n(),
        by=ctx["by"],
        reason="opening",
        idempotency_key=f"test:merge:{member.pk}",
    )


def _pms_reference(guest: Guest, ctx: dict) -> None:
    from imports.models import GuestRef  # the imports app, where it is installed

    GuestRef.objects.create(guest=guest, kind=GuestRef.Kind.PROFILE, value=f"P-{_n()}")


def _survey_link(guest: Guest, ctx: dict) -> None:
    from surveys.models import SurveyLink  # the surveys app, where it is installed

    stay = make_stay(guest, arrival=date(2024, 4, _n() % 27 + 1))
    now = timezone.now()
    SurveyLink.objects.create(stay=stay, guest=guest, sent_at=now, last_sent_at=now)


def _survey_response(guest: Guest, ctx: dict) -> None:
    from tests import factories

    factories.make_survey_response(make_stay(guest, arrival=date(2024, 8, _n() % 27 + 1)))


def _value(guest: Guest, ctx: dict) -> None:
    from retention.services.valuation import guest_value_refresh

    make_stay(guest, arrival=date(2024, 10, _n() % 27 + 1), nights=1, spend_room=500)
    guest_value_refresh(guest_id=guest.pk, today=timezone.localdate())


def _win_back(guest: Guest, ctx: dict) -> None:
    from retention.models import WinBack

    task = CareTask.objects.create(
        key=f"test:merge:win-back:{_n()}",
        kind=CareTask.Kind.WIN_BACK,
        guest=guest,
        title="Win the guest back",
        due_on=timezone.localdate(),
    )
    WinBack.objects.create(
        task=task, guest=guest, flagged_on=timezone.localdate(), since=date(2024, 1, 1)
    )


MAKERS: dict[str, Maker] = {
    "guests.Guest.referred_by": _referral,
    "guests.GuestPhone.guest": _phone,
    "guests.FamilyMember.guest": _family,
    "guests.SpecialDate.guest": _special_date,
    "guests.Preference.guest": _preference,
    "guests.Stay.guest": _stay,
    "guests.GuestAccessLog.guest": _access,
    "guests.GuestChange.guest": _change,
    "guests.CareTask.guest": _care_task,
    "guests.GuestNotification.guest": _message,
    "guests.GuestDocument.guest": _document,
    "guests.DuplicatePair.guest_a": _dismissed_with_newer,
    "guests.DuplicatePair.guest_b": _dismissed_with_older,
    "guests.GuestMerge.kept": _earlier_merge,
    "complaints.Ticket.guest": _ticket,
    "loyalty.Member.guest": _member,
    "imports.GuestRef.guest": _pms_reference,
    "surveys.SurveyLink.guest": _survey_link,
    "surveys.SurveyResponse.guest": _survey_response,
    "retention.GuestValue.guest": _value,
    "retention.WinBack.guest": _win_back,
}


def make_everything(guest: Guest, *, by, elder: Guest) -> None:
    """One row (at least) of every relation that has a maker. `elder`: a guest made before
    this one (a dismissed suggestion with it puts this guest second in the pair)."""
    from guests.merge import guest_relations

    present = {f"{rel.related_model._meta.label}.{rel.field.name}" for rel in guest_relations()}
    for key, maker in MAKERS.items():
        if key in present:  # a maker for an app this project does not have yet waits
            maker(guest, {"by": by, "elder": elder})
