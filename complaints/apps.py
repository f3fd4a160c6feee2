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
