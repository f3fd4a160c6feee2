"""Changes to guest profiles, stays and corporate accounts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from typing import Any

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import seams
from core.dates import day_exists
from guests import changes
from guests.models import (
    Company,
    FamilyMember,
    Guest,
    GuestAccessLog,
    GuestChange,
    GuestPhone,
    Preference,
    SpecialDate,
    Stay,
)

DEFAULT_PHONE_REGION = "CN"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+")
_LATIN_WORD = re.compile(r"[^\W_]+")

# --- Phones -------------------------------------------------------------------------------------


def phone_normalise(raw: str, *, region: str = DEFAULT_PHONE_REGION) -> str:
    """The number in E.164 ("+8613800138000"), whatever way it was typed.

    Raises ValidationError for something that is not a possible phone number.
    """
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(
            _("“%(number)s” is not a phone number."), code="phone", params={"number": raw}
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(number)s” is not a valid phone number."),
            code="phone",
            params={"number": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digits_reversed(number: str) -> str:
    return "".join(ch for ch in number if ch.isdigit())[::-1]


# --- Search fields ------------------------------------------------------------------------------


def _name_grams(*texts: str) -> list[str]:
    """Every CJK piece of one or two characters, and the first one or two letters of each word."""
    grams: set[str] = set()
    for text in texts:
        text = (text or "").lower()
        for run in _CJK.findall(text):
            for size in (1, 2):
                grams.update(run[i : i + size] for i in range(len(run) - size + 1))
        for word in _LATIN_WORD.findall(_CJK.sub(" ", text)):
            grams.update({word[:1], word[:2]})
    return sorted(grams)


def guest_search_fields(guest: Guest) -> None:
    """Fill search_text and name_grams from the names and salutation (no save).

    Not the e-mail: the name search must not let staff who see contact details masked find a
    guest by part of an address. An exact e-mail is still found (selectors._email_ids).
    """
    family, given = guest.family_name.strip(), guest.given_name.strip()
    parts = [
        f"{given} {family}".strip(),
        f"{family} {given}".strip(),
        f"{family}{given}",
        guest.salutation.strip(),
    ]
    guest.search_text = " | ".join(p for p in parts if p).lower()
    guest.name_grams = _name_grams(family, given, f"{family}{given}", guest.salutation)


# --- Dates --------------------------------------------------------------------------------------


def day_of_year_check(*, month: int | None, day: int | None, year: int | None = None) -> None:
    """A real day of the month; 29 February is fine without a year (or in a leap year)."""
    if month is None and day is None:
        return
    if month is None or day is None:
        raise ValidationError(_("Give both the day and the month."), code="partial_date")
    if not 1 <= month <= 12:
        raise ValidationError(_("The month must be between 1 and 12."), code="month")
    if not day_exists(month=month, day=day, year=year):
        raise ValidationError(
            _("Day %(day)s does not exist in month %(month)s.") % {"day": day, "month": month},
            code="day",
        )


def birth_date_check(
    *, year: int | None, month: int | None, day: int | None, today: date | None = None
) -> None:
    """A birth date may leave out the year, but must be a real day and not in the future."""
    day_of_year_check(month=month, day=day, year=year)
    today = today or timezone.localdate()
    if year is None:
        return
    if year < 1900:
        raise ValidationError(_("The birth year must be 1900 or later."), code="year")
    if (year, month or 1, day or 1) > (today.year, today.month, today.day):
        raise ValidationError(_("The birth date cannot be in the future."), code="future")


# --- Guests -------------------------------------------------------------------------------------

GUEST_FIELDS = {
    "family_name",
    "given_name",
    "name_order",
    "salutation",
    "gender",
    "birth_year",
    "birth_month",
    "birth_day",
    "nationality",
    "preferred_language",
    "email",
    "preferred_channel",
    "greetings_consent",
    "marketing_consent",
    "vip_level",
    "tags",
    "notes",
    "stage",
    "referred_by",
    "account_manager",
    "company",
}


def _guest_apply(guest: Guest, data: dict[str, Any], *, now) -> None:
    unknown = set(data) - GUEST_FIELDS
    if unknown:
        raise TypeError(f"unknown guest fields: {sorted(unknown)}")
    before = {
        "greetings_consent": guest.greetings_consent if guest.pk else None,
        "marketing_consent": guest.marketing_consent if guest.pk else None,
    }
    for name, value in data.items():
        setattr(guest, name, value)
    guest.email = (guest.email or "").strip().lower()
    guest.nationality = (guest.nationality or "").strip().upper()
    # Consent is time-stamped when it is given or withdrawn (and on creation when given).
    for field in ("greetings_consent", "marketing_consent"):
        if getattr(guest, field) != before[field] and (guest.pk or getattr(guest, field)):
            setattr(guest, f"{field}_at", now)
    guest_search_fields(guest)


def _children_sync(
    model: type[models.Model],
    guest: Guest,
    rows: Iterable[dict[str, Any]] | None,
    prepare,
    *,
    by: User | None,
    subject: str,
) -> None:
    """Make the guest's rows of `model` exactly `rows`: update those with an id, add the rest,
    delete the ones left out; each addition, change and removal goes into the change log."""
    if rows is None:
        return
    rows = [dict(row) for row in rows]
    for row in rows:
        row["id"] = getattr(row.get("id"), "pk", row.get("id"))
    objects = model._default_manager
    # Delete first, so a number removed and typed again does not collide with itself.
    gone = objects.filter(guest=guest).exclude(pk__in=[r["id"] for r in rows if r["id"]])
    for obj in gone:
        changes.deleted(obj, owner="guest", by=by, subject=subject, guest=guest)
    gone.delete()
    existing = {obj.pk: obj for obj in objects.filter(guest=guest)}
    for row in rows:
        pk = row.pop("id")
        found = existing.get(pk) if pk else None
        before = changes.snapshot(found, owner="guest") if found is not None else None
        obj = found if found is not None else model(guest=guest)
        for name, value in row.items():
            setattr(obj, name, value)
        prepare(obj)
        obj.save()
        if before is None:
            changes.created(obj, owner="guest", by=by, subject=subject, guest=guest)
        else:
            changes.change_record(
                by=by,
                subject=subject,
                guest=guest,
                subject_id=obj.pk,
                action=GuestChange.Action.CHANGED,
                changes=changes.diff(before, changes.snapshot(obj, owner="guest")),
            )


def _phone_prepare(phone: GuestPhone) -> None:
    phone.number = phone_normalise(phone.number)
    phone.digits_reversed = phone_digits_reversed(phone.number)


def _special_date_prepare(occasion: SpecialDate) -> None:
    occasion.month, occasion.day = occasion.date.month, occasion.date.day


def _no_prepare(obj: models.Model) -> None:
    return None


def _related_sync(
    guest: Guest,
    *,
    by: User | None,
    phones: Sequence[dict] | None,
    family: Sequence[dict] | None,
    special_dates: Sequence[dict] | None,
    preferences: Sequence[dict] | None,
) -> None:
    if phones is not None:
        phones = [dict(p, number=phone_normalise(p["number"])) for p in phones]
        if phones and not any(p.get("is_primary") for p in phones):
            phones[0]["is_primary"] = True
        # Two spellings of one number are one number.
        unique: dict[str, dict] = {}
        for phone in phones:
            unique.setdefault(phone["number"], phone)
        phones = list(unique.values())
    subject = GuestChange.Subject
    _children_sync(GuestPhone, guest, phones, _phone_prepare, by=by, subject=subject.PHONE)
    _children_sync(FamilyMember, guest, family, _no_prepare, by=by, subject=subject.FAMILY)
    _children_sync(
        SpecialDate,
        guest,
        special_dates,
        _special_date_prepare,
        by=by,
        subject=subject.SPECIAL_DATE,
    )
    _children_sync(Preference, guest, preferences, _no_prepare, by=by, subject=subject.PREFERENCE)


@transaction.atomic
def guest_create(
    *,
    by: User | None,
    data: dict[str, Any],
    phones: Sequence[dict] = (),
    family: Sequence[dict] = (),
    special_dates: Sequence[dict] = (),
    preferences: Sequence[dict] = (),
) -> Guest:
    """Create a guest with their phones, family, special dates and preferences."""
    guest = Guest()
    _guest_apply(guest, data, now=timezone.now())
    guest.save()
    changes.created(guest, by=by, subject=GuestChange.Subject.GUEST, guest=guest)
    _related_sync(
        guest,
        by=by,
        phones=list(phones),
        family=list(family),
        special_dates=list(special_dates),
        preferences=list(preferences),
    )
    return guest


@transaction.atomic
def guest_update(
    *,
    guest: Guest,
    by: User | None,
    data: dict[str, Any],
    phones: Sequence[dict] | None = None,
    family: Sequence[dict] | None = None,
    special_dates: Sequence[dict] | None = None,
    preferences: Sequence[dict] | None = None,
) -> Guest:
    """Change a guest; lists given replace what the guest had (rows with an id are updated)."""
    guest = Guest.objects.select_for_update().get(pk=guest.pk)
    before = changes.snapshot(guest)
    _guest_apply(guest, data, now=timezone.now())
    guest.save()
    changes.change_record(
        by=by,
        subject=GuestChange.Subject.GUEST,
        guest=guest,
        subject_id=guest.pk,
        action=GuestChange.Action.CHANGED,
        changes=changes.diff(before, changes.snapshot(guest)),
    )
    _related_sync(
        guest,
        by=by,
        phones=phones,
        family=family,
        special_dates=special_dates,
        preferences=preferences,
    )
    return guest


def guest_access_record(
    *, guest: Guest, user: User, action: str = GuestAccessLog.Action.VIEW
) -> GuestAccessLog:
    """Note that `user` saw the guest's full contact details."""
    return GuestAccessLog.objects.create(guest=guest, user=user, action=action)


