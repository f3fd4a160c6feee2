"""Merging two profiles of one person, losing nothing (issue 18, point 4).

`guest_merge` keeps one profile, takes each field's value from the profile the user chose,
and moves every row of the other profile to the kept one in one transaction: each app moves
its own rows through `core.seams.guest_merge_hooks` (guests' own rows are moved by the hooks
registered below, complaints and loyalty register theirs). Before the absorbed profile is
deleted, every table that points at a guest — found generically from Guest's relations, so a
new app's table cannot be forgotten — must hold no row of it any more; otherwise the merge is
refused and nothing changes. The merge is recorded (`GuestMerge`: who, when, each field's two
values and which was kept, how many rows of each table moved) and the absorbed profile's old
URL leads to the survivor.

Two people merging the same pair at once: both profiles are locked in id order before
anything is read, so the second waits, then finds the absorbed profile gone and is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import seams
from guests import changes
from guests.duplicates import duplicate_pairs_move, duplicates_refresh
from guests.errors import GuestError
from guests.models import (
    CareTask,
    FamilyMember,
    Guest,
    GuestAccessLog,
    GuestChange,
    GuestDocument,
    GuestMerge,
    GuestNotification,
    GuestPhone,
    Preference,
    SpecialDate,
    Stay,
)

KEPT, MERGED = "kept", "merged"


class GuestMergeError(GuestError):
    """The merge was refused; nothing changed."""

    status = 409


@dataclass(frozen=True)
class MergeField:
    """One choice on the merge page: a value (or values that go together) of the profile."""

    key: str
    label: Any
    fields: tuple[str, ...]


MERGE_FIELDS: tuple[MergeField, ...] = (
    MergeField("family_name", gettext_lazy("Family name"), ("family_name",)),
    MergeField("given_name", gettext_lazy("Given name"), ("given_name",)),
    MergeField("name_order", gettext_lazy("Name order"), ("name_order",)),
    MergeField("salutation", gettext_lazy("Salutation"), ("salutation",)),
    MergeField("gender", gettext_lazy("Gender"), ("gender",)),
    MergeField("birthday", gettext_lazy("Birthday"), ("birth_year", "birth_month", "birth_day")),
    MergeField("nationality", gettext_lazy("Nationality"), ("nationality",)),
    MergeField("preferred_language", gettext_lazy("Preferred language"), ("preferred_language",)),
    MergeField("email", gettext_lazy("E-mail"), ("email",)),
    MergeField(
        "preferred_channel", gettext_lazy("Preferred contact channel"), ("preferred_channel",)
    ),
    MergeField(
        "greetings_consent",
        gettext_lazy("Agrees to greetings"),
        ("greetings_consent", "greetings_consent_at"),
    ),
    MergeField(
        "marketing_consent",
        gettext_lazy("Agrees to marketing"),
        ("marketing_consent", "marketing_consent_at"),
    ),
    MergeField("vip_level", gettext_lazy("VIP level"), ("vip_level",)),
    MergeField("stage", gettext_lazy("Lifecycle stage"), ("stage",)),
    MergeField("notes", gettext_lazy("Notes"), ("notes",)),
    MergeField("company", gettext_lazy("Company"), ("company",)),
    MergeField("account_manager", gettext_lazy("Account manager"), ("account_manager",)),
    MergeField("referred_by", gettext_lazy("Referred by"), ("referred_by",)),
)
MERGE_FIELD_KEYS = tuple(f.key for f in MERGE_FIELDS)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value is False or value == 0


def merge_default_choices(*, kept: Guest, merged: Guest) -> dict[str, str]:
    """The kept profile's value, unless it is empty and the other profile has one."""
    choices = {}
    for item in MERGE_FIELDS:
        first = item.fields[0]
        mine, theirs = getattr(kept, first), getattr(merged, first)
        choices[item.key] = MERGED if _empty(mine) and not _empty(theirs) else KEPT
    return choices


def guest_version(guest: Guest) -> str:
    """What the merge page was shown: a profile saved since then refuses the merge."""
    return guest.updated_at.isoformat()


