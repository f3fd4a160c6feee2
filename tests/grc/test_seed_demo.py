import pytest
from django.core.management import call_command

from accounts.models import User


@pytest.mark.django_db
def test_seed_demo_creates_a_user_per_role_and_does_not_duplicate_on_rerun(capsys):
    call_command("seed_demo", "--guests", "20")
    first = User.objects.count()
    out = capsys.readouterr().out
    assert "frontdesk" in out and "frontdesk-demo" in out
    call_command("seed_demo", "--guests", "20")
    assert User.objects.count() == first
    desk = User.objects.get(username="frontdesk")
    assert desk.check_password("frontdesk-demo")
    assert desk.groups.get().name == "Front desk"
    assert desk.department.code == "front-office"
