"""System timeline entries stored as codes with parameters, not as translated text.

Before, a reopen by the guest's score, "owner told by e-mail", the close reason and the
classification were written as text in the language of whoever triggered them. Those rows get
their codes here (text emptied), so they read in the reader's language like new ones. The
timeline is append-only; its trigger is paused only for this one conversion.
"""

import re

from django.db import migrations, models
from django.utils import translation

SCORE = [
    re.compile(r"^The guest scored the resolution (\d) out of 5\.$"),
    re.compile(r"^客人对处理结果的评分为 ?(\d) ?分"),
]
TOLD = [re.compile(r"^(.+) was told by e-mail\.$"), re.compile(r"^已通过电子邮件通知 ?(.+?)。$")]
CLOSE_REASONS = {"feedback": "Guest gave feedback", "guest_unreachable": "Guest unreachable"}
KINDS = {
    "sincere": "Sincere",
    "emotional": "Emotional",
    "opportunistic": "Opportunistic",
    "procedural": "Procedural",
}


def _labels(english: dict) -> dict:
    """{label in English or Chinese: code}."""
    labels = {}
    for code, label in english.items():
        labels[label] = code
        with translation.override("zh-hans"):
            labels[translation.gettext(label)] = code
    return labels


def _match(patterns, text):
    for pattern in patterns:
        found = pattern.match(text)
        if found:
            return found.group(1)
    return None


def to_codes(apps, schema_editor):
    Event = apps.get_model("complaints", "TimelineEvent")
    close_labels, kind_labels = _labels(CLOSE_REASONS), _labels(KINDS)
    # checks deferred by earlier writes in this transaction must run before the table is altered
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    schema_editor.execute(
        "ALTER TABLE complaints_timelineevent DISABLE TRIGGER complaints_timeline_append_only"
    )
    rows = Event.objects.exclude(text="").filter(
        kind__in=["reopened", "owner_notified", "status_changed", "classified"]
    )
    for event in rows.iterator(chunk_size=2000):
        data = dict(event.data or {})
        if event.kind == "reopened" and event.by_id is None:
            score = _match(SCORE, event.text)
            if score is None:
                continue
            data["guest_score"] = int(score)
        elif event.kind == "owner_notified":
            name = _match(TOLD, event.text)
            if name is None:
                continue
            data["user_name"] = name
            data.setdefault("emailed", True)
        elif event.kind == "status_changed" and data.get("to") == "closed":
            if event.text not in close_labels:
                continue
            data["close_reason"] = close_labels[event.text]
        elif event.kind == "classified":
            if event.text not in kind_labels:
                continue
            data.setdefault("kind", kind_labels[event.text])
        else:
            continue
        Event._base_manager.filter(pk=event.pk).update(text="", data=data)
    schema_editor.execute(
        "ALTER TABLE complaints_timelineevent ENABLE TRIGGER complaints_timeline_append_only"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0004_reminder_schedules"),
    ]

    operations = [
        migrations.RunPython(to_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="timelineevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("created", "Logged"),
                    ("status_changed", "Status changed"),
                    ("listened", "Listened"),
                    ("apologised", "Apologised"),
                    ("solution_offered", "Solution offered"),
                    ("follow_up_done", "Follow-up done"),
                    ("surprise_given", "Surprise given"),
                    ("note", "Note"),
                    ("department_brought_in", "Department brought in"),
                    ("escalated", "Escalated"),
                    ("recovery_proposed", "Recovery action granted"),
                    ("approval_asked", "Approval asked"),
                    ("approval_given", "Approval given"),
                    ("approval_rejected", "Approval rejected"),
                    ("feedback_recorded", "Feedback recorded"),
                    ("reopened", "Reopened"),
                    ("assigned", "Assigned"),
                    ("classified", "Classified"),
                    ("updated", "Details changed"),
                    ("owner_notified", "Owner notified"),
                    ("feedback_requested", "Feedback asked for"),
                ],
                max_length=24,
                verbose_name="what happened",
            ),
        ),
    ]