def guest_relations() -> list[models.ForeignObjectRel]:
    """Every relation from another table to Guest, hidden ones included."""
    return [
        rel
        for rel in Guest._meta.get_fields(include_hidden=True)
        if isinstance(rel, models.ForeignObjectRel) and (rel.one_to_many or rel.one_to_one)
    ]


def guest_rows_count(guest_id: int) -> dict[str, int]:
    """{app_label.model.field: rows pointing at the guest} for every relation, zeros left out."""
    counts = {}
    for rel in guest_relations():
        n = rel.related_model._base_manager.filter(**{rel.field.name: guest_id}).count()
        if n:
            counts[f"{rel.related_model._meta.label}.{rel.field.name}"] = n
    return counts


def guest_merged_into(*, guest_id: int) -> int | None:
    """The profile a merged-away profile now lives in (if still shown), for its old URL."""
    return (
        GuestMerge.objects.filter(merged_guest_id=guest_id, kept__erased_at__isnull=True)
        .values_list("kept_id", flat=True)
        .first()
    )


@dataclass(frozen=True)
class MergeTaken:
    """A line of a merge record: a value the kept profile took from the absorbed one."""

    label: str
    value: str


def guest_merges(*, guest: Guest, limit: int = 5) -> list[tuple[GuestMerge, list[MergeTaken]]]:
    """The latest profiles merged into this one, each with the values taken from it; one query."""
    labels = {item.key: item.label for item in MERGE_FIELDS}
    records = GuestMerge.objects.filter(kept=guest).select_related("by")[:limit]
    return [
        (
            record,
            [
                MergeTaken(label=str(labels.get(key, key)), value=line.get(MERGED) or "—")
                for key, line in record.fields.items()
                if line.get("chosen") == MERGED
            ],
        )
        for record in records
    ]


def merge_value_text(guest: Guest, item: MergeField) -> str | None:
    texts = [changes._text(getattr(guest, name)) for name in item.fields]
    if all(t is None for t in texts):
        return None
    return " / ".join(t or "" for t in texts) if len(texts) > 1 else texts[0]


def _locked_pair(kept_id: int, merged_id: int) -> tuple[Guest, Guest]:
    """Both profiles, locked in id order (so two merges of one pair queue, never deadlock)."""
    rows = {
        g.pk: g
        for g in Guest.objects.select_for_update(of=("self",))
        .filter(pk__in=[kept_id, merged_id])
        .order_by("pk")
    }
    if len(rows) < 2:
        raise GuestMergeError(
            _("One of these profiles no longer exists: it was merged or removed meanwhile.")
        )
    kept, merged = rows[kept_id], rows[merged_id]
    if not kept.is_shown or not merged.is_shown:
        raise GuestMergeError(_("An erased profile cannot be merged."))
    return kept, merged


@transaction.atomic
def guest_merge(
    *,
    kept_id: int,
    merged_id: int,
    by: User | None,
    choices: dict[str, str] | None = None,
    versions: dict[int, str] | None = None,
) -> GuestMerge:
    """Merge profile `merged_id` into `kept_id`, taking each field from the chosen side.

    `choices` maps a MERGE_FIELDS key to "kept" or "merged" (missing: the defaults);
    `versions` ({id: guest_version}) refuses the merge if a profile changed since it was shown.
    """
    if kept_id == merged_id:
        raise GuestMergeError(_("Choose two different profiles."), status=422)
    kept, merged = _locked_pair(kept_id, merged_id)
    for guest in (kept, merged):
        if versions is not None and versions.get(guest.pk) != guest_version(guest):
            raise GuestMergeError(
                _("“%(name)s” was changed while you were comparing. Look again and merge.")
                % {"name": guest.display_name}
            )
    chosen = {**merge_default_choices(kept=kept, merged=merged), **(choices or {})}
    before = changes.snapshot(kept)
    record_fields = {
        item.key: {
            KEPT: merge_value_text(kept, item),
            MERGED: merge_value_text(merged, item),
            "chosen": chosen[item.key],
        }
        for item in MERGE_FIELDS
    }
    moved = guest_rows_count(merged.pk)

    for hook in seams.guest_merge_hooks.all():
        try:
            hook(kept_guest_id=kept.pk, merged_guest_id=merged.pk, by=by)
        except seams.SeamRefusal as refusal:  # an app refuses: nothing is merged
            raise GuestMergeError(refusal.message) from refusal

    _apply_choices(kept=kept, merged=merged, chosen=chosen)
    left = guest_rows_count(merged.pk)
    if left:
        raise GuestMergeError(
            _("Merge refused: nothing moved these records of the other profile: %(tables)s.")
            % {"tables": ", ".join(sorted(left))}
        )
    record = GuestMerge.objects.create(
        kept=kept,
        merged_guest_id=merged.pk,
        merged_name=merged.display_name,
        fields=record_fields,
        moved=moved,
        by=by,
    )
    changes.change_record(
        by=by,
        guest=kept,
        subject=GuestChange.Subject.GUEST,
        subject_id=kept.pk,
        action=GuestChange.Action.CHANGED,
        changes=changes.diff(before, changes.snapshot(kept)),
    )
    Guest.objects.filter(pk=merged.pk).delete()
    from guests.services import guest_stay_summary_refresh

    guest_stay_summary_refresh(guest_ids=[kept.pk])
    duplicates_refresh(guest_ids=[kept.pk])
    return record


