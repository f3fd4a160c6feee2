import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from core.schedules import schedule_install, schedule_remove

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
]


def forwards(apps, schema_editor):
    for schedule in SCHEDULES:
        schedule_install(apps, **schedule)


def backwards(apps, schema_editor):
    for schedule in SCHEDULES:
        schedule_remove(apps, name=schedule["name"])


class Migration(migrations.Migration):
    """Follow-up tasks and the jobs that make them, as grc 0004 and 0005 made them when the
    kernel held them (a database that applied grc 0005 counts this as applied; the table
    keeps its grc_ name, so nothing is copied)."""

    replaces = [("grc", "0005_care_schedules")]
    dependencies = [
        ("guests", "0004_search_text_without_email"),
        ("notifications", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [
        migrations.CreateModel(
            name="CareTask",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=200, unique=True, verbose_name="occasion key")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("post_stay_call", "Caring call after a stay"),
                            ("post_stay_visit", "Visit after a stay"),
                            ("post_stay_letter", "Thank-you letter after a stay"),
                            ("greeting_call", "Greet in person"),
                        ],
                        max_length=20,
                        verbose_name="kind",
                    ),
                ),
                ("title", models.CharField(max_length=255, verbose_name="what to do")),
                ("due_on", models.DateField(verbose_name="due")),
                (
                    "status",
                    models.CharField(
                        choices=[("open", "Open"), ("done", "Done")],
                        default="open",
                        max_length=10,
                        verbose_name="status",
                    ),
                ),
                ("report", models.TextField(blank=True, verbose_name="report")),
                ("done_at", models.DateTimeField(blank=True, null=True, verbose_name="done")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                (
                    "assigned_to",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="care_tasks",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assigned to",
                    ),
                ),
                (
                    "done_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="done by",
                    ),
                ),
                (
                    "guest",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="care_tasks",
                        to="guests.guest",
                        verbose_name="guest",
                    ),
                ),
            ],
            options={
                "verbose_name": "follow-up task",
                "verbose_name_plural": "follow-up tasks",
                "ordering": ["due_on", "pk"],
                "db_table": "grc_caretask",
                "permissions": [("view_all_caretasks", "Can see everyone's follow-up tasks")],
                "indexes": [
                    models.Index(
                        fields=["assigned_to", "status", "due_on"], name="caretask_assignee_open"
                    ),
                    models.Index(fields=["status", "due_on"], name="caretask_status_due"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("status", "open"),
                            models.Q(("report", ""), _negated=True),
                            _connector="OR",
                        ),
                        name="caretask_done_needs_report",
                        violation_error_message="Write a short report of what was done.",
                    )
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]
