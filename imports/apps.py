from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = _("PMS import")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import seams

        from . import hooks

        seams.guest_merge_hooks.register("imports_refs", hooks.refs_merge)
        seams.privacy_export_contributors.register("imports_refs", hooks.refs_export)
        seams.privacy_erase_contributors.register("imports_refs", hooks.refs_erase)
