"""Fill Guest.completed_stays and last_departure from the stays already recorded."""

from django.db import migrations
from django.utils import timezone

FILL_SQL = """
UPDATE guests_guest g
SET completed_stays = s.n, last_departure = s.last
FROM (
    SELECT guest_id, count(*) AS n, max(departure) AS last FROM guests_stay
    WHERE departure <= %s GROUP BY guest_id
) s
WHERE g.id = s.guest_id
"""


def forwards(apps, schema_editor):
    # One pass over the stays, whatever their number; the hotel's today, as the services use.
    schema_editor.execute(FILL_SQL, [timezone.localdate()])


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0009_guest_stay_summary_lookup_indexes"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
