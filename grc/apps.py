from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class GrcConfig(AppConfig):
    name = "grc"
    verbose_name = _("Staff and roles")

    def ready(self) -> None:
        from grc.roles import roles_sync_after_migrate

        # Permissions are created after every migration has run, so the roles' permissions are
        # synced here; the groups themselves come from a data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="grc.roles_sync")
