"""Print every app's services and selectors modules, for mypy (see [tool.mypy] in pyproject).

An app is a top-level directory with an apps.py; its `services.py`, `selectors.py` and the
modules of `services/` and `selectors/` packages are listed, so new apps are covered as they land.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def targets() -> list[str]:
    found: list[str] = []
    for app in sorted(p.parent for p in ROOT.glob("*/apps.py")):
        for name in ("services", "selectors"):
            module, package = app / f"{name}.py", app / name
            if module.is_file():
                found.append(str(module.relative_to(ROOT)))
            if package.is_dir():
                found += [str(p.relative_to(ROOT)) for p in sorted(package.glob("*.py"))]
    return found


if __name__ == "__main__":
    print("\n".join(targets()))
