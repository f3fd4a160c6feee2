"""COPY writes every value back exactly as the ORM would have: tabs, newlines, backslashes,
quotes in arrays, JSON, nulls."""

from __future__ import annotations

from django.utils import timezone

from guests.models import Guest, GuestChange
from imports.copying import objects_copy, rows_copy


def test_awkward_values_come_back_exactly(db):
    now = timezone.now()
    guest = Guest(
        family_name='O\'Brien\t"Junior"',
        given_name="back\\slash\nnew line\r",
        notes="",
        tags=["vip", 'say "hi"', "中文"],
        name_grams=['"', "\\", "a,", "{"],
        birth_year=None,
        created_at=now,
        updated_at=now,
    )
    objects_copy(Guest, [guest])
    saved = Guest.objects.get(pk=guest.pk)
    assert saved.family_name == 'O\'Brien\t"Junior"'
    assert saved.given_name == "back\\slash\nnew line\r"
    assert saved.tags == ["vip", 'say "hi"', "中文"]
    assert saved.name_grams == ['"', "\\", "a,", "{"]
    assert saved.birth_year is None and saved.greetings_consent is False
    assert saved.created_at == now

    fields = [
        GuestChange._meta.get_field(n)
        for n in ("guest", "subject", "subject_id", "action", "changes", "at")
    ]
    rows_copy(
        GuestChange,
        fields,
        [(guest.pk, "guest", guest.pk, "created", {"notes": [None, "a\tb\\n"]}, now)],
    )
    assert GuestChange.objects.get().changes == {"notes": [None, "a\tb\\n"]}
