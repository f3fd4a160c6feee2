import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from grc.env import celery_broker_url, env_bool, env_int, env_list, redis_url_check

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3Jd9-QpL2zXvB7nW4rT8yU1iO6aS5dF0gH3jK7lZ9xC2vB6nM4qW8eR1tY5uI0o",
    "ALLOWED_HOSTS": "grc.hotel.example",
    "CSRF_TRUSTED_ORIGINS": "https://grc.hotel.example",
    "DATABASE_URL": "postgres://grc:secret@db.internal:5432/grc",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "PATH": os.environ["PATH"],
}


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_booleans_accept_the_usual_spellings(monkeypatch):
    for raw, expected in [("1", True), ("yes", True), ("On", True), ("0", False), ("false", False)]:
        monkeypatch.setenv("FLAG", raw)
        assert env_bool("FLAG") is expected


def test_a_bad_boolean_fails_at_start_up_with_its_name(monkeypatch):
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG")


def test_lists_are_comma_separated_and_trimmed(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", " a.example , b.example,, ")
    assert env_list("ALLOWED_HOSTS") == ["a.example", "b.example"]


def test_a_bad_number_is_refused(monkeypatch):
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)


def test_redis_urls_are_checked_and_sockets_translated_for_celery():
    assert celery_broker_url("redis://h:6379/0") == "redis://h:6379/0"
    assert celery_broker_url("unix:///tmp/r.sock?db=0") == "redis+socket:///tmp/r.sock?db=0"
    with pytest.raises(ImproperlyConfigured):
        redis_url_check("amqp://guest@localhost//")


def test_production_refuses_to_start_without_a_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_python("import grc.settings", env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_come_from_the_environment():
    env = {
        **PRODUCTION_ENV,
        "TIME_ZONE": "Asia/Hong_Kong",
        "LANGUAGE_CODE": "zh-hans",
        "EMAIL_HOST": "smtp.hotel.example",
        "EMAIL_PORT": "465",
    }
    code = (
        "import grc.settings as s;"
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.TIME_ZONE, s.LANGUAGE_CODE, s.CELERY_BROKER_URL,"
        " s.DATABASES['default']['HOST'], s.EMAIL_BACKEND.rsplit('.', 1)[-1], s.EMAIL_USE_SSL)"
    )
    result = run_python(code, env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['grc.hotel.example']",
        "Asia/Hong_Kong",
        "zh-hans",
        "redis://cache.internal:6379/0",
        "db.internal",
        "EmailBackend",
        "True",
    ]


def test_time_zone_defaults_to_shanghai():
    result = run_python("import grc.settings as s; print(s.TIME_ZONE)", PRODUCTION_ENV)
    assert result.stdout.strip() == "Asia/Shanghai"


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=PRODUCTION_ENV,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
