"""Staff and the departments they work in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
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


class SecurityEvent(models.Model):
    """A sign-in, a failed one, a lock-out, or a page refused to a signed-in user (403/404).

    Managers read them on the security log page; nothing here is ever edited.
    """

    class Kind(models.TextChoices):
        SIGNED_IN = "signed_in", _("Signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
        LOCKED_OUT = "locked_out", _("Locked out")
        DENIED = "denied", _("Access refused")

    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    user = models.ForeignKey(
        User,
        verbose_name=_("staff user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # As typed at the sign-in form (cut to fit): a failed sign-in may name nobody who exists.
    username = models.CharField(_("user name"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("answer"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="securityevent_at"),
            models.Index(fields=["kind", "-at"], name="securityevent_kind_at"),
            models.Index(fields=["user", "-at"], name="securityevent_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.username} {self.at:%Y-%m-%d %H:%M}"
