"""Likely duplicate profiles: found set-based in SQL, each pair with its reasons.

The rules (issue 18): the same normalised phone number (phones are stored E.164), the same
e-mail address (lower-cased), the same identity document (stored normalised), the same name in
either order with the same birthday, the same name at the same company. Each rule is one
self-join on an indexed key (guestphone_number, guest_email_lower, guestdocument_number,
guest_name_birthday, guest_name_company — the last three are expression indexes of migration
guests 0011 whose expressions are repeated here word for word), so the whole hotel is a few
merge/hash joins and one guest's suggestions are a few index look-ups.

The Duplicates list reads the stored pairs (DuplicatePair), refreshed nightly and on demand;
the guest card asks live for its own guest. A dismissed pair stays dismissed for good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import User
from guests.models import DuplicatePair, Guest

Reason = DuplicatePair.Reason

NAME_KEY = (
    "(LEAST(lower({t}.family_name), lower({t}.given_name)) || ' ' || "
    "GREATEST(lower({t}.family_name), lower({t}.given_name)))"
)
_A, _B = NAME_KEY.format(t="a"), NAME_KEY.format(t="b")

# Each rule: pairs (a, b) of guests sharing a key. `{scope}` narrows side a: "a.id < b.id" for
# the whole hotel (each pair once), or "a.id = ANY(%(ids)s) AND b.id <> a.id" for some guests.
_RULES = {
    Reason.PHONE: """
        SELECT pa.guest_id AS a_id, pb.guest_id AS b_id
          FROM guests_guestphone pa
          JOIN guests_guestphone pb ON pb.number = pa.number
          JOIN guests_guest a ON a.id = pa.guest_id AND a.erased_at IS NULL
          JOIN guests_guest b ON b.id = pb.guest_id AND b.erased_at IS NULL
         WHERE {scope}""",
    Reason.EMAIL: """
        SELECT a.id AS a_id, b.id AS b_id
          FROM guests_guest a
          JOIN guests_guest b ON lower(b.email) = lower(a.email)
               AND b.email <> '' AND b.erased_at IS NULL
         WHERE a.email <> '' AND a.erased_at IS NULL AND {scope}""",
    Reason.DOCUMENT: """
        SELECT da.guest_id AS a_id, db.guest_id AS b_id
          FROM guests_guestdocument da
          JOIN guests_guestdocument db ON db.number = da.number AND db.kind = da.kind
          JOIN guests_guest a ON a.id = da.guest_id AND a.erased_at IS NULL
          JOIN guests_guest b ON b.id = db.guest_id AND b.erased_at IS NULL
         WHERE {scope}""",
    Reason.NAME_BIRTHDAY: f"""
        SELECT a.id AS a_id, b.id AS b_id
          FROM guests_guest a
          JOIN guests_guest b ON {_B} = {_A}
               AND b.birth_month = a.birth_month AND b.birth_day = a.birth_day
               AND b.erased_at IS NULL AND b.birth_month IS NOT NULL AND b.birth_day IS NOT NULL
         WHERE a.erased_at IS NULL AND a.birth_month IS NOT NULL AND a.birth_day IS NOT NULL
           AND (a.birth_year IS NULL OR b.birth_year IS NULL OR a.birth_year = b.birth_year)
           AND {{scope}}""",
    Reason.NAME_COMPANY: f"""
        SELECT a.id AS a_id, b.id AS b_id
          FROM guests_guest a
          JOIN guests_guest b ON b.company_id = a.company_id AND {_B} = {_A}
               AND b.erased_at IS NULL AND b.company_id IS NOT NULL
         WHERE a.erased_at IS NULL AND a.company_id IS NOT NULL AND {{scope}}""",
}
_ALL = "a.id < b.id"
_SOME = "a.id = ANY(%(ids)s) AND b.id <> a.id"


def _pairs_sql(scope: str) -> str:
    """(lo, hi, reasons) for every pair the rules find within `scope`."""
    union = "\nUNION ALL\n".join(
        f"SELECT LEAST(a_id, b_id) AS lo, GREATEST(a_id, b_id) AS hi, '{reason}' AS reason "
        f"FROM ({sql.format(scope=scope)}) AS r{i}"
        for i, (reason, sql) in enumerate(_RULES.items())
    )
    return (
        "SELECT lo, hi, array_agg(DISTINCT reason ORDER BY reason) AS reasons "
        f"FROM ({union}) AS found GROUP BY lo, hi"
    )


@dataclass(frozen=True)
class Suggestion:
    """A possible duplicate of one guest, as the guest card shows it."""

    guest: Guest
    reasons: list[str]

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(r).label) for r in self.reasons]


def duplicates_for_guest(*, guest: Guest, limit: int = 10) -> list[Suggestion]:
    """Profiles that look like this guest, live, leaving out pairs dismissed for good.

    Two queries whatever the guest's history: the pairs (index look-ups), then the guests.
    """
    sql = f"""
        SELECT f.lo, f.hi, f.reasons FROM ({_pairs_sql(_SOME)}) AS f
         WHERE NOT EXISTS (
               SELECT 1 FROM guests_duplicatepair d
                WHERE d.guest_a_id = f.lo AND d.guest_b_id = f.hi
                  AND d.dismissed_at IS NOT NULL)
         ORDER BY f.lo, f.hi
         LIMIT %(limit)s"""
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": [guest.pk], "limit": limit})
        rows = cursor.fetchall()
    reasons = {(hi if lo == guest.pk else lo): list(found) for lo, hi, found in rows}
    others = Guest.objects.shown().in_bulk(list(reasons))
    return [Suggestion(guest=others[pk], reasons=reasons[pk]) for pk in reasons if pk in others]


def duplicates_refresh(*, guest_ids: list[int] | None = None) -> dict[str, int]:
    """Store what the rules find now: for the whole hotel, or only pairs touching `guest_ids`.

    One statement: open pairs no longer found go, new pairs come, changed reasons are updated;
    a dismissed pair is never touched (dismissed for good). Safe to run twice.
    """
    if guest_ids is None:
        scope, touching, params = _ALL, "TRUE", {}
    else:
        scope = _SOME
        touching = "(d.guest_a_id = ANY(%(ids)s) OR d.guest_b_id = ANY(%(ids)s))"
        params = {"ids": list(guest_ids)}
    sql = f"""
        WITH found AS ({_pairs_sql(scope)}),
        gone AS (
            DELETE FROM guests_duplicatepair d
             WHERE d.dismissed_at IS NULL AND {touching}
               AND NOT EXISTS (SELECT 1 FROM found f WHERE f.lo = d.guest_a_id
                                                      AND f.hi = d.guest_b_id)
            RETURNING 1),
        saved AS (
            INSERT INTO guests_duplicatepair (guest_a_id, guest_b_id, reasons, found_at)
            SELECT lo, hi, reasons, now() FROM found
            ON CONFLICT (guest_a_id, guest_b_id) DO UPDATE SET reasons = EXCLUDED.reasons
             WHERE guests_duplicatepair.dismissed_at IS NULL
               AND guests_duplicatepair.reasons IS DISTINCT FROM EXCLUDED.reasons
            RETURNING 1)
        SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM saved)"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
        removed, saved = cursor.fetchone()
    return {"removed": removed, "saved": saved}


