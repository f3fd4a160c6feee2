"""The models here lived in the old `grc` app: their permissions and admin history move along."""

from django.db import migrations

from core.migration_ops import content_types_move


def forwards(apps, schema_editor):
    content_types_move(
        apps, from_app="grc", to_app="notifications", models=["notification", "messagetemplate"]
    )


def backwards(apps, schema_editor):
    content_types_move(
        apps, from_app="notifications", to_app="grc", models=["notification", "messagetemplate"]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
