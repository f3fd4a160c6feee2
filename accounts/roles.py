"""The staff roles, as Django groups, and the permissions each one holds.

The groups are created by a data migration; their permissions are set from ROLES after every
`migrate` (post_migrate), so a permission added by a later app reaches its roles without a
hand-written migration, and a permission removed here is taken away again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Role:
    code: str
    name: str  # the group's name in the database: stable, English
    label: object  # what people read, translated
    permissions: tuple[str, ...] = field(default=())
    all_permissions: bool = False


VIEW_STAFF = ("accounts.view_department", "accounts.view_user")
OWN_FOLLOW_UPS = ("guests.view_caretask", "guests.change_caretask")
ALL_FOLLOW_UPS = (*OWN_FOLLOW_UPS, "guests.view_all_caretasks")
NOTIFICATIONS = ("notifications.view_notification", "notifications.change_notification")
# Loyalty at the desk: see a member, enrol a guest, redeem a reward.
LOYALTY_DESK = (
    "loyalty.view_member",
    "loyalty.add_member",
    "loyalty.add_redemption",
    "loyalty.view_reward",
    "loyalty.view_tier",
)
LOYALTY_CONFIG = (
    "loyalty.adjust_points",
    "loyalty.view_liability",
    "loyalty.view_pointstransaction",
    "loyalty.view_redemption",
    "loyalty.add_tier",
    "loyalty.change_tier",
    "loyalty.view_earnrule",
    "loyalty.add_earnrule",
    "loyalty.change_earnrule",
    "loyalty.add_reward",
    "loyalty.change_reward",
)

# Guest profiles (issue 3). The front desk sees contact details masked; roles that keep in
# touch with guests see them in full, and each full view is recorded.
GUESTS_VIEW = ("guests.view_guest", "guests.view_stay")
# Who changed what on a guest record (contact details masked as on the card for the desk).
GUESTS_DESK = (
    *GUESTS_VIEW,
    "guests.view_guestchange",
    "guests.add_guest",
    "guests.add_stay",
    "guests.change_stay",
)
GUESTS_CARE = (
    *GUESTS_DESK,
    "guests.change_guest",
    "guests.view_guest_contact",
    "guests.view_company",
    "guests.view_companycontact",
    "guests.view_preferencecategory",
    # Possible duplicates: see, dismiss, merge (issue 18).
    "guests.view_duplicatepair",
    "guests.change_duplicatepair",
    "guests.merge_guests",
)

# Guest value and the churn radar: who reads value, who hands guests out and reads why they left.
VALUE_VIEW = (
    "retention.view_guestvalue",
    "retention.view_companyvalue",
    "retention.change_guestvalue",
)
VALUE_MANAGE = (
    *VALUE_VIEW,
    "retention.export_guestvalue",
    "retention.distribute_guests",
    "retention.view_distributionrun",
    "retention.view_retention_report",
)

# Complaints: the desk logs and sees what it logged; guest relations own tickets end to end and,
# like managers, take escalations as duty managers; department heads work their department's.
COMPLAINTS_DESK = (
    "complaints.add_ticket",
    "complaints.view_ticket",
    "complaints.add_recoveryaction",
)
COMPLAINTS_DEPARTMENT = (
    *COMPLAINTS_DESK,
    "complaints.view_department_tickets",
    "complaints.work_ticket",
    "complaints.add_resolutionfeedback",
    "complaints.export_tickets",
)
COMPLAINTS_OFFICER = (
    *COMPLAINTS_DEPARTMENT,
    "complaints.view_all_tickets",
    "complaints.close_ticket",
    "complaints.handle_escalation",
)

# Satisfaction surveys (issue 17): everyone who looks after guests reads the answers; guest
# relations, account managers and managers take surveys down and send the link again;
# department heads read their department's; managers read the Guest voice figures.
SURVEYS_READ = ("surveys.view_surveyresponse",)
SURVEYS_CARE = (
    *SURVEYS_READ,
    "surveys.view_all_responses",
    "surveys.add_surveyresponse",
)

FRONT_DESK = Role(
    "front_desk",
    "Front desk",
    _("Front desk"),
    permissions=(*GUESTS_DESK, *LOYALTY_DESK, *COMPLAINTS_DESK),
)
GUEST_RELATIONS = Role(
    "guest_relations",
    "Guest relations",
    _("Guest relations"),
    permissions=(
        *VIEW_STAFF,
        *GUESTS_CARE,
        *ALL_FOLLOW_UPS,
        *NOTIFICATIONS,
        *LOYALTY_DESK,
        "loyalty.reverse_redemption",
        *COMPLAINTS_OFFICER,
        *VALUE_VIEW,
        "retention.view_retention_report",
        *SURVEYS_CARE,
        "surveys.export_responses",
    ),
)
DEPARTMENT_HEAD = Role(
    "department_head",
    "Department head",
    _("Department head"),
    permissions=(*VIEW_STAFF, *GUESTS_VIEW, *COMPLAINTS_DEPARTMENT, *SURVEYS_READ),
)
ACCOUNT_MANAGER = Role(
    "account_manager",
    "Account manager",
    _("Account manager"),
    permissions=(
        *VIEW_STAFF,
        *GUESTS_CARE,
        "guests.add_company",
        "guests.change_company",
        *OWN_FOLLOW_UPS,
        "loyalty.view_member",
        "loyalty.view_reward",
        "loyalty.view_tier",
        *VALUE_VIEW,
        *SURVEYS_CARE,
    ),
)
MANAGER = Role(
    "manager",
    "Manager",
    _("Manager"),
    permissions=(
        *VIEW_STAFF,
        *ALL_FOLLOW_UPS,
        *NOTIFICATIONS,
        "accounts.add_department",
        "accounts.change_department",
        "django_celery_beat.view_periodictask",
        *LOYALTY_DESK,
        "loyalty.reverse_redemption",
        *LOYALTY_CONFIG,
        *GUESTS_CARE,
        "guests.add_company",
        "guests.change_company",
        "guests.view_charge_reason",
        "guests.manage_charge_privilege",
        "guests.view_guestaccesslog",
        "guests.handle_privacy_request",
        "accounts.view_securityevent",
        "guests.add_preferencecategory",
        "guests.change_preferencecategory",
        *COMPLAINTS_OFFICER,
        "complaints.approve_recoveryaction",
        *VALUE_MANAGE,
        *SURVEYS_CARE,
        "surveys.export_responses",
        "surveys.view_guest_voice",
        # Guests and stays from a PMS export (issue 18): managers and administrators only.
        "imports.import_guests",
    ),
)
ADMINISTRATOR = Role("administrator", "Administrator", _("Administrator"), all_permissions=True)

ROLES: tuple[Role, ...] = (
    FRONT_DESK,
    GUEST_RELATIONS,
    DEPARTMENT_HEAD,
    ACCOUNT_MANAGER,
    MANAGER,
    ADMINISTRATOR,
)
ROLE_BY_NAME = {role.name: role for role in ROLES}


def roles_of(user) -> list[Role]:
    """The roles a user holds, in the order of ROLES (read once per user object)."""
    cached = getattr(user, "_grc_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = [role for role in ROLES if role.name in names]
        user._grc_roles = cached
    return cached


def holds_role(user, *roles: Role) -> bool:
    """Whether the user holds any of the roles (one query per request, then cached)."""
    wanted = {role.name for role in roles}
    return user.is_authenticated and any(role.name in wanted for role in roles_of(user))


def roles_sync(*, group_model=None, permission_model=None) -> None:
    """Create the role groups and give each exactly the permissions ROLES declares."""
    from django.contrib.auth.models import Group, Permission

    group_model = group_model or Group
    permission_model = permission_model or Permission
    all_permissions = list(permission_model.objects.select_related("content_type"))
    by_key = {f"{p.content_type.app_label}.{p.codename}": p for p in all_permissions}
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role.name)
        if role.all_permissions:
            group.permissions.set(all_permissions)
            continue
        missing = [key for key in role.permissions if key not in by_key]
        if missing:
            # Happens only mid-migration, before a later app's permissions exist.
            logger.debug("role %s: permissions not created yet: %s", role.name, missing)
        group.permissions.set([by_key[key] for key in role.permissions if key in by_key])


def roles_sync_after_migrate(sender, **kwargs) -> None:
    from django.apps import apps

    # post_migrate is sent once per app; by the last one every app's permissions exist.
    if sender is list(apps.get_app_configs())[-1]:
        roles_sync()
