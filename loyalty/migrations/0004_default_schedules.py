from django.db import migrations

from core.schedules import schedule_install, schedule_remove

EXPIRY = "Loyalty points expiry"
REVIEW = "Loyalty annual tier review"


def forwards(apps, schema_editor):
    schedule_install(
        apps,
        name=EXPIRY,
        task="loyalty.points_expire_run",
        crontab={"minute": "30", "hour": "2"},
        description="Nightly: posts expiry transactions for points older than the expiry period.",
    )
    schedule_install(
        apps,
        name=REVIEW,
        task="loyalty.tier_review_run",
        crontab={"minute": "0", "hour": "3", "day_of_month": "1", "month_of_year": "1"},
        description="Every 1 January: re-qualifies every member's tier on the last 12 months.",
    )


def backwards(apps, schema_editor):
    schedule_remove(apps, name=EXPIRY)
    schedule_remove(apps, name=REVIEW)


class Migration(migrations.Migration):
    dependencies = [
        ("loyalty", "0003_default_tiers_rules_rewards"),
        ("grc", "0006_heartbeat_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