# --- Stays --------------------------------------------------------------------------------------

STAY_FIELDS = {
    "arrival",
    "departure",
    "room_number",
    "room_type",
    "rate_plan",
    "spend_room",
    "spend_fb",
    "spend_other",
    "currency",
    "source",
    "pms_reference",
}


def _stay_apply(stay: Stay, data: dict[str, Any]) -> None:
    unknown = set(data) - STAY_FIELDS
    if unknown:
        raise TypeError(f"unknown stay fields: {sorted(unknown)}")
    for name, value in data.items():
        setattr(stay, name, value)
    stay.room_number = (stay.room_number or "").strip().upper()
    stay.pms_reference = (stay.pms_reference or "").strip() or None
    stay.currency = (stay.currency or "CNY").upper()
    if stay.departure <= stay.arrival:
        raise ValidationError(
            {"departure": _("Departure must be after arrival.")}, code="departure"
        )
    if (
        stay.pms_reference
        and Stay.objects.filter(pms_reference=stay.pms_reference).exclude(pk=stay.pk).exists()
    ):
        raise ValidationError(
            {"pms_reference": _("Another stay already has this PMS reference.")},
            code="pms_reference",
        )


def guest_stage_refresh(*, guest: Guest, today: date | None = None) -> Guest:
    """In-house while a stay covers today, a past guest once they have stayed."""
    today = today or timezone.localdate()
    stays = Stay.objects.filter(guest=guest)
    if stays.filter(arrival__lte=today, departure__gt=today).exists():
        stage = Guest.Stage.IN_HOUSE
    elif stays.filter(departure__lte=today).exists():
        stage = Guest.Stage.PAST
    else:
        return guest  # prospects and referred guests stay as they are until they stay
    if guest.stage != stage:
        guest.stage = stage
        guest.save(update_fields=["stage", "updated_at"])
    return guest


