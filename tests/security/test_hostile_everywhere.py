"""No 500 at any URL: for every row of the role × URL table that lets a role post, hostile
values go in under the field names of the page's own form (or, for an action without a page,
every field name the product's forms use); every page a role may open gets hostile query
strings. test_hostile_input.py sweeps the main forms deeper; this one makes sure none is left
out."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.security.matrix import TABLE
from tests.security.test_hostile_input import HOSTILE, SWEEP

pytestmark = pytest.mark.django_db

FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"')
NOT_FIELDS = {"csrfmiddlewaretoken"}
# The way out or a switch of language: a POST with anything in it signs out or redirects.
SKIP = {name for name, row in TABLE.items() if row.signs_out} | {"language_set"}
POSTED = sorted(name for name, row in TABLE.items() if row.post and name not in SKIP)
QUICK = settings(SWEEP, max_examples=8)


def poster(row) -> str:
    """A role the table lets post there (the least privileged first: the desk, then others)."""
    order = ["desk", "officer", "head", "account_manager", "manager", "admin"]
    return next(role for role in order if role in row.post)


def field_names(client, path: str) -> list[str]:
    response = client.get(path)
    if response.status_code != 200 or response.streaming:
        return []
    return sorted(set(FIELD.findall(response.content.decode())) - NOT_FIELDS)


@pytest.fixture(scope="module")
def every_field_name(world, django_db_blocker) -> list[str]:
    """Every field name on every page the administrator can open."""
    from django.test import Client

    client = Client()
    names: set[str] = set()
    with django_db_blocker.unblock():
        client.force_login(world.user("admin"))
        for row in TABLE.values():
            if row.get and "admin" in row.get and not row.signs_out:
                names.update(field_names(client, row.path(world.ids)))
    return sorted(names)


def test_the_sweep_covers_every_url_that_takes_a_post():
    assert len(POSTED) >= 30  # every action of the product, not a sample


@pytest.mark.parametrize("name", POSTED)
def test_hostile_values_posted_anywhere_never_give_a_500(as_role, world, every_field_name, name):
    row = TABLE[name]
    role = poster(row)
    client = as_role(role)
    client.raise_request_exception = False
    path = row.path(world.ids)
    names = (field_names(client, path) if row.get and role in row.get else []) or every_field_name

    @QUICK
    @given(st.dictionaries(st.sampled_from(names), HOSTILE))
    def sweep(data):
        response = client.post(path, data)
        assert response.status_code < 500, (name, path, data)

    sweep()


# Query parameters the product's pages read (filters, pager, pickers, return paths, language).
PARAMS = ["q", "page", "guest", "guest_query", "next", "lang", "status", "kind", "queue", "sort"]
OPENED = sorted(name for name, row in TABLE.items() if row.get and name not in SKIP)


@pytest.mark.parametrize("name", OPENED)
def test_hostile_query_strings_anywhere_never_give_a_500(as_role, world, name):
    row = TABLE[name]
    order = ["desk", "officer", "head", "account_manager", "manager", "admin"]
    client = as_role(next(role for role in order if role in row.get))
    client.raise_request_exception = False
    path = row.path(world.ids)

    @QUICK
    @given(st.dictionaries(st.sampled_from(PARAMS), HOSTILE, min_size=1))
    def sweep(params):
        response = client.get(path, params)
        assert response.status_code < 500, (name, path, params)

    sweep()
