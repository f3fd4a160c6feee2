"""The top navigation: each entry shows only to users who hold its permission."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: object
    url_name: str
    icon: str
    permission: str | None = None  # None: everyone signed in
    staff_only: bool = False
    # Daily work sits in the bar; oversight and set-up pages wait in the user menu, so the bar
    # stays on one line on a front-desk tablet.
    in_menu: bool = False

    def visible_to(self, user) -> bool:
        if self.staff_only and not user.is_staff:
            return False
        return self.permission is None or user.has_perm(self.permission)

    @property
    def url(self) -> str:
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return ""


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("Home"), "home", "house"),
    NavItem(
        "complaints",
        _("Complaints"),
        "complaints:queue",
        "chat-left-dots",
        "complaints.view_ticket",
    ),
    NavItem("guests", _("Guests"), "guests:list", "people", "guests.view_guest"),
    NavItem(
        "caretasks", _("Follow-ups"), "caretasks", "telephone-outbound", "guests.view_caretask"
    ),
    NavItem("loyalty", _("Loyalty"), "loyalty:members", "award", "loyalty.view_member"),
    NavItem("companies", _("Companies"), "guests:companies", "building", "guests.view_company"),
    NavItem(
        "guest_value",
        _("Guest value"),
        "retention:list",
        "graph-up-arrow",
        "retention.view_guestvalue",
        in_menu=True,
    ),
    NavItem(
        "distribute",
        _("Hand out guests"),
        "retention:distribute",
        "people-fill",
        "retention.distribute_guests",
        in_menu=True,
    ),
    NavItem(
        "lost_report",
        _("Why guests left"),
        "retention:lost_report",
        "box-arrow-right",
        "retention.view_retention_report",
        in_menu=True,
    ),
    NavItem(
        "surveys",
        _("Surveys"),
        "surveys:list",
        "clipboard-check",
        "surveys.view_surveyresponse",
        in_menu=True,
    ),
    NavItem(
        "notifications",
        _("Notifications"),
        "notifications",
        "envelope",
        "notifications.view_notification",
        in_menu=True,
    ),
    NavItem(
        "imports",
        _("PMS import"),
        "imports:list",
        "cloud-upload",
        "imports.import_guests",
        in_menu=True,
    ),
    NavItem(
        "departments",
        _("Departments"),
        "departments",
        "diagram-3",
        "accounts.view_department",
        in_menu=True,
    ),
    NavItem(
        "guest_access",
        _("Access log"),
        "guests:access_log",
        "shield-lock",
        "guests.view_guestaccesslog",
        in_menu=True,
    ),
    NavItem(
        "duplicates",
        _("Duplicate profiles"),
        "guests:duplicates",
        "people-fill",
        "guests.view_duplicatepair",
        in_menu=True,
    ),
    NavItem(
        "security",
        _("Security log"),
        "security_log",
        "shield-exclamation",
        "accounts.view_securityevent",
        in_menu=True,
    ),
    NavItem(
        "schedules",
        _("Scheduled jobs"),
        "admin:django_celery_beat_periodictask_changelist",
        "clock-history",
        "django_celery_beat.view_periodictask",
        staff_only=True,
        in_menu=True,
    ),
    NavItem("admin", _("Administration"), "admin:index", "gear", staff_only=True, in_menu=True),
)


def navigation_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in NAVIGATION if item.visible_to(user)]
