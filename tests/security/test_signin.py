"""Sign-in: rate limit per account and per address, session rotation, password rules, and
every sign-in, failure and lock-out in the security log managers read."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client

from accounts.models import SecurityEvent
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_an_account_is_locked_after_the_failure_limit_with_a_clear_message(world):
    client = Client()
    for n in range(LIMIT - 1):
        # from a new address each time: the account's own count locks it
        assert sign_in(client, "sec-desk", "wrong", ip=f"10.1.0.{n}").status_code == 200
    assert sign_in(client, "sec-desk", "wrong", ip="10.1.0.99").status_code == 429
    response = sign_in(client, "sec-desk", PASSWORD, ip="10.1.1.1")
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session  # the right password does not get in now
    assert SecurityEvent.objects.filter(kind="locked_out", username="sec-desk").exists()
    # in Chinese too
    zh = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    zh.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    text = sign_in(zh, "sec-desk", PASSWORD, ip="10.1.1.2").content.decode()
    assert "登录失败次数过多" in text


def test_an_address_is_locked_after_the_failure_limit_whatever_the_names(world):
    client = Client()
    for n in range(LIMIT):
        sign_in(client, f"nobody{n}", "wrong", ip="10.2.0.9")
    response = sign_in(client, "sec-officer", PASSWORD, ip="10.2.0.9")
    assert response.status_code == 429
    # the same account from another address still signs in
    other = sign_in(Client(), "sec-officer", PASSWORD, ip="10.2.0.10")
    assert other.status_code == 302


def test_every_sign_in_failure_and_lock_out_is_recorded_for_managers(world):
    client = Client()
    sign_in(client, "sec-head", "wrong", ip="10.3.0.1")
    sign_in(client, "sec-head", PASSWORD, ip="10.3.0.1")
    events = SecurityEvent.objects.filter(username="sec-head").order_by("pk")
    assert [(e.kind, e.ip) for e in events] == [
        ("sign_in_failed", "10.3.0.1"),
        ("signed_in", "10.3.0.1"),
    ]
    manager = Client()
    manager.force_login(world.user("manager"))
    page = manager.get("/security/").content.decode()
    assert "Sign-in failed" in page and "Signed in" in page and "sec-head" in page


def test_a_user_name_longer_than_any_column_is_refused_not_a_500(world):
    client = Client()
    for length in (151, 300, 10_000):
        response = sign_in(client, "x" * length, "wrong", ip="10.4.0.1")
        assert response.status_code == 200, length
    assert sign_in(client, "\x00evil", "wrong", ip="10.4.0.2").status_code == 200


def test_signing_in_gives_a_new_session_key(world):
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["before"] = "sign-in"
    session.save()
    before = session.session_key
    assert sign_in(client, "sec-am", PASSWORD).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.parametrize(
    "password, says",
    [
        ("short1", "too short"),
        ("password123", "too common"),
        ("48213975612", "entirely numeric"),
        ("sec-manager-x", "too similar"),
    ],
)
def test_a_new_password_must_pass_djangos_validators(world, password, says):
    client = Client()
    client.force_login(world.user("manager"))
    response = client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert says in response.content.decode()
