"""Run the complaint reminders by hand: `manage.py complaint_reminders --dry-run`."""

from __future__ import annotations

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from complaints.services import reminders
from core.dates import hotel_instant as reminder_instant

SWEEPS = {
    "sla": reminders.SLA_KINDS,
    "follow-up": reminders.FOLLOW_UP_KINDS,
    "feedback": reminders.FEEDBACK_KINDS,
    "all": reminders.KINDS,
}


class Command(BaseCommand):
    help = (
        "Send the complaint reminders that are due: follow-up dates, targets due soon, missed "
        "targets (escalated to the duty managers) and resolutions still without feedback."
    )

    def add_arguments(self, parser):
        parser.add_argument("--only", choices=list(SWEEPS), default="all", help="One sweep.")
        parser.add_argument(
            "--at", help="As at this instant, e.g. 2026-05-20T08:00 (hotel time); default now."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what is due; send and escalate nothing."
        )
        parser.add_argument(
            "--queue", action="store_true", help="Hand the chunks to the Celery workers."
        )

    def handle(self, *args, **options):
        try:
            at = reminder_instant(options["at"])
        except ValueError:
            raise CommandError("--at must look like 2026-05-20T08:00") from None
        kinds = SWEEPS[options["only"]]
        if options["dry_run"]:
            enqueue = _nothing
        elif options["queue"]:
            enqueue = _queue
        else:
            enqueue = _run_now
        counts = reminders.reminders_fan_out(kinds=kinds, at=at, enqueue=enqueue)
        verb = "due" if options["dry_run"] else ("queued" if options["queue"] else "done")
        for kind, count in counts.items():
            self.stdout.write(f"{at.isoformat(timespec='minutes')} {kind}: {verb} {count}")


def _nothing(kind: str, ids: list[int], at: datetime) -> None:
    return None


def _queue(kind: str, ids: list[int], at: datetime) -> None:
    from complaints.tasks import reminders_chunk_task

    reminders_chunk_task.delay(kind, ids, at.isoformat())


def _run_now(kind: str, ids: list[int], at: datetime) -> None:
    reminders.reminders_send_chunk(kind=kind, ids=ids, at=at)
