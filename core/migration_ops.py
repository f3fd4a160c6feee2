"""Helpers for data migrations (they take the historical `apps`, never today's models)."""

from __future__ import annotations


def content_types_move(apps, *, from_app: str, to_app: str, models: list[str]) -> None:
    """Hand the content types (and so the permissions, group grants and admin history that point
    at them) of models that moved app over to the new app label, instead of making new ones."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in models:
        if ContentType.objects.filter(app_label=to_app, model=model).exists():
            continue  # created already (a fresh database): nothing to carry over
        ContentType.objects.filter(app_label=from_app, model=model).update(app_label=to_app)
