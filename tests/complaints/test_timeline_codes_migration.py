"""Existing system entries written as text become codes and read in the reader's language."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone, translation

from complaints.models import TimelineEvent

migration = importlib.import_module("complaints.migrations.0005_timeline_codes")


@pytest.mark.django_db
def test_old_text_entries_become_codes(resolved_ticket, officer):
    def old(kind: str, text: str, data: dict, by=None) -> TimelineEvent:
        return TimelineEvent.objects.create(
            ticket=resolved_ticket, kind=kind, text=text, data=data, by=by, at=timezone.now()
        )

    chinese_reopen = old(
        "reopened", "客人对处理结果的评分为 2 分（满分 5 分）。", {"to": "reopened"}
    )
    told = old("owner_notified", "David was told by e-mail.", {"user": officer.pk})
    closed = old(
        "status_changed", "Guest unreachable", {"from": "resolved", "to": "closed"}, officer
    )
    staff_reason = old("reopened", "Guest called back.", {"to": "reopened"}, officer)
    with connection.schema_editor() as editor:
        migration.to_codes(apps, editor)
    for event in (chinese_reopen, told, closed, staff_reason):
        event.refresh_from_db()
    assert (chinese_reopen.text, chinese_reopen.data["guest_score"]) == ("", 2)
    assert (told.text, told.data["user_name"]) == ("", "David")
    assert (closed.text, closed.data["close_reason"]) == ("", "guest_unreachable")
    assert staff_reason.text == "Guest called back."  # a person's words stay as written
    with translation.override("en"):
        assert "The guest scored the resolution 2 out of 5." in chinese_reopen.detail
        assert told.detail == "David was told by e-mail."
    with pytest.raises(Exception, match="append-only"):  # the trigger is back on
        TimelineEvent.objects.filter(pk=told.pk).values("pk").first()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE complaints_timelineevent SET text = 'x' WHERE id = %s", [told.pk]
            )
