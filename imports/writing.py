"""Writing one chunk of checked rows: find each row's guest, then create and update guests,
phones, references and stays in a handful of bulk statements, with a change record for each.

A guest is found, in this order, by the stay's reservation number, the PMS profile number,
the ID document, then the guests app's own rules for recognising a guest at the desk: the
normalised phone number, then the e-mail address. Erased guests are never found: importing
the same person again creates a new profile. A row whose values the guest and stay already
have writes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import User
from core import seams
from guests import changes
from guests.models import Company, Guest, GuestChange, GuestPhone, Stay
from guests.services import guest_search_fields, guest_stay_summary_refresh, phone_digits_reversed

from .copying import objects_copy, rows_copy
from .models import GuestRef
from .rows import ParsedRow

NAME_FIELDS = {"family_name", "given_name", "name_order"}
STAY_FIELDS = [
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
]


@dataclass(eq=False)
class _Found:
    guest: Guest
    new: bool
    phones: set[str]
    before: dict[str, Any] | None = None  # the record before this chunk changed it
    dirty: set[str] = field(default_factory=set)

    def set(self, name: str, value: Any) -> bool:
        if getattr(self.guest, name) == value:
            return False
        if not self.new and self.before is None:
            self.before = changes.snapshot(self.guest)
        setattr(self.guest, name, value)
        self.dirty.add(name)
        return True


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stay_ids: list[int] = field(default_factory=list)


def chunk_write(*, rows: Sequence[ParsedRow], by: User | None, today: datetime.date) -> Outcome:
    """Write the rows (already checked) in the caller's transaction."""
    stay_refs = {r.stay_ref for r in rows if r.stay_ref}
    profile_refs = {r.guest_ref for r in rows if r.guest_ref}
    documents = {r.document_hash for r in rows if r.document_hash}
    phones = {r.phone for r in rows if r.phone}
    emails = {r.guest["email"] for r in rows if r.guest.get("email")}

    stays_by_ref = {s.pms_reference: s for s in Stay.objects.filter(pms_reference__in=stay_refs)}
    refs = {
        (ref.kind, ref.value): ref
        for ref in GuestRef.objects.filter(
            Q(kind=GuestRef.Kind.PROFILE, value__in=profile_refs)
            | Q(kind=GuestRef.Kind.DOCUMENT, value__in=documents)
        )
    }
    # By the phone tails' index (guests' own lookup), then the exact number.
    phone_rows = [
        (number, guest_id)
        for number, guest_id in GuestPhone.objects.filter(
            digits_reversed__in=[phone_digits_reversed(p) for p in phones]
        ).values_list("number", "guest_id")
        if number in phones
    ]
    # Erased guests are left out below, once loaded: a filter on erased_at here lets the
    # planner walk the partial lookup index instead of the e-mail's.
    email_rows = list(Guest.objects.filter(email__in=emails).values_list("email", "pk"))
    ids = (
        {s.guest_id for s in stays_by_ref.values()}
        | {ref.guest_id for ref in refs.values()}
        | {guest_id for _number, guest_id in phone_rows}
        | {guest_id for _email, guest_id in email_rows}
    )
    guests = Guest.objects.select_related("company", "referred_by", "account_manager").in_bulk(ids)
    erased = {pk for pk, g in guests.items() if g.erased_at is not None}
    phone_owner: dict[str, int] = {}
    for number, guest_id in sorted(phone_rows, key=lambda row: row[1]):
        if guest_id not in erased:
            phone_owner.setdefault(number, guest_id)
    email_owner: dict[str, int] = {}
    for email, guest_id in sorted(email_rows, key=lambda row: row[1]):
        if guest_id not in erased:
            email_owner.setdefault(email, guest_id)
    phones_of: dict[int, set[str]] = {pk: set() for pk in guests}
    for guest_id, number in GuestPhone.objects.filter(guest_id__in=ids).values_list(
        "guest_id", "number"
    ):
        phones_of[guest_id].add(number)
    stays_by_dates: dict[tuple, Stay] = {}
    if any(r.stay and not r.stay_ref for r in rows):
        for stay in Stay.objects.filter(guest_id__in=ids - erased):
            stays_by_dates.setdefault((stay.guest_id, stay.arrival, stay.departure), stay)
    companies = _companies(rows, by=by)

    found_by_pk: dict[int, _Found] = {}
    local: dict[tuple[str, str], _Found] = {}  # keys seen in this chunk -> their guest

    def existing(guest_id: int | None) -> _Found | None:
        if guest_id is None or guest_id in erased or guest_id not in guests:
            return None
        if guest_id not in found_by_pk:
            found_by_pk[guest_id] = _Found(guests[guest_id], False, phones_of[guest_id])
        return found_by_pk[guest_id]

    new_guests: list[_Found] = []
    new_phones: list[tuple[_Found, GuestPhone]] = []
    new_refs: list[tuple[_Found, GuestRef]] = []
    moved_refs: list[tuple[_Found, GuestRef]] = []
    new_stays: list[tuple[_Found, Stay]] = []
    changed_stays: dict[int, tuple[Stay, dict]] = {}
    outcome = Outcome()
    now = timezone.now()

    for row in rows:
        keys = [
            ("stay", row.stay_ref),
            ("profile", row.guest_ref),
            ("document", row.document_hash),
            ("phone", row.phone),
            ("email", row.guest.get("email", "")),
        ]
        keys = [(kind, value) for kind, value in keys if value]
        found = None
        for kind, value in keys:
            found = local.get((kind, value))
            if found is None:
                if kind == "stay":
                    stay = stays_by_ref.get(value)
                    found = existing(stay.guest_id if stay else None)
                elif kind in ("profile", "document"):
                    ref = refs.get((kind, value))
                    found = existing(ref.guest_id if ref else None)
                elif kind == "phone":
                    found = existing(phone_owner.get(value))
                else:
                    found = existing(email_owner.get(value))
            if found is not None:
                break
        created = changed = False
        if found is None:
            found = _Found(Guest(), True, set())
            new_guests.append(found)
            created = True
        for key in keys:
            local[key] = found

        for name, value in row.guest.items():
            if value not in ("", None) and found.set(name, value):
                changed = True
        company = companies.get(row.company) if row.company else None
        if company is not None and found.guest.company_id != company.pk:
            found.set("company", company)
            changed = True
        if row.phone and row.phone not in found.phones:
            phone = GuestPhone(
                number=row.phone,
                digits_reversed=phone_digits_reversed(row.phone),
                is_primary=not found.phones,
            )
            found.phones.add(row.phone)
            new_phones.append((found, phone))
            changed = True
        for kind, value in (
            (GuestRef.Kind.PROFILE, row.guest_ref),
            (GuestRef.Kind.DOCUMENT, row.document_hash),
        ):
            if not value:
                continue
            ref = refs.get((kind, value))
            if ref is None:
                ref = refs[(kind, value)] = GuestRef(kind=kind, value=value)
                new_refs.append((found, ref))
                changed = True
            elif (
                ref.pk is not None
                and (found.new or ref.guest_id != found.guest.pk)
                and (found, ref) not in moved_refs
            ):
                moved_refs.append((found, ref))  # an erased guest's reference
                changed = True
        if row.stay is not None:
            if row.stay_ref:
                stay = stays_by_ref.get(row.stay_ref)
            else:
                stay = stays_by_dates.get(
                    (found.guest.pk, row.stay["arrival"], row.stay["departure"])
                )
            if stay is not None and stay.pk is not None and stay.guest_id in erased:
                pass  # an erased guest's stay stays an anonymous statistic
            elif stay is None:
                stay = Stay(pms_reference=row.stay_ref or None, **row.stay)
                new_stays.append((found, stay))
                if row.stay_ref:
                    stays_by_ref[row.stay_ref] = stay
                created = True
            elif stay.pk is not None:
                different = {k: v for k, v in row.stay.items() if getattr(stay, k) != v}
                if different:
                    if stay.pk not in changed_stays:
                        changed_stays[stay.pk] = (stay, changes.snapshot(stay, owner="guest"))
                    for name, value in different.items():
                        setattr(stay, name, value)
                    changed = True
        if created:
            outcome.created += 1
        elif changed:
            outcome.updated += 1
        else:
            outcome.unchanged += 1

    _save(
        by=by,
        now=now,
        today=today,
        new_guests=new_guests,
        changed_guests=[f for f in found_by_pk.values() if f.dirty],
        new_phones=new_phones,
        new_refs=new_refs,
        moved_refs=moved_refs,
        new_stays=new_stays,
        changed_stays=list(changed_stays.values()),
        outcome=outcome,
    )
    return outcome


