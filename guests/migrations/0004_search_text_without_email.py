"""Take the e-mail out of every guest's search_text (the name search no longer covers it).

search_text is rebuilt from the names and salutation as guests.services.guest_search_fields now
does; the rule is copied here because a migration must not depend on code that may change.
Batches by primary key, so a large guest table is never held in memory at once.
"""

from django.db import migrations

BATCH = 2000


def _search_text(guest) -> str:
    family, given = guest.family_name.strip(), guest.given_name.strip()
    parts = [
        f"{given} {family}".strip(),
        f"{family} {given}".strip(),
        f"{family}{given}",
        guest.salutation.strip(),
    ]
    return " | ".join(p for p in parts if p).lower()


def forwards(apps, schema_editor):
    Guest = apps.get_model("guests", "Guest")
    last = 0
    while True:
        batch = list(
            Guest.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "family_name", "given_name", "salutation", "search_text")[:BATCH]
        )
        if not batch:
            return
        changed = []
        for guest in batch:
            text = _search_text(guest)
            if guest.search_text != text:
                guest.search_text = text
                changed.append(guest)
        Guest.objects.bulk_update(changed, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("guests", "0003_stage_schedule")]
    # Backwards is a no-op: search_text without the e-mail is valid for the old code too.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
