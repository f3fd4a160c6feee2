import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
SOURCES = [
    "core",
    "accounts",
    "notifications",
    "grc",
    "guests",
    "complaints",
    "loyalty",
    "templates",
]


def statistics(po: Path) -> str:
    if not shutil.which("msgfmt"):
        pytest.fail("msgfmt (Debian's gettext) is needed to check the catalogue")
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result.stderr


def test_the_chinese_catalogue_is_complete():
    stats = statistics(PO)
    assert "untranslated" not in stats and "fuzzy" not in stats, stats


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again, in a copy, and check every one of them is translated."""
    for name in SOURCES:
        (tmp_path / name).symlink_to(ROOT / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "zh_Hans",
            "--symlinks",
            "--no-obsolete",
            "-e",
            "html,txt,py,subject",
            "-v",
            "0",
        ],
        cwd=tmp_path,
        env=env,
        check=True,
    )
    stats = statistics(tmp_path / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po")
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats.strip()} — run `make messages` and translate the new entries"
    )


def test_the_compiled_catalogue_matches_the_source(tmp_path):
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)
    assert PO.with_suffix(".mo").read_bytes() == compiled.read_bytes(), "run `make messages`"
