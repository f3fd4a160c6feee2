"""Security headers on every kind of answer, and no inline script anywhere the CSP would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_ATTRIBUTE = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.I)

PAGES = [
    (None, "/accounts/login/"),
    (None, "/healthz"),
    (None, "/complaints/feedback/{feedback_token}/"),
    ("desk", "/"),
    ("desk", "/guests/search/?q=chen"),
    ("desk", "/guests/{guest}/"),
    ("desk", "/complaints/new/"),
    ("officer", "/complaints/{ticket}/"),
    ("officer", "/complaints/export.csv"),
    ("officer", "/guests/{guest}/edit/"),
    ("manager", "/loyalty/liability/"),
    ("manager", "/security/"),
    ("desk", "/guests/999999/"),  # the 404 page
    ("account_manager", "/loyalty/liability/"),  # the 403 page
    ("admin", "/admin/"),
    ("admin", "/admin/guests/guest/"),
    ("admin", "/admin/guests/guest/{guest}/change/"),
    ("admin", "/admin/notifications/messagetemplate/add/"),
    ("admin", "/admin/accounts/user/add/"),
]


def template_files():
    for folder in [ROOT / "templates", *ROOT.glob("*/templates")]:
        if ".venv" in folder.parts:
            continue
        yield from folder.rglob("*.html")


def test_no_template_has_inline_script_event_handlers_or_javascript_urls():
    found = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, EVENT_ATTRIBUTE, JS_URL):
            found += [
                f"{path.relative_to(ROOT)}: {m.group(0)[:80]}" for m in pattern.finditer(text)
            ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("role, template", PAGES)
def test_every_answer_carries_the_security_headers_and_no_inline_script(
    as_role, world, role, template
):
    response = as_role(role).get(template.format(**world.ids))
    assert response.status_code < 500
    csp = dict(
        (part.split(" ", 1) + [""])[:2] for part in response["Content-Security-Policy"].split("; ")
    )
    assert csp["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval', no nonces
    assert csp["frame-ancestors"] == "'none'"
    assert csp["object-src"] == "'none'"
    assert csp["default-src"] == "'self'"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    if response.get("Content-Type", "").startswith("text/html"):
        body = response.content.decode()
        assert not INLINE_SCRIPT.search(body), INLINE_SCRIPT.search(body).group(0)
        assert not EVENT_ATTRIBUTE.search(body), EVENT_ATTRIBUTE.search(body).group(0)
