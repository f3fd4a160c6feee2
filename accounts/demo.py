"""Demo staff for every role, and the departments they work in."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction

from accounts import roles
from accounts.models import Department, User


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    role: roles.Role
    department: str
    is_staff: bool = False


DEMO_USERS = (
    DemoUser("frontdesk", "frontdesk-demo", "Lily", "Zhang", roles.FRONT_DESK, "front-office"),
    DemoUser("officer", "officer-demo", "Grace", "Lin", roles.GUEST_RELATIONS, "front-office"),
    DemoUser(
        "dutymanager", "dutymanager-demo", "Kevin", "Wong", roles.GUEST_RELATIONS, "front-office"
    ),
    DemoUser("hkhead", "hkhead-demo", "Mei", "Chen", roles.DEPARTMENT_HEAD, "housekeeping"),
    DemoUser("fbhead", "fbhead-demo", "Marco", "Rossi", roles.DEPARTMENT_HEAD, "food-beverage"),
    DemoUser(
        "accountmanager", "accountmanager-demo", "Jason", "Liu", roles.ACCOUNT_MANAGER, "sales"
    ),
    DemoUser("manager", "manager-demo", "Helen", "Zhou", roles.MANAGER, "management"),
    DemoUser(
        "admin", "admin-demo", "Sam", "Admin", roles.ADMINISTRATOR, "management", is_staff=True
    ),
)


@transaction.atomic
def demo_staff_seed() -> list[DemoUser]:
    """Create or refresh the demo users; running it again changes nothing but their passwords."""
    roles.roles_sync()
    departments = {d.code: d for d in Department.objects.all()}
    groups = {g.name: g for g in Group.objects.filter(name__in=[r.name for r in roles.ROLES])}
    for demo in DEMO_USERS:
        user, _created = User.objects.update_or_create(
            username=demo.username,
            defaults={
                "first_name": demo.first_name,
                "last_name": demo.last_name,
                "email": f"{demo.username}@demo.grc.local",
                "department": departments.get(demo.department),
                "is_staff": demo.is_staff,
                "is_active": True,
            },
        )
        user.set_password(demo.password)
        user.save(update_fields=["password"])
        user.groups.set([groups[demo.role.name]])
    return list(DEMO_USERS)
