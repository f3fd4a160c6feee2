from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Guest value and retention")

    def ready(self) -> None:
        from core import seams
        from retention import panels
        from retention.services import radar

        # The guest card and the company page show value, segment and the churn radar's view.
        seams.card_panels.register(
            "retention",
            seams.CardPanel(
                "retention", template="retention/card_panel.html", context=panels.card, order=30
            ),
        )
        seams.company_panels.register(
            "retention",
            seams.CompanyPanel(
                "retention", template="retention/company_panel.html", context=panels.company
            ),
        )
        # A win-back task is worked on its own page (reasons, outcome).
        from retention.views import care_task_page

        seams.care_task_pages.register("win_back", care_task_page)
        # A merge moves the win-backs; an export shows value and win-backs; an erasure drops
        # the value and what was said.
        from retention import privacy

        seams.guest_merge_hooks.register("retention", privacy.merge)
        seams.privacy_export_contributors.register("retention", privacy.export)
        seams.privacy_erase_contributors.register("retention", privacy.erase)
        # A guest who comes back closes their win-back task.
        seams.stay_hooks.register("retention.returned", radar.stay_recorded)
