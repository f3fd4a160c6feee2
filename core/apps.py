from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app uses, and the seams where one app plugs into another (core.seams)."""

    name = "core"
    verbose_name = "Core"