# One UPDATE for any set of guests: completed stays (departed by the day) and the last departure.
_STAY_SUMMARY_SQL = """
UPDATE guests_guest g
SET completed_stays = coalesce(s.n, 0), last_departure = s.last
FROM guests_guest t
LEFT JOIN LATERAL (
    SELECT count(*) AS n, max(departure) AS last FROM guests_stay
    WHERE guest_id = t.id AND departure <= %s
) s ON true
WHERE g.id = t.id AND t.id IN ({ids})
  AND (g.completed_stays, g.last_departure) IS DISTINCT FROM (coalesce(s.n, 0), s.last)
"""


def guest_stay_summary_refresh(
    *, guest_ids: Iterable[int] | QuerySet | None, today: date | None = None
) -> int:
    """Recount Guest.completed_stays and last_departure from the stays, as of `today` (the
    hotel's), for the given guests (ids or a values("…") queryset; None: every guest). Only rows
    whose figures change are written. Returns how many changed."""
    today = today or timezone.localdate()
    with connection.cursor() as cursor:
        if guest_ids is None:
            cursor.execute(_STAY_SUMMARY_SQL.format(ids="SELECT id FROM guests_guest"), [today])
        elif isinstance(guest_ids, QuerySet):
            sql, params = guest_ids.query.sql_with_params()
            cursor.execute(_STAY_SUMMARY_SQL.format(ids=sql), [today, *params])
        else:
            ids = list(guest_ids)
            if not ids:
                return 0
            cursor.execute(
                _STAY_SUMMARY_SQL.format(ids="SELECT unnest(%s::bigint[])"), [today, ids]
            )
        return cursor.rowcount


