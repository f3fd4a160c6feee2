"""Run the day's greetings by hand: `manage.py send_greetings --date 2026-02-28 --dry-run`."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from core.dates import hotel_day
from guests import greetings


class Command(BaseCommand):
    help = "Send the birthday and special-day greetings for a day (default: today, hotel time)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD in the hotel's time zone.")
        parser.add_argument("--dry-run", action="store_true", help="Count, send nothing.")
        parser.add_argument(
            "--queue", action="store_true", help="Hand the chunks to the Celery workers."
        )

    def handle(self, *args, **options):
        try:
            day = hotel_day(options["date"])
        except ValueError:
            raise CommandError("--date must look like 2026-02-28") from None

        if options["dry_run"]:
            counts = greetings.greetings_fan_out(day=day, enqueue=lambda *a: None)
        elif options["queue"]:
            from guests.tasks import greetings_chunk_task

            counts = greetings.greetings_fan_out(
                day=day,
                enqueue=lambda kind, ids, on: greetings_chunk_task.delay(kind, ids, on.isoformat()),
            )
        else:
            counts = greetings.greetings_fan_out(day=day, enqueue=_run_now)
        verb = "would greet" if options["dry_run"] else "greeted"
        for kind, count in counts.items():
            self.stdout.write(f"{day.isoformat()} {kind}: {verb} {count}")


def _run_now(kind: str, ids: list[int], on: date) -> None:
    greetings.greetings_send_chunk(kind=kind, ids=ids, day=on)
