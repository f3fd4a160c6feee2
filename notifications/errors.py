from django.utils.translation import gettext_lazy as _

from core.errors import GrcError


class DeliveryError(GrcError):
    """A message could not be delivered."""

    status = 502
    default_message = _("The message could not be delivered.")


class TransientDeliveryError(DeliveryError):
    """Worth trying again later: the server was busy, the network dropped."""

    status = 503


class PermanentDeliveryError(DeliveryError):
    """Trying again will not help: no address, a refused recipient.

    `reason` is a Notification.Reason code when there is one (shown translated).
    """

    reason = ""

    def __init__(self, *args, reason: str = "") -> None:
        super().__init__(*args)
        if reason:
            self.reason = reason


class MessageRenderError(PermanentDeliveryError):
    """The message's template cannot be rendered (a syntax error in the admin's wording).

    Permanent: the same template fails again until someone corrects it, then staff retry.
    """

    reason = "template_broken"
