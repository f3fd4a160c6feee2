from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuestsConfig(AppConfig):
    name = "guests"
    verbose_name = _("Guests")

    def ready(self) -> None:
        from core import seams
        from guests.messages import GUEST_AUDIENCE

        # The outbox shows the guest a message is to, and cancels one to a guest who was
        # erased or withdrew consent.
        seams.notification_audiences.register("guests", GUEST_AUDIENCE)
