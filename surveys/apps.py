from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        from core import seams
        from surveys import privacy
        from surveys.links import survey_link_provider
        from surveys.selectors import guest_voice_block, survey_card_panel

        # The link in the post-stay thank-you (guests.followups).
        seams.survey_links.register("surveys", survey_link_provider)
        # The guest's answers on the guest card, after complaints and loyalty.
        seams.card_panels.register(
            "surveys",
            seams.CardPanel(
                key="surveys",
                template="surveys/card_panel.html",
                context=survey_card_panel,
                order=30,
            ),
        )
        seams.guest_merge_hooks.register("surveys", privacy.surveys_merge)
        seams.privacy_export_contributors.register("surveys", privacy.surveys_export)
        seams.privacy_erase_contributors.register("surveys", privacy.surveys_erase)
        # The churn radar's win-back reasons carry the guest's last score.
        from surveys.selectors import survey_guest_facts

        seams.guest_facts.register("surveys", survey_guest_facts)
        # The managers' dashboard (once built): the last 30 days from the one Guest voice selector.
        seams.dashboard_blocks.register(
            "surveys.guest_voice",
            seams.Block(
                template="surveys/dashboard_block.html", context=guest_voice_block, order=40
            ),
        )
