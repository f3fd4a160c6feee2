from django.db import migrations

from core.schedules import schedule_install, schedule_remove

NAME = "Guest stages: in-house and past guests"


def forwards(apps, schema_editor):
    schedule_install(
        apps,
        name=NAME,
        task="guests.stages_refresh",
        crontab={"minute": "5", "hour": "0"},
        description="Just after midnight, hotel time: guests whose stay ended become past guests.",
    )


def backwards(apps, schema_editor):
    schedule_remove(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0002_search_permissions_charge_resume"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
