"""Install default beat entries (django-celery-beat) from data migrations.

Operators edit them in the admin afterwards; a default is only created when missing, so a
migration never overwrites what the hotel has changed.
"""

from __future__ import annotations

import json


def schedule_install(
    apps,
    *,
    name: str,
    task: str,
    every_seconds: int | None = None,
    crontab: dict | None = None,
    kwargs: dict | None = None,
    description: str = "",
) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if PeriodicTask.objects.filter(name=name).exists():
        return
    fields: dict = {"name": name, "task": task, "kwargs": json.dumps(kwargs or {})}
    if description:
        fields["description"] = description
    if every_seconds is not None:
        IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
        fields["interval"], _ = IntervalSchedule.objects.get_or_create(
            every=every_seconds, period="seconds"
        )
    else:
        from django.conf import settings

        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        spec = {
            "minute": "0",
            "hour": "*",
            "day_of_week": "*",
            "day_of_month": "*",
            "month_of_year": "*",
            **(crontab or {}),
        }
        fields["crontab"], _ = CrontabSchedule.objects.get_or_create(
            **spec, timezone=settings.TIME_ZONE
        )
    PeriodicTask.objects.create(**fields)


def schedule_remove(apps, *, name: str) -> None:
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name).delete()
