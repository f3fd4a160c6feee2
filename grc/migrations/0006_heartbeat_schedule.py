from django.db import migrations

from core.schedules import schedule_install, schedule_remove


def forwards(apps, schema_editor):
    schedule_install(
        apps,
        name="Scheduler heartbeat",
        task="grc.heartbeat",
        every_seconds=60,
        description="Shows on /healthz that beat is firing scheduled jobs.",
    )


def backwards(apps, schema_editor):
    schedule_remove(apps, name="Scheduler heartbeat")


class Migration(migrations.Migration):
    """The heartbeat schedule, first installed by grc 0003 (counted as applied where it ran).

    The old grc 0001, 0002, 0004 and 0005 are replaced by accounts 0001, notifications 0001 and
    guests 0005, which took their models when the shell and the kernel were separated.
    """

    replaces = [("grc", "0003_default_schedules")]
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]
    operations = [migrations.RunPython(forwards, backwards)]
