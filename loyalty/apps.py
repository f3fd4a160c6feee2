from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoyaltyConfig(AppConfig):
    name = "loyalty"
    verbose_name = _("Loyalty")

    def ready(self) -> None:
        from core import seams
        from loyalty.selectors import loyalty_card_context, member_badges, member_guest_ids
        from loyalty.services import (
            birthday_bonuses_grant,
            recovery_points_post,
            stay_points_on_save,
        )

        seams.card_panels.register(
            "loyalty",
            seams.CardPanel(
                key="loyalty",
                template="loyalty/card_panel.html",
                context=loyalty_card_context,
                order=20,
            ),
        )
        seams.lookup_providers.register(
            "loyalty",
            seams.LookupProvider(key="loyalty", match=member_guest_ids, annotate=member_badges),
        )
        # An approved "loyalty points" recovery action on a complaint posts to the ledger.
        seams.recovery_effects.register("loyalty_points", recovery_points_post)
        # The daily greeting job grants the birthday bonus, once a year per member.
        seams.birthday_hooks.register("loyalty_birthday_bonus", birthday_bonuses_grant)
        # A stay that has ended earns its points as soon as it is saved; the nightly run
        # (loyalty.stays_points_post_run) posts the stays that end later.
        seams.stay_hooks.register("loyalty_stay_points", stay_points_on_save)

        # A guest merge combines two accounts through the ledger; a privacy export shows the
        # statement (issue 18).
        from loyalty.selectors import loyalty_export
        from loyalty.services.merging import member_merge

        seams.guest_merge_hooks.register("loyalty", member_merge)
        seams.privacy_export_contributors.register("loyalty", loyalty_export)
