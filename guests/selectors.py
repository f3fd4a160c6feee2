"""Reading guest profiles: the front-desk lookup, the guest card, lists."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    Count,
    Max,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import seams
from core.dates import occasion_next
from core.seams import CardPanel
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
    guest_shown_q,
)

SEARCH_MIN_NAME = 1
_PHONEISH = re.compile(r"^[+\d\s().-]+$")
_ROOMISH = re.compile(r"^[A-Za-z0-9-]{1,10}$")


def contact_visible(user: User) -> bool:
    """Guest relations, account managers and managers see contact details in full."""
    return user.has_perm("guests.view_guest_contact")


def contact_mask(value: str) -> str:
    """Everything but the last four characters hidden: "•••••••8000"."""
    value = value or ""
    if len(value) <= 4:
        return value
    return "•" * (len(value) - 4) + value[-4:]


def in_house_stays(today: date | None = None) -> QuerySet[Stay]:
    today = today or timezone.localdate()
    return Stay.objects.filter(arrival__lte=today, departure__gt=today)


def guest_in_house_room(*, guest: Guest, today: date | None = None) -> str:
    """The room the guest is in today ("" if not in-house): the latest arrival's room."""
    room = (
        in_house_stays(today)
        .filter(guest=guest)
        .order_by("-arrival", "-pk")
        .values_list("room_number", flat=True)
        .first()
    )
    return room or ""


def _guest_summary_qs(today: date) -> QuerySet[Guest]:
    """Guests with what a result row or list row needs: company, the number of completed stays
    and the last departure (what makes a returning guest), and the room if in-house now."""
    # Correlated subqueries rather than a join and GROUP BY: a page of 50 guests then costs 50
    # index look-ups on stay_guest_arrival, not an aggregate over every guest's stays.
    in_house = in_house_stays(today).filter(guest=OuterRef("pk")).order_by("-arrival")
    # Completed stays only: a guest on their first stay is in-house, not a returning guest.
    stays = Stay.objects.filter(guest=OuterRef("pk"), departure__lte=today).order_by()
    return (
        Guest.objects.shown()
        .select_related("company")
        .annotate(
            stay_count=Coalesce(
                Subquery(stays.values("guest").annotate(n=Count("pk")).values("n")[:1]),
                0,
            ),
            last_stay_departure=Subquery(
                stays.values("guest").annotate(last=Max("departure")).values("last")[:1]
            ),
            in_house_room=Subquery(in_house.values("room_number")[:1]),
        )
    )


# --- Front-desk lookup --------------------------------------------------------------------------


def _ids(qs: QuerySet, limit: int) -> list[int]:
    return list(qs.values_list("pk", flat=True)[:limit])


def _name_ids(query: str, limit: int) -> list[int]:
    q = query.lower()
    guests = Guest.objects.shown()
    if len(q) <= 2:
        guests = guests.filter(name_grams__contains=[q])
    else:
        # LIKE on lower-cased text, so the trigram GIN index on search_text answers it.
        guests = guests.filter(search_text__contains=q)
    return _ids(guests.order_by("-vip_level", "family_name", "given_name", "pk"), limit)


def _phone_ids(query: str, limit: int) -> list[int]:
    digits = "".join(ch for ch in query if ch.isdigit())
    if len(digits) < 3:
        return []
    if digits.startswith("00"):
        digits = digits[2:]
    # A national number typed with its trunk 0 ("020 …") ends the same as the stored one.
    tail = digits.lstrip("0") or digits
    phones = GuestPhone.objects.filter(
        guest_shown_q("guest__"), digits_reversed__startswith=tail[::-1]
    )
    return list(dict.fromkeys(phones.values_list("guest_id", flat=True)[: limit * 2]))[:limit]


def _room_ids(query: str, limit: int, today: date) -> list[int]:
    stays = in_house_stays(today).filter(room_number=query.upper())
    return list(dict.fromkeys(stays.values_list("guest_id", flat=True)[:limit]))


def _email_ids(query: str, limit: int) -> list[int]:
    return _ids(Guest.objects.shown().filter(email=query.lower()), limit)


def _provider_ids(query: str, limit: int) -> list[int]:
    ids: list[int] = []
    for provider in seams.lookup_providers.all():
        if provider.match is not None:
            ids.extend(provider.match(query) or ())
    return ids[:limit]


