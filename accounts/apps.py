from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Staff, departments and roles: the kernel every other app builds on."""

    name = "accounts"
    verbose_name = _("Staff and roles")

    def ready(self) -> None:
        from accounts import signals  # noqa: F401  (sign-ins into the security log)
        from accounts.roles import roles_sync_after_migrate

        # Permissions are created after every migration has run, so the roles' permissions are
        # synced here; the groups themselves come from a data migration.
        post_migrate.connect(roles_sync_after_migrate, dispatch_uid="accounts.roles_sync")
