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

        # The front desk's home page: who arrives today, which VIPs are in the house.
        from guests.home import arrivals_block, vips_block

        seams.home_blocks.register(
            "guests.arrivals",
            seams.Block(template="guests/home_arrivals.html", context=arrivals_block, order=10),
        )
        seams.home_blocks.register(
            "guests.vips",
            seams.Block(template="guests/home_vips.html", context=vips_block, order=20),
        )

        # A merge moves guests' own rows (stays, phones, family … the change log) to the
        # profile kept; complaints and loyalty register theirs (issue 18).
        from guests.merge import guest_rows_merge

        seams.guest_merge_hooks.register("guests", guest_rows_merge)
