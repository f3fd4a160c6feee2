"""The models here lived in the old `grc` app: their permissions and admin history move along."""

from django.db import migrations

from core.migration_ops import content_types_move


def forwards(apps, schema_editor):
    content_types_move(apps, from_app="grc", to_app="accounts", models=["department", "user"])


def backwards(apps, schema_editor):
    content_types_move(apps, from_app="accounts", to_app="grc", models=["department", "user"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
