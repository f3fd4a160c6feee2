"""The demo hotel has regulars who drifted away, so the churn radar has something on day one."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from guests.models import CareTask
from retention.models import GuestValue, WinBack


@pytest.mark.django_db
def test_the_demo_has_drifted_regulars_with_win_back_tasks_once(capsys):
    call_command("seed_demo", "--guests", "60")
    out = capsys.readouterr().out
    assert "win-back tasks" in out
    win_backs = WinBack.objects.filter(task__key__startswith="win_back:guest:")
    assert win_backs.count() >= 3
    assert GuestValue.objects.exclude(segment="").exists()
    assert win_backs.filter(task__assigned_to__username="accountmanager").exists()
    before = CareTask.objects.filter(kind=CareTask.Kind.WIN_BACK).count()
    call_command("seed_demo", "--guests", "60")
    assert CareTask.objects.filter(kind=CareTask.Kind.WIN_BACK).count() == before