def guest_search(*, query: str, limit: int = 20, today: date | None = None) -> list[Guest]:
    """Guests matching what the front desk typed: a name (Latin or Chinese, partial), a phone
    number (any format, or its last digits), an e-mail, an in-house room, or any code a lookup
    provider knows (a member number). Best matches first.

    Each result carries stay_count and last_stay_departure (completed stays), in_house_room,
    phone_list and lookup_badges (display strings lookup providers add). A constant number of
    queries.
    """
    query = " ".join((query or "").split())
    if not query or limit <= 0:
        return []
    today = today or timezone.localdate()
    ordered: list[int] = []
    ordered += _provider_ids(query, limit)
    if _ROOMISH.match(query):
        ordered += _room_ids(query, limit, today)
    if _PHONEISH.match(query):
        ordered += _phone_ids(query, limit)
    if "@" in query and " " not in query:
        ordered += _email_ids(query, limit)
    if len(query) >= SEARCH_MIN_NAME:
        ordered += _name_ids(query, limit)
    ids = list(dict.fromkeys(ordered))[:limit]
    if not ids:
        return []
    guests = {
        g.pk: g
        for g in _guest_summary_qs(today)
        .filter(pk__in=ids)
        .prefetch_related(
            Prefetch("phones", queryset=GuestPhone.objects.order_by("-is_primary", "pk"))
        )
    }
    results = [guests[pk] for pk in ids if pk in guests]
    badges: dict[int, list[str]] = {g.pk: [] for g in results}
    for provider in seams.lookup_providers.all():
        if provider.annotate is None:
            continue
        for guest_id, shown in (provider.annotate([g.pk for g in results]) or {}).items():
            if guest_id in badges:
                badges[guest_id].extend(str(text) for text in shown or () if text)
    # Shown by the dropdown; set on the instances, so unknown to the model's type.
    for guest in results:
        guest.lookup_badges = badges[guest.pk]  # type: ignore[attr-defined]
        guest.phone_list = list(guest.phones.all())  # type: ignore[attr-defined]
    return results


# --- Lists --------------------------------------------------------------------------------------


def guest_list(
    *,
    vip: int | None = None,
    stage: str = "",
    company: Company | None = None,
    account_manager: User | None = None,
    in_house: bool = False,
    today: date | None = None,
) -> QuerySet[Guest]:
    """Guests for the list page, filtered and ordered; page it, then pass the page through
    guest_summaries() for the stay counts (so skipped pages cost nothing)."""
    today = today or timezone.localdate()
    guests = Guest.objects.shown()
    if vip is not None:
        guests = guests.filter(vip_level=vip)
    if stage:
        guests = guests.filter(stage=stage)
    if company is not None:
        guests = guests.filter(company=company)
    if account_manager is not None:
        guests = guests.filter(account_manager=account_manager)
    if in_house:
        guests = guests.filter(pk__in=in_house_stays(today).values("guest_id"))
    return guests.order_by("family_name", "given_name", "id")


