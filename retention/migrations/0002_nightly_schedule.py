from django.db import migrations

from core.schedules import schedule_install, schedule_remove

NAME = "Guest value, segments and the churn radar"


def forwards(apps, schema_editor):
    schedule_install(
        apps,
        name=NAME,
        task="retention.nightly",
        crontab={"minute": "30", "hour": "3"},
        description=(
            "03:30 hotel time: every guest's and company's value and segment, then a win-back "
            "task for each regular who stopped coming."
        ),
    )


def backwards(apps, schema_editor):
    schedule_remove(apps, name=NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
