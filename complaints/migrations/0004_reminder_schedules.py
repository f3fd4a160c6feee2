from django.db import migrations

from core.schedules import schedule_install, schedule_remove

SCHEDULES = [
    {
        "name": "Complaints: SLA due soon and missed",
        "task": "complaints.reminders_sla",
        "every_seconds": 300,
        "description": "Reminds owners of targets due soon; escalates missed targets to the "
        "duty managers, once per breach.",
    },
    {
        "name": "Complaints: resolution feedback missing",
        "task": "complaints.reminders_feedback_missing",
        "crontab": {"minute": "15", "hour": "*"},
        "description": "Reminds owners of resolutions still without the guest's feedback after "
        "48 hours.",
    },
    {
        "name": "Complaints: follow-up dates",
        "task": "complaints.reminders_follow_up",
        "crontab": {"minute": "0", "hour": "8"},
        "description": "Reminds owners of tickets whose follow-up date has come. Hotel time.",
    },
]


def forwards(apps, schema_editor):
    for schedule in SCHEDULES:
        schedule_install(apps, **schedule)


def backwards(apps, schema_editor):
    for schedule in SCHEDULES:
        schedule_remove(apps, name=schedule["name"])


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0003_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