def _companies(rows: Sequence[ParsedRow], *, by: User | None) -> dict[str, Company]:
    """The companies the rows name, by name (or local name); those not known yet are added."""
    names = {r.company for r in rows if r.company}
    if not names:
        return {}
    known: dict[str, Company] = {}
    for company in Company.objects.filter(Q(name__in=names) | Q(name_local__in=names)).order_by(
        "pk"
    ):
        known.setdefault(company.name, company)
        if company.name_local:
            known.setdefault(company.name_local, company)
    for name in sorted(names - set(known)):
        company = Company.objects.create(name=name)
        changes.created(company, by=by, subject=GuestChange.Subject.COMPANY, company=company)
        known[name] = company
    return known


def _save(
    *,
    by: User | None,
    now: datetime.datetime,
    today: datetime.date,
    new_guests: list[_Found],
    changed_guests: list[_Found],
    new_phones: list[tuple[_Found, GuestPhone]],
    new_refs: list[tuple[_Found, GuestRef]],
    moved_refs: list[tuple[_Found, GuestRef]],
    new_stays: list[tuple[_Found, Stay]],
    changed_stays: list[tuple[Stay, dict]],
    outcome: Outcome,
) -> None:
    """New rows go in by COPY (copying.py), changed ones by bulk UPDATE; then the change log,
    the stay summaries and stages of the guests whose stays changed, and the stay hooks."""
    by_id = by.pk if by is not None else None
    log: list[tuple] = []  # (guest_id, subject, subject_id, action, changes)
    subject, action = GuestChange.Subject, GuestChange.Action

    def created(guest_id: int, what: str, obj: Any, owner: str = "") -> None:
        values = {
            k: [None, v] for k, v in changes.snapshot(obj, owner=owner).items() if v is not None
        }
        log.append((guest_id, what, obj.pk, action.CREATED, values))

    for found in new_guests:
        guest_search_fields(found.guest)
        found.guest.created_at = found.guest.updated_at = now
    objects_copy(Guest, [f.guest for f in new_guests])
    for found in new_guests:
        created(found.guest.pk, subject.GUEST, found.guest)

    if changed_guests:
        fields = {"updated_at"}
        for found in changed_guests:
            if found.dirty & NAME_FIELDS:
                guest_search_fields(found.guest)
                fields |= {"search_text", "name_grams"}
            found.guest.updated_at = now
            fields |= found.dirty
            diff = changes.diff(found.before or {}, changes.snapshot(found.guest))
            if diff:
                log.append((found.guest.pk, subject.GUEST, found.guest.pk, action.CHANGED, diff))
        Guest.objects.bulk_update([f.guest for f in changed_guests], sorted(fields), batch_size=500)

    for found, phone in new_phones:
        phone.guest = found.guest
    objects_copy(GuestPhone, [p for _f, p in new_phones])
    for found, phone in new_phones:
        created(found.guest.pk, subject.PHONE, phone, owner="guest")

    for found, ref in new_refs:
        ref.guest, ref.created_at = found.guest, now
    objects_copy(GuestRef, [r for _f, r in new_refs])
    for found, ref in moved_refs:
        ref.guest = found.guest
    GuestRef.objects.bulk_update([r for _f, r in moved_refs], ["guest"], batch_size=500)

    for found, stay in new_stays:
        stay.guest = found.guest
        stay.created_at = stay.updated_at = now
    objects_copy(Stay, [s for _f, s in new_stays])
    for found, stay in new_stays:
        created(found.guest.pk, subject.STAY, stay, owner="guest")
    if changed_stays:
        for stay, _before in changed_stays:
            stay.updated_at = now
        Stay.objects.bulk_update(
            [s for s, _b in changed_stays],
            [*STAY_FIELDS, "updated_at"],
            batch_size=500,
        )
        for stay, before in changed_stays:
            diff = changes.diff(before, changes.snapshot(stay, owner="guest"))
            if diff:
                log.append((stay.guest_id, subject.STAY, stay.pk, action.CHANGED, diff))

    meta = GuestChange._meta
    columns = [
        meta.get_field(name)
        for name in ("guest", "company", "subject", "subject_id", "action", "changes", "by", "at")
    ]
    rows_copy(
        GuestChange,
        columns,
        (
            (guest_id, None, what, pk, act, values, by_id, now)
            for guest_id, what, pk, act, values in log
        ),
    )

    with_stays = {f.guest.pk for f, _s in new_stays} | {s.guest_id for s, _b in changed_stays}
    if with_stays:
        guest_stay_summary_refresh(guest_ids=sorted(with_stays), today=today)
        _stages_refresh(sorted(with_stays), today=today, now=now)
    outcome.stay_ids = [s.pk for _f, s in new_stays] + [s.pk for s, _b in changed_stays]
    if outcome.stay_ids and seams.stay_hooks:
        from .tasks import stay_hooks_run_task

        transaction.on_commit(partial(stay_hooks_run_task.delay, outcome.stay_ids))


def _stages_refresh(guest_ids: list[int], *, today: datetime.date, now: datetime.datetime) -> None:
    """What guests.services.guest_stage_refresh decides for one guest, for many in two UPDATEs:
    in-house while a stay covers today, else a past guest once a stay has ended."""
    covering = Stay.objects.filter(guest=OuterRef("pk"), arrival__lte=today, departure__gt=today)
    ended = Stay.objects.filter(guest=OuterRef("pk"), departure__lte=today)
    guests = Guest.objects.filter(pk__in=guest_ids)
    guests.filter(Exists(covering)).exclude(stage=Guest.Stage.IN_HOUSE).update(
        stage=Guest.Stage.IN_HOUSE, updated_at=now
    )
    guests.filter(~Exists(covering), Exists(ended)).exclude(stage=Guest.Stage.PAST).update(
        stage=Guest.Stage.PAST, updated_at=now
    )
