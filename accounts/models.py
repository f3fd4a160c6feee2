"""Staff and the departments they work in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.i18n import LocalisedName


class Department(LocalisedName):
    """A hotel department: front office, housekeeping, food & beverage …; editable by admins."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name (English)"), max_length=100)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["sort_order", "name"]
        db_table = "grc_department"  # kept from before the app was named: no data copied


class User(AbstractUser):
    """A member of staff. Their role is their group; their department scopes what they work."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    language = models.CharField(
        _("interface language"),
        max_length=10,
        blank=True,
        help_text=_("Chosen with the language switcher; kept across devices."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        swappable = "AUTH_USER_MODEL"
        db_table = "grc_user"

    def __str__(self) -> str:
        return self.get_full_name() or self.username
