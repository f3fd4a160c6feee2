"""The security tests share one data set per module (tests/security/world.py)."""

from __future__ import annotations

import pytest
from django.db import transaction

from tests.security.world import World, world_build


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> World:
    """Built once per module in a transaction rolled back at the end of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield world_build()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def as_role(client, world):
    """as_role("desk") signs the test client in as that role's user (None: anonymous)."""

    def sign_in(role: str | None):
        client.logout()
        if role is not None:
            client.force_login(world.user(role))
        return client

    return sign_in
