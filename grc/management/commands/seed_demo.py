"""Fill the database with a small, realistic hotel for demos and benchmarks."""

from __future__ import annotations

import importlib
import random
import time

from django.core.management.base import BaseCommand

from accounts.demo import demo_staff_seed

# Each app that has demo data offers `<app>.demo.seed(options, out)`, run in this order.
APP_SEEDERS = ("guests.demo", "complaints.demo", "loyalty.demo", "surveys.demo", "retention.demo")


class Command(BaseCommand):
    help = "Create demo staff for every role and a realistic hotel. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--guests", type=int, default=300, help="Guests to create.")
        parser.add_argument(
            "--tickets",
            type=int,
            default=None,
            help="Complaint tickets (default: about a third of --guests).",
        )
        parser.add_argument(
            "--members", type=float, default=0.35, help="Share of guests enrolled in loyalty (0–1)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, **options):
        started = time.monotonic()
        options["rng"] = random.Random(options["seed"])
        users = demo_staff_seed()
        for module_name in APP_SEEDERS:
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as exc:
                if exc.name != module_name:
                    raise
                continue
            module.seed(options, self.stdout)

        self.stdout.write(self.style.SUCCESS("Demo logins (username / password — role):"))
        for demo in users:
            self.stdout.write(f"  {demo.username:<15} {demo.password:<22} {demo.role.name}")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f}s.")