def duplicate_pairs_open() -> QuerySet[DuplicatePair]:
    """The Duplicates list: open suggestions, both profiles fetched in the same query.

    No erased guest is in an open pair: the erasure (and every refresh) removes them, so the
    count is read from the `duplicatepair_open` index alone, without joining the guests.
    """
    return (
        DuplicatePair.objects.filter(dismissed_at__isnull=True)
        .select_related("guest_a", "guest_b")
        .order_by("guest_a_id", "guest_b_id")
    )


def duplicate_pair_ids_open() -> QuerySet:
    """The list's order as ids alone: a page deep in the list walks the index, not a join of
    every pair before it with its guests (6 ms instead of 250 ms half-way down 23,000 pairs)."""
    return duplicate_pairs_open().select_related(None).values_list("pk", flat=True)


def duplicate_pairs_by_ids(ids: list[int]) -> list[DuplicatePair]:
    """One page of pairs with both profiles, in the list's order; one query."""
    found = duplicate_pairs_open().in_bulk(list(ids))
    return [found[pk] for pk in ids if pk in found]


def _ordered(one: int, two: int) -> tuple[int, int]:
    return (one, two) if one < two else (two, one)


@transaction.atomic
def duplicate_dismiss(*, guest: Guest, other: Guest, by: User) -> DuplicatePair:
    """Staff say these two are different people: never suggest the pair again."""
    lo, hi = _ordered(guest.pk, other.pk)
    pair, _created = DuplicatePair.objects.get_or_create(guest_a_id=lo, guest_b_id=hi)
    if pair.dismissed_at is None:
        pair.dismissed_at, pair.dismissed_by = timezone.now(), by
        pair.save(update_fields=["dismissed_at", "dismissed_by"])
    return pair


def duplicate_pairs_move(*, kept_guest_id: int, merged_guest_id: int) -> int:
    """A merge: dismissals of the absorbed profile now speak for the kept one; open pairs of
    either are found again by the refresh after the merge. Returns the dismissals kept."""
    moved = 0
    involving = Q(guest_a_id=merged_guest_id) | Q(guest_b_id=merged_guest_id)
    for pair in DuplicatePair.objects.filter(involving, dismissed_at__isnull=False):
        other = pair.guest_b_id if pair.guest_a_id == merged_guest_id else pair.guest_a_id
        if other == kept_guest_id:
            continue
        lo, hi = _ordered(kept_guest_id, other)
        _pair, created = DuplicatePair.objects.get_or_create(
            guest_a_id=lo,
            guest_b_id=hi,
            defaults={"dismissed_at": pair.dismissed_at, "dismissed_by": pair.dismissed_by},
        )
        moved += created
    DuplicatePair.objects.filter(involving).delete()
    DuplicatePair.objects.filter(
        Q(guest_a_id=kept_guest_id) | Q(guest_b_id=kept_guest_id), dismissed_at__isnull=True
    ).delete()
    return moved


_DOCUMENT_JUNK = re.compile(r"[^0-9A-Z]")


def document_number_normalise(raw: str) -> str:
    """Upper-case letters and digits only: "110105 19491231 002x" → "11010519491231002X"."""
    return _DOCUMENT_JUNK.sub("", (raw or "").upper())
