import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PUBLIC = {"login", "healthz", "language_set", "feedback_public", "survey_public"}


def all_paths(resolver=None, prefix=""):
    """Every URL pattern, with sample values filled in for its parameters."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_paths(entry, pattern)
        elif isinstance(entry, URLPattern):
            yield entry.name, pattern


def sample(pattern: str) -> str:
    path = re.sub(r"<(?:int:)?[^>:]*pk>|<int:[^>]+>", "1", pattern)
    path = re.sub(r"<path:[^>]+>", "x/y", path)
    path = re.sub(r"<[^>]+>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")
    path = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", path)
    return "/" + path.lstrip("/")


PATHS = sorted({sample(p) for name, p in all_paths() if name not in PUBLIC})


@pytest.mark.django_db
@pytest.mark.parametrize("path", PATHS)
def test_every_page_sends_an_anonymous_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302, path
    assert "/login/" in response["Location"], path


@pytest.mark.django_db
def test_the_sign_in_page_and_healthz_are_open(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code in (200, 503)
