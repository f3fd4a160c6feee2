"""The kernel never points at the apps built on it; loyalty never reaches into complaints."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KERNEL = ("core", "accounts", "notifications")
FEATURES = ("guests", "complaints", "loyalty", "surveys", "imports", "retention")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            # "guests.Guest" in a lazy relation or a get_model() call. (Permission names such
            # as "guests.view_guest" in accounts/roles.py are not counted: the role table still
            # names every app's permissions; see README, "How the apps fit together".)
            app, _dot, rest = node.value.partition(".")
            if app in FEATURES and rest[:1].isupper() and rest.isidentifier():
                names.add(node.value)
    return names


def arrows_back(app: str, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in sorted((ROOT / app).rglob("*.py")):
        for name in imported_modules(path):
            if name.split(".")[0] in forbidden:
                found.append(f"{path.relative_to(ROOT)} -> {name}")
    return found


@pytest.mark.parametrize("app", KERNEL)
def test_no_kernel_module_imports_a_feature_app(app):
    assert arrows_back(app, FEATURES) == []


def test_loyalty_uses_complaints_only_through_the_seams():
    assert arrows_back("loyalty", ("complaints",)) == []


@pytest.mark.parametrize("app", ("guests", "complaints", "loyalty"))
def test_no_app_below_surveys_imports_it(app):
    # guests learns of surveys through core.seams only (survey_links, card_panels …)
    assert arrows_back(app, ("surveys",)) == []


@pytest.mark.parametrize("app", ("guests", "complaints", "loyalty"))
def test_no_app_the_import_builds_on_imports_it(app):
    assert arrows_back(app, ("imports",)) == []


@pytest.mark.parametrize("app", ("guests", "complaints", "loyalty", "surveys", "imports"))
def test_no_app_below_retention_imports_it(app):
    # the card, the company page and the task page learn of it through core.seams only
    assert arrows_back(app, ("retention",)) == []


def test_the_check_itself_sees_an_arrow(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from guests.models import Guest\nimport complaints.services\nX = 'loyalty.Member'\n"
    )
    assert imported_modules(bad) == {"guests.models", "complaints.services", "loyalty.Member"}


def test_no_kernel_migration_depends_on_a_feature_app():
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    wrong = []
    for (app, name), migration in loader.disk_migrations.items():
        if app not in KERNEL:
            continue
        for dep_app, dep_name in migration.dependencies:
            if dep_app in FEATURES:
                wrong.append(f"{app}.{name} -> {dep_app}.{dep_name}")
        for operation in migration.operations:
            for field in getattr(operation, "fields", []) or []:
                target = getattr(field[1], "related_model", None)
                if isinstance(target, str) and target.split(".")[0].lower() in FEATURES:
                    wrong.append(f"{app}.{name}: {field[0]} -> {target}")
    assert wrong == []


def test_no_kernel_model_relates_to_a_feature_app():
    from django.apps import apps

    wrong = [
        f"{model._meta.label}.{field.name}"
        for app in KERNEL
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if field.is_relation
        and not field.auto_created
        and field.related_model._meta.app_label in FEATURES
    ]
    assert wrong == []
