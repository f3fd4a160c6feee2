from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        from guests.extensions import (
            CardPanel,
            LookupProvider,
            card_panel_register,
            lookup_provider_register,
        )
        from loyalty.selectors import loyalty_card_context, member_badges, member_guest_ids

        card_panel_register(
            CardPanel(
                key="loyalty",
                template="loyalty/card_panel.html",
                context=loyalty_card_context,
                order=20,
            )
        )
        lookup_provider_register(
            LookupProvider(key="loyalty", match=member_guest_ids, annotate=member_badges)
        )
