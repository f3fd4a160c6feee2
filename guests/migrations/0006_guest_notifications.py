"""Which guest a message is to, on the guests side: the outbox (notifications) no longer knows.

A database that ran the old grc 0004 has a guest_id column on grc_notification; its values
are copied into the new link table and the column is dropped, in this one migration. A fresh
database never had the column, so there is nothing to copy.
"""

import django.db.models.deletion
from django.db import migrations, models

import guests.models
from core.migration_ops import content_types_move


def links_from_the_old_column(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = [
            column.name
            for column in connection.introspection.get_table_description(cursor, "grc_notification")
        ]
        if "guest_id" not in columns:
            return
        cursor.execute(
            "INSERT INTO guests_guestnotification (notification_key, guest_id) "
            "SELECT key, guest_id FROM grc_notification WHERE guest_id IS NOT NULL "
            "ON CONFLICT DO NOTHING"
        )
        # Dropping the column drops its index (notification_guest) and foreign key with it.
        cursor.execute("ALTER TABLE grc_notification DROP COLUMN guest_id")


def caretask_content_type(apps, schema_editor):
    content_types_move(apps, from_app="grc", to_app="guests", models=["caretask"])


def caretask_content_type_back(apps, schema_editor):
    content_types_move(apps, from_app="guests", to_app="grc", models=["caretask"])


class Migration(migrations.Migration):
    dependencies = [
        ("guests", "0005_care_tasks"),
        ("notifications", "0002_content_types_from_grc"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.CreateModel(
            name="GuestNotification",
            fields=[
                (
                    "notification",
                    models.OneToOneField(
                        db_column="notification_key",
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="guest_link",
                        serialize=False,
                        to="notifications.notification",
                        to_field="key",
                        verbose_name="notification",
                    ),
                ),
                (
                    "guest",
                    models.ForeignKey(
                        on_delete=guests.models._with_the_messages,
                        related_name="notification_links",
                        to="guests.guest",
                        verbose_name="guest",
                    ),
                ),
            ],
            options={
                "verbose_name": "message to a guest",
                "verbose_name_plural": "messages to guests",
                "indexes": [models.Index(fields=["guest"], name="guestnotification_guest")],
            },
        ),
        migrations.RunPython(links_from_the_old_column, migrations.RunPython.noop),
        migrations.RunPython(caretask_content_type, caretask_content_type_back),
    ]
