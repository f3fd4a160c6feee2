from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The outbox: messages recorded once, sent once, retried when the failure passes."""

    name = "notifications"
    verbose_name = _("Notifications")