# Stays that ended up to this many days before the nightly run are recounted, so a run missed
# for a few days (a worker down) still catches up.
STAY_SUMMARY_CATCH_UP_DAYS = 7


@transaction.atomic
def guest_stages_refresh(*, today: date) -> dict[str, int]:
    """The nightly sweep: guests whose stay began today are in-house, guests whose stay ended
    are past guests. Two indexed UPDATEs, whatever the number of guests; safe to run twice."""
    covering = Stay.objects.filter(arrival__lte=today, departure__gt=today).values("guest_id")
    now = timezone.now()
    left = (
        Guest.objects.filter(stage=Guest.Stage.IN_HOUSE)
        .exclude(pk__in=covering)
        .update(stage=Guest.Stage.PAST, updated_at=now)
    )
    arrived = (
        Guest.objects.filter(pk__in=covering)
        .exclude(stage=Guest.Stage.IN_HOUSE)
        .update(stage=Guest.Stage.IN_HOUSE, updated_at=now)
    )
    # Stays that ended since the last runs now count as completed (an index range on departure).
    ended = Stay.objects.filter(
        departure__gt=today - timedelta(days=STAY_SUMMARY_CATCH_UP_DAYS), departure__lte=today
    ).values("guest_id")
    recounted = guest_stay_summary_refresh(guest_ids=ended, today=today)
    return {"in_house": arrived, "past": left, "recounted": recounted}


def _stay_hooks_queue(stay: Stay) -> None:
    """Tell other apps about the stay once it is committed (loyalty earns from a stay that has
    ended). Each hook runs on its own: one that fails is logged and does not undo the stay."""
    for hook in seams.stay_hooks.all():
        transaction.on_commit(_stay_hook_call(hook, stay.pk), robust=True)


def _stay_hook_call(hook: Callable[[int], None], stay_id: int) -> Callable[[], None]:
    def call() -> None:
        hook(stay_id)

    # A robust on_commit logs a failure under the callable's __qualname__: name the hook.
    call.__qualname__ = getattr(hook, "__qualname__", repr(hook))
    return call


@transaction.atomic
def stay_create(*, guest: Guest, by: User | None, data: dict[str, Any]) -> Stay:
    """Record a stay by hand (or from the PMS)."""
    stay = Stay(guest=guest)
    _stay_apply(stay, data)
    stay.save()
    changes.created(stay, by=by, subject=GuestChange.Subject.STAY, guest=guest, owner="guest")
    guest_stay_summary_refresh(guest_ids=[guest.pk])
    guest_stage_refresh(guest=guest)
    _stay_hooks_queue(stay)
    return stay


@transaction.atomic
def stay_update(*, stay: Stay, by: User | None, data: dict[str, Any]) -> Stay:
    stay = Stay.objects.select_for_update().get(pk=stay.pk)
    before = changes.snapshot(stay, owner="guest")
    _stay_apply(stay, data)
    stay.save()
    changes.change_record(
        by=by,
        subject=GuestChange.Subject.STAY,
        guest=stay.guest,
        subject_id=stay.pk,
        action=GuestChange.Action.CHANGED,
        changes=changes.diff(before, changes.snapshot(stay, owner="guest")),
    )
    guest_stay_summary_refresh(guest_ids=[stay.guest_id])
    guest_stage_refresh(guest=stay.guest)
    _stay_hooks_queue(stay)
    return stay


