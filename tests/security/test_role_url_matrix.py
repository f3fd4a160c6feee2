"""Every URL pattern × every role and anonymous, GET and POST, against the table in matrix.py."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security import matrix
from tests.security.world import GUEST_EMAIL, GUEST_PHONE, OTHER_EMAIL, ROLE_NAMES

pytestmark = pytest.mark.django_db

# What no role without guests.view_guest_contact may read in full, anywhere.
SECRETS = (GUEST_EMAIL, GUEST_PHONE, OTHER_EMAIL)
MASKED_ROLES = ("desk", "head")
SIGN_IN_PAGES = ("/admin/login/", "/accounts/login/")


def url_names(resolver=None, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(namespace + entry.name)
    return names


def admin_rows(ids_by_model: dict) -> dict[str, str]:
    """One path per admin URL name, filled with a real id where the data set has a row."""
    rows = dict(matrix.ADMIN_FIXED)
    for model in admin.site._registry:
        meta = model._meta
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        prefix = f"admin:{meta.app_label}_{meta.model_name}"
        pk = ids_by_model.get(model) or 0
        rows[f"{prefix}_changelist"] = base
        rows[f"{prefix}_add"] = base + "add/"
        rows[f"{prefix}_change"] = f"{base}{pk}/change/"
        rows[f"{prefix}_delete"] = f"{base}{pk}/delete/"
        rows[f"{prefix}_history"] = f"{base}{pk}/history/"
        rows["admin:app_list"] = f"/admin/{meta.app_label}/"
    # The staff admin's own extra page (Django names it after auth.User whatever the model).
    user = get_user_model()
    rows["admin:auth_user_password_change"] = (
        f"/admin/{user._meta.app_label}/{user._meta.model_name}/"
        f"{ids_by_model.get(user) or 0}/password/"
    )
    return rows


def first_ids() -> dict:
    return {
        model: model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        for model in admin.site._registry
    }


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def outcome(response, login_path: str = "/accounts/login/") -> str:
    status = response.status_code
    if status >= 500:
        return "500"
    if status in (301, 302) and response["Location"].startswith(login_path):
        return "login"
    if status in (403, 404):
        return "deny"
    if status == 405:
        return "405"
    return "ok"


def test_every_url_pattern_has_a_row_in_the_table(world):
    admin_names = set(admin_rows({})) | matrix.ADMIN_PUBLIC
    missing = sorted(url_names() - set(matrix.TABLE) - admin_names)
    assert not missing, f"URL patterns with no row in tests/security/matrix.py: {missing}"
    stale = sorted(set(matrix.TABLE) - url_names())
    assert not stale, f"rows for URL patterns that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(matrix.TABLE))
def test_each_role_reaches_only_what_the_table_allows(as_role, world, name):
    row = matrix.TABLE[name]
    path = row.path(world.ids)
    problems = []
    for method in ("get", "post"):
        allowed = getattr(row, method)
        for role in (None, *ROLE_NAMES):
            response = getattr(as_role(role), method)(path)
            got = outcome(response)
            if role is None:
                want = {"login"} if not row.public else {"405"} if allowed is None else {"ok"}
            elif allowed is None:
                want = {"405", "deny"}
            elif role in allowed:
                want = {"login"} if row.signs_out else {"ok"}
            else:
                want = {"deny"}
            if got not in want:
                problems.append(
                    f"{method.upper()} {path} as {role or 'anonymous'}: {got} "
                    f"({response.status_code}), want {sorted(want)}"
                )
            if role in MASKED_ROLES and got != "500":
                shown = [secret for secret in SECRETS if secret in body(response)]
                if shown:
                    problems.append(f"{method.upper()} {path} shows {role} unmasked {shown}")
    assert not problems, "\n".join(problems)


def test_only_administrators_get_into_the_admin_site(as_role, world):
    """Every admin URL, GET and POST: every other role and anonymous go to a sign-in page."""
    rows = admin_rows(first_ids())
    problems = []
    for role in (None, *ROLE_NAMES):
        if role == "admin":
            continue
        client = as_role(role)
        for name, path in sorted(rows.items()):
            for method in ("get", "post"):
                response = getattr(client, method)(path)
                location = response.get("Location", "")
                if response.status_code != 302 or not location.startswith(SIGN_IN_PAGES):
                    problems.append(
                        f"{method.upper()} {path} ({name}) as {role}: "
                        f"{response.status_code} {location}"
                    )
    # Administrators get in: every model's list opens (a full render of each is enough here).
    client = as_role("admin")
    for name, path in sorted(rows.items()):
        listed = name.endswith("_changelist") or name == "admin:index"
        if listed and client.get(path).status_code != 200:
            problems.append(f"GET {path} as admin: not 200")
    assert not problems, "\n".join(problems)


def test_the_admin_sign_in_and_view_on_site_keep_other_roles_out(as_role, world):
    assert outcome(as_role(None).get("/admin/login/")) in ("ok", "login")
    for role in ROLE_NAMES:
        if role == "admin":
            continue
        response = as_role(role).get("/admin/login/")
        # A signed-in non-staff user sees the admin's sign-in form, never the admin.
        assert response.status_code == 200, role
        assert "site administration" not in body(response).lower()