def guest_summaries(*, guests: Sequence[Guest], today: date | None = None) -> list[Guest]:
    """The given guests, in the same order, with company, stay_count and last_stay_departure
    (completed stays) and in_house_room: one query for the lot."""
    ids = [g.pk for g in guests]
    found = {g.pk: g for g in _guest_summary_qs(today or timezone.localdate()).filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


def arrivals_today(*, today: date | None = None, limit: int = 30) -> list[Guest]:
    """Today's arrivals for the front desk's home page, returning guests and VIPs first, each
    with what recognition needs: stays so far, room, preferences and a birthday today.
    Four queries whatever the number of arrivals or guests: the arriving guests come from the
    stay_arrival index and are sorted on the stored Guest.completed_stays; the live stay
    counts are computed for the rows shown only."""
    today = today or timezone.localdate()
    order = ["-vip_level", "-completed_stays", "family_name", "given_name", "pk"]
    # The day's arriving guests first, as a list: given a subquery, the planner may instead walk
    # every guest in VIP order looking for arrivals (seen at 1,000,000 guests: 650 ms).
    arriving = list(
        Stay.objects.filter(arrival=today).order_by().values_list("guest_id", flat=True).distinct()
    )
    shown = Guest.objects.shown().filter(pk__in=arriving).order_by(*order).values("pk")[:limit]
    guests = list(
        _guest_summary_qs(today)
        .filter(pk__in=shown)
        .prefetch_related(
            Prefetch("preferences", queryset=Preference.objects.select_related("category"))
        )
        .order_by(*order)
    )
    from core.dates import occasion_days

    for guest in guests:
        birthday = (guest.birth_month, guest.birth_day)
        guest.birthday_today = birthday in occasion_days(today)  # type: ignore[attr-defined]
    return guests


def in_house_vips(*, today: date | None = None, limit: int = 20) -> list[Guest]:
    """VIP guests in-house today, highest level first: one query."""
    today = today or timezone.localdate()
    in_house = in_house_stays(today).values("guest_id")
    return list(
        _guest_summary_qs(today)
        .filter(pk__in=in_house, vip_level__gt=0)
        .order_by("-vip_level", "family_name", "given_name", "pk")[:limit]
    )


def guest_stays(*, guest: Guest) -> QuerySet[Stay]:
    return Stay.objects.filter(guest=guest).order_by("-arrival", "-pk")


def company_list(*, query: str = "") -> QuerySet[Company]:
    companies = Company.objects.select_related("account_manager").annotate(
        guest_count=Count("guests", distinct=True)
    )
    if query:
        companies = companies.filter(Q(name__icontains=query) | Q(name_local__icontains=query))
    return companies.order_by("name", "pk")


def company_get(*, pk: int) -> Company:
    return (
        Company.objects.select_related("account_manager", "charge_paused_by", "charge_resumed_by")
        .prefetch_related("contacts")
        .get(pk=pk)
    )


def access_log_list(
    *,
    guest: Guest | None = None,
    user: User | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[GuestAccessLog]:
    records = GuestAccessLog.objects.select_related("guest", "user")
    if guest is not None:
        records = records.filter(guest=guest)
    if user is not None:
        records = records.filter(user=user)
    if date_from is not None:
        records = records.filter(at__date__gte=date_from)
    if date_to is not None:
        records = records.filter(at__date__lte=date_to)
    return records.order_by("-at", "-pk")


# --- Occasions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occasion:
    kind: str  # "birthday" or a SpecialDate.Kind
    label: str
    who: str
    on: date
    days_away: int
    years: int | None = None  # age reached, or years since the occasion


def occasions_upcoming(*, guest: Guest, today: date, days: int = 7) -> list[Occasion]:
    """Birthdays (the guest's and their family's) and special dates in the next `days` days.

    Reads prefetched `family` and `special_dates`; no queries of its own.
    """
    found: list[Occasion] = []

    def consider(kind: str, label: str, who: str, month, day_, year) -> None:
        if not month or not day_:
            return
        on = occasion_next(month=month, day=day_, today=today)
        away = (on - today).days
        if away <= days:
            years = on.year - year if year else None
            found.append(Occasion(kind, label, who, on, away, years))

    consider(
        "birthday",
        _("Birthday"),
        guest.display_name,
        guest.birth_month,
        guest.birth_day,
        guest.birth_year,
    )
    for member in guest.family.all():
        consider(
            "birthday",
            _("Birthday"),
            f"{member.name} ({member.get_relation_display()})",
            member.birth_month,
            member.birth_day,
            member.birth_year,
        )
    for occasion in guest.special_dates.all():
        consider(
            occasion.kind,
            occasion.get_kind_display(),
            occasion.note or guest.display_name,
            occasion.date.month,
            occasion.date.day,
            occasion.date.year,
        )
    return sorted(found, key=lambda o: (o.days_away, o.label))


# --- The guest card -----------------------------------------------------------------------------


@dataclass
class GuestCard:
    guest: Guest
    show_contact: bool
    stay_count: int  # completed stays (departed on or before today)
    last_stay_departure: date | None
    current_stay: Stay | None
    recent_stays: list[Stay]
    occasions: list[Occasion]
    panels: list[tuple[CardPanel, dict]] = field(default_factory=list)
    loyalty_registered: bool = False

    @property
    def is_returning(self) -> bool:
        return self.stay_count > 0

    @property
    def charge_paused(self) -> bool:
        company = self.guest.company
        return company is not None and company.charge_privilege == Company.ChargePrivilege.PAUSED


RECENT_STAYS = 5


def guest_get_card(*, guest_id: int, user: User, today: date | None = None) -> GuestCard:
    """Everything the recognition view shows, in a constant number of queries.

    Raises Guest.DoesNotExist for an unknown or erased guest.
    """
    today = today or timezone.localdate()
    guest = (
        _guest_summary_qs(today)
        .select_related("account_manager", "referred_by")
        .prefetch_related(
            Prefetch("phones", queryset=GuestPhone.objects.order_by("-is_primary", "pk")),
            Prefetch("family", queryset=FamilyMember.objects.order_by("relation", "name")),
            Prefetch("special_dates", queryset=SpecialDate.objects.order_by("month", "day")),
            Prefetch(
                "preferences",
                queryset=Preference.objects.select_related("category").order_by(
                    "category__sort_order", "category__name", "value"
                ),
            ),
        )
        .get(pk=guest_id)
    )
    # The last few stays, newest first, in one query however long the history.
    recent = list(Stay.objects.filter(guest=guest).order_by("-arrival", "-pk")[: RECENT_STAYS + 1])
    current = next((s for s in recent if s.arrival <= today < s.departure), None)
    panels: list[tuple[CardPanel, dict]] = []
    registered = seams.card_panels.all()
    for panel in registered:
        context = panel.context(guest=guest, user=user)
        if context is not None:
            panels.append((panel, context))
    return GuestCard(
        guest=guest,
        show_contact=contact_visible(user),
        stay_count=guest.stay_count,  # type: ignore[attr-defined]
        last_stay_departure=guest.last_stay_departure,  # type: ignore[attr-defined]
        current_stay=current,
        recent_stays=recent[:RECENT_STAYS],
        occasions=occasions_upcoming(guest=guest, today=today),
        panels=panels,
        loyalty_registered=any(panel.key == "loyalty" for panel in registered),
    )


# --- Who changed what ---------------------------------------------------------------------------

HISTORY_LIMIT = 20


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: Any
    by: User | None
    subject: str
    action: str
    fields: list[FieldChange]


def _subject_models() -> dict[str, type[Model]]:
    from guests.models import CompanyContact, GuestDocument

    return {
        GuestChange.Subject.GUEST: Guest,
        GuestChange.Subject.PHONE: GuestPhone,
        GuestChange.Subject.FAMILY: FamilyMember,
        GuestChange.Subject.SPECIAL_DATE: SpecialDate,
        GuestChange.Subject.PREFERENCE: Preference,
        GuestChange.Subject.STAY: Stay,
        GuestChange.Subject.COMPANY: Company,
        GuestChange.Subject.CONTACT: CompanyContact,
        GuestChange.Subject.DOCUMENT: GuestDocument,
    }


def _field_value(field: Any, value: str | None, *, masked: bool) -> str:
    if value is None:
        return "—"
    if masked:
        return contact_mask(value)
    choices = dict(getattr(field, "flatchoices", None) or ())
    if value in {"True", "False"} and getattr(field, "get_internal_type", lambda: "")() in {
        "BooleanField"
    }:
        return str(_("yes") if value == "True" else _("no"))
    return str(choices.get(value, value))


def guest_history(*, guest: Guest, user: User, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes to a guest's record and rows, for the card; one query.

    Contact details are masked for staff who see them masked on the card. Labels and choice
    values are rendered in the reader's language.
    """
    from guests.changes import CONTACT_FIELDS

    show_contact = contact_visible(user)
    models_by_subject = _subject_models()
    rows = GuestChange.objects.filter(guest=guest).select_related("by")[:limit]
    entries = []
    for row in rows:
        model = models_by_subject[row.subject]
        fields = []
        for name, (old, new) in row.changes.items():
            try:
                model_field = model._meta.get_field(name)
                label = str(getattr(model_field, "verbose_name", name))
            except FieldDoesNotExist:
                model_field, label = None, name
            masked = not show_contact and (row.subject, name) in CONTACT_FIELDS
            fields.append(
                FieldChange(
                    label=label,
                    old=_field_value(model_field, old, masked=masked),
                    new=_field_value(model_field, new, masked=masked),
                )
            )
        entries.append(
            HistoryEntry(
                at=row.at,
                by=row.by,
                subject=row.get_subject_display(),
                action=row.get_action_display(),
                fields=fields,
            )
        )
    return entries
