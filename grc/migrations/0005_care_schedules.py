from django.db import migrations

from grc.schedules import schedule_install, schedule_remove

SCHEDULES = [
    {
        "name": "Greetings: birthdays and special days",
        "task": "guests.greetings_daily",
        "crontab": {"minute": "0", "hour": "9"},
        "description": "Birthday, family-birthday and special-day greetings, and the account "
        "managers' list of today's VIP birthdays. Hotel time.",
    },
    {
        "name": "Post-stay follow-up",
        "task": "guests.post_stay_followups",
        "crontab": {"minute": "0", "hour": "10"},
        "description": "The day after departure: a thank-you e-mail, or a follow-up task for "
        "guests who prefer a call, a visit or a letter.",
    },
    {
        "name": "Retry due notifications",
        "task": "grc.notifications_due_sweep",
        "every_seconds": 300,
        "description": "Queues messages whose retry time has come.",
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
        ("grc", "0004_notifications_and_care_tasks"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
