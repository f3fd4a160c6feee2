from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        from complaints.selectors import ticket_card_panel
        from core import seams

        # Open complaints and how the last one ended, on the guest card (DOMAIN idea 1).
        seams.card_panels.register(
            "complaints",
            seams.CardPanel(
                key="complaints",
                template="complaints/card_panel.html",
                context=ticket_card_panel,
                order=10,
            ),
        )

        # The home page, per role: the desk, the officers, the managers.
        from complaints.home import headline_block, in_house_complaints_block, my_due_block

        for key, template, context, order in (
            ("in_house", "complaints/home_in_house.html", in_house_complaints_block, 30),
            ("my_due", "complaints/home_my_due.html", my_due_block, 10),
            ("headline", "complaints/home_headline.html", headline_block, 5),
        ):
            seams.home_blocks.register(
                f"complaints.{key}", seams.Block(template=template, context=context, order=order)
            )

        # A guest's complaints follow a merge, are exported and lose the copied name on
        # erasure (issue 18).
        from complaints.services.guest_data import tickets_erase, tickets_export, tickets_merge

        seams.guest_merge_hooks.register("complaints", tickets_merge)
        seams.privacy_export_contributors.register("complaints", tickets_export)
        seams.privacy_erase_contributors.register("complaints", tickets_erase)