def _apply_choices(*, kept: Guest, merged: Guest, chosen: dict[str, str]) -> None:
    from guests.services import guest_search_fields

    for item in MERGE_FIELDS:
        if chosen.get(item.key) == MERGED:
            for name in item.fields:
                setattr(kept, name, getattr(merged, name))
    if kept.referred_by_id in (kept.pk, merged.pk):
        kept.referred_by = None  # one person cannot have referred themselves
    kept.tags = list(dict.fromkeys([*(kept.tags or []), *(merged.tags or [])]))
    guest_search_fields(kept)
    names = [name for item in MERGE_FIELDS for name in item.fields]
    kept.save(update_fields=[*names, "tags", "search_text", "name_grams", "updated_at"])


# --- guests' own rows (registered in GuestsConfig.ready) ----------------------------------------


def _move(model: type[models.Model], *, kept: int, merged: int, field: str = "guest") -> int:
    return model._base_manager.filter(**{f"{field}_id": merged}).update(**{f"{field}_id": kept})


def _move_unique(
    model: type[models.Model], *, kept: int, merged: int, same: tuple[str, ...]
) -> int:
    """Move rows unique per guest by `same`; a row the kept profile already has (the same
    number, the same preference) is the same fact twice, and goes."""
    have = set(model._base_manager.filter(guest_id=kept).values_list(*same))
    for row in model._base_manager.filter(guest_id=merged):
        if tuple(getattr(row, name) for name in same) in have:
            row.delete()
    return _move(model, kept=kept, merged=merged)


def guest_rows_merge(*, kept_guest_id: int, merged_guest_id: int, by: User | None) -> None:
    """Stays, phones, documents, family, special dates, preferences, follow-up tasks, messages,
    access records, the change log, referrals, duplicate suggestions and earlier merges."""
    kept, merged = kept_guest_id, merged_guest_id
    if GuestPhone.objects.filter(guest_id=kept, is_primary=True).exists():
        GuestPhone.objects.filter(guest_id=merged).update(is_primary=False)
    _move_unique(GuestPhone, kept=kept, merged=merged, same=("number",))
    _move_unique(GuestDocument, kept=kept, merged=merged, same=("kind", "number"))
    _move_unique(Preference, kept=kept, merged=merged, same=("category_id", "value"))
    for model in (
        Stay,
        FamilyMember,
        SpecialDate,
        CareTask,
        GuestNotification,
        GuestAccessLog,
        GuestChange,
    ):
        _move(model, kept=kept, merged=merged)
    Guest.objects.filter(referred_by_id=merged).filter(~Q(pk=kept)).update(referred_by_id=kept)
    Guest.objects.filter(pk=kept, referred_by_id=merged).update(referred_by_id=None)
    GuestMerge.objects.filter(kept_id=merged).update(kept_id=kept)
    duplicate_pairs_move(kept_guest_id=kept, merged_guest_id=merged)
