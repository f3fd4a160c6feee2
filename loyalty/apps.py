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

        # An approved "loyalty points" recovery action on a complaint posts to the ledger.
        from complaints.recovery_effects import recovery_effect_register
        from loyalty.services import recovery_points_post

        recovery_effect_register("loyalty_points", recovery_points_post)

        # The daily greeting job grants the birthday bonus, once a year per member.
        from guests.greetings import birthday_hook_register
        from loyalty.services import birthday_bonuses_grant

        birthday_hook_register("loyalty_birthday_bonus", birthday_bonuses_grant)

        # A stay that has ended earns its points as soon as it is saved; the nightly run
        # (loyalty.stays_points_post_run) posts the stays that end later.
        from guests.extensions import stay_hook_register
        from loyalty.services import stay_points_on_save

        stay_hook_register("loyalty_stay_points", stay_points_on_save)
