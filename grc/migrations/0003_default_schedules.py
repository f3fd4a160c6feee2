from django.db import migrations

from grc.schedules import schedule_install, schedule_remove


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
    dependencies = [
        ("grc", "0002_roles_and_departments"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
