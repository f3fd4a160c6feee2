from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrcConfig(AppConfig):
    """The project shell: settings, urls, Celery, health, the home page and navigation."""

    name = "grc"
    verbose_name = _("GRC")
