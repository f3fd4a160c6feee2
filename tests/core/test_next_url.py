"""core.http.next_url: where a form goes back to after a POST."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from core.http import next_url


@pytest.mark.parametrize(
    "given, expected",
    [
        ("/notifications/?status=failed", "/notifications/?status=failed"),
        ("0", "/"),  # taken for a URL name by redirect(): a 500 before
        ("home", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("", "/"),
    ],
)
def test_only_a_path_on_this_site_is_followed(given, expected):
    request = RequestFactory().post("/x/", {"next": given})
    assert next_url(request, "home") == expected