# --- Companies ----------------------------------------------------------------------------------

COMPANY_FIELDS = {
    "name",
    "name_local",
    "billing_address",
    "tax_id",
    "billing_email",
    "credit_limit",
    "currency",
    "charge_privilege",
    "account_manager",
    "notes",
}


@transaction.atomic
def company_save(
    *,
    company: Company | None,
    by: User | None,
    data: dict[str, Any],
    contacts: Sequence[dict] | None = None,
) -> Company:
    """Create or change a company and its contacts. Pausing goes through company_charge_pause."""
    unknown = set(data) - COMPANY_FIELDS
    if unknown:
        raise TypeError(f"unknown company fields: {sorted(unknown)}")
    company = company or Company()
    before = changes.snapshot(company) if company.pk else None
    if data.get("charge_privilege") == Company.ChargePrivilege.PAUSED and (
        company.charge_privilege != Company.ChargePrivilege.PAUSED
    ):
        raise ValidationError(_("Pause the privilege with a reason instead."), code="pause")
    for name, value in data.items():
        setattr(company, name, value)
    company.billing_email = (company.billing_email or "").strip().lower()
    company.currency = (company.currency or "CNY").upper()
    company.save()
    if before is None:
        changes.created(company, by=by, company=company, subject=GuestChange.Subject.COMPANY)
    else:
        _company_change_record(company, before=before, by=by)
    if contacts is not None:
        _company_contacts_sync(company, contacts, by=by)
    return company


def _company_contacts_sync(company: Company, contacts: Sequence[dict], *, by: User | None) -> None:
    subject = GuestChange.Subject.CONTACT
    existing = {c.pk: c for c in company.contacts.all()}
    keep = set()
    for row in contacts:
        row = dict(row)
        pk = getattr(row.get("id"), "pk", row.get("id"))
        row.pop("id", None)
        contact = existing.get(pk) if pk else None
        before = changes.snapshot(contact, owner="company") if contact else None
        contact = contact or company.contacts.model(company=company)
        for name, value in row.items():
            setattr(contact, name, value)
        if contact.phone:
            contact.phone = phone_normalise(contact.phone)
        contact.save()
        keep.add(contact.pk)
        if before is None:
            changes.created(contact, owner="company", by=by, company=company, subject=subject)
        else:
            changes.change_record(
                by=by,
                company=company,
                subject=subject,
                subject_id=contact.pk,
                action=GuestChange.Action.CHANGED,
                changes=changes.diff(before, changes.snapshot(contact, owner="company")),
            )
    for contact in company.contacts.exclude(pk__in=keep):
        changes.deleted(contact, owner="company", by=by, company=company, subject=subject)
    company.contacts.exclude(pk__in=keep).delete()


@transaction.atomic
def company_charge_pause(*, company: Company, by: User, reason: str) -> Company:
    """Pause charge-to-account; the reason is for finance and managers only."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Give the reason the privilege is paused.")}, code="reason"
        )
    company = Company.objects.select_for_update().get(pk=company.pk)
    before = changes.snapshot(company)
    company.charge_privilege = Company.ChargePrivilege.PAUSED
    company.charge_paused_reason = reason
    company.charge_paused_at = timezone.now()
    company.charge_paused_by = by
    company.save()
    _company_change_record(company, before=before, by=by)
    return company


def _company_change_record(company: Company, *, before: dict, by: User | None) -> None:
    changes.change_record(
        by=by,
        company=company,
        subject=GuestChange.Subject.COMPANY,
        subject_id=company.pk,
        action=GuestChange.Action.CHANGED,
        changes=changes.diff(before, changes.snapshot(company)),
    )


@transaction.atomic
def company_charge_resume(*, company: Company, by: User) -> Company:
    """Give the privilege back; the last pause (who, when, why) stays on record."""
    company = Company.objects.select_for_update().get(pk=company.pk)
    if company.charge_privilege != Company.ChargePrivilege.PAUSED:
        return company  # a double click changes nothing
    before = changes.snapshot(company)
    company.charge_privilege = Company.ChargePrivilege.ACTIVE
    company.charge_resumed_at = timezone.now()
    company.charge_resumed_by = by
    company.save()
    _company_change_record(company, before=before, by=by)
    return company
