import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts import roles
from accounts.demo import DEMO_USERS


@pytest.mark.django_db
def test_every_role_exists_as_a_group():
    assert set(Group.objects.values_list("name", flat=True)) >= {r.name for r in roles.ROLES}


@pytest.mark.django_db
def test_every_declared_permission_exists():
    existing = {
        f"{app}.{code}"
        for app, code in Permission.objects.values_list("content_type__app_label", "codename")
    }
    declared = {perm for role in roles.ROLES for perm in role.permissions}
    assert declared - existing == set()


@pytest.mark.django_db
def test_sync_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=roles.MANAGER.name)
    group.permissions.clear()
    roles.roles_sync()
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"view_department", "change_department"} <= codes


@pytest.mark.django_db
def test_sync_takes_away_a_permission_a_role_should_not_have():
    group = Group.objects.get(name=roles.FRONT_DESK.name)
    group.permissions.add(Permission.objects.get(codename="change_department"))
    roles.roles_sync()
    assert not group.permissions.filter(codename="change_department").exists()


def nav_keys(client, user) -> set[str]:
    import re

    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    return set(re.findall(r'data-nav="([^"]+)"', html))


# What each role finds in the navigation (foundation; later apps add their pages).
EXPECTED_NAV = {
    roles.FRONT_DESK: {"home", "complaints", "guests", "loyalty"},
    roles.GUEST_RELATIONS: {
        "home",
        "complaints",
        "guests",
        "companies",
        "caretasks",
        "notifications",
        "departments",
        "loyalty",
        "guest_value",
        "lost_report",
        "surveys",
        "duplicates",
    },
    roles.DEPARTMENT_HEAD: {"home", "complaints", "guests", "departments", "surveys"},
    roles.ACCOUNT_MANAGER: {
        "home",
        "guests",
        "companies",
        "caretasks",
        "departments",
        "loyalty",
        "guest_value",
        "surveys",
        "duplicates",
    },
    roles.MANAGER: {
        "home",
        "complaints",
        "guests",
        "companies",
        "caretasks",
        "notifications",
        "departments",
        "loyalty",
        "guest_access",
        "security",
        "guest_value",
        "distribute",
        "lost_report",
        "surveys",
        "duplicates",
        "imports",
    },
    roles.ADMINISTRATOR: {
        "home",
        "complaints",
        "guests",
        "companies",
        "caretasks",
        "notifications",
        "departments",
        "loyalty",
        "guest_access",
        "security",
        "imports",
        "schedules",
        "admin",
        "guest_value",
        "distribute",
        "lost_report",
        "surveys",
        "duplicates",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", roles.ROLES, ids=lambda r: r.code)
def test_each_role_sees_its_navigation(client, user_for_role, role):
    assert nav_keys(client, user_for_role(role)) == EXPECTED_NAV[role]


def test_there_is_a_demo_user_for_every_role():
    assert {demo.role for demo in DEMO_USERS} == set(roles.ROLES)
