from django.db import migrations

from core.schedules import schedule_install, schedule_remove

NAME = "Loyalty points for yesterday's stays"


def forwards(apps, schema_editor):
    schedule_install(
        apps,
        name=NAME,
        task="loyalty.stays_points_post_run",
        crontab={"minute": "0", "hour": "1"},
        description="Nightly, hotel time: members' stays that departed yesterday earn points.",
    )


def backwards(apps, schema_editor):
    schedule_remove(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0004_default_schedules"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
