"""Demo data: a few regulars who stopped coming, so the churn radar has something on day one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from guests.models import Guest, Stay
from guests.services import guest_stay_summary_refresh
from retention.services.radar import radar_run
from retention.services.valuation import values_refresh

DRIFTERS = 6
PREFIX = "DEMO-DRIFT-"


def seed(options: dict, stdout) -> None:
    rng = options["rng"]
    today = timezone.localdate()
    manager = User.objects.filter(username="accountmanager").first()
    with transaction.atomic():
        have = (
            Stay.objects.filter(pms_reference__startswith=PREFIX)
            .values("guest_id")
            .distinct()
            .count()
        )
        quiet = (
            Guest.objects.contactable()
            .filter(Q(last_departure__lt=today - timedelta(days=150)) | Q(last_departure=None))
            .exclude(stays__departure__gt=today - timedelta(days=150))
            .order_by("pk")[: max(0, DRIFTERS - have)]
        )
        stays = []
        for guest in quiet:
            gap = rng.choice([21, 28, 30, 35])  # a monthly regular …
            last = today - timedelta(days=rng.randint(2 * gap + 10, 120))  # … gone quiet
            for k in range(rng.randint(4, 7)):
                departure = last - timedelta(days=k * (gap + 2))
                stays.append(
                    Stay(
                        guest=guest,
                        arrival=departure - timedelta(days=2),
                        departure=departure,
                        room_type="Deluxe King",
                        rate_plan=rng.choice(["Business", "Business", "Food week"]),
                        spend_room=Decimal(2 * rng.choice([880, 1280, 1880])),
                        spend_fb=Decimal(rng.choice([120, 360, 880])),
                        pms_reference=f"{PREFIX}{guest.pk}-{k}",
                    )
                )
            if manager and guest.account_manager_id is None:
                guest.account_manager = manager
                guest.save(update_fields=["account_manager"])
        Stay.objects.bulk_create(stays, ignore_conflicts=True)
        guest_stay_summary_refresh(guest_ids=list({s.guest_id for s in stays}), today=today)
    run = values_refresh(today=today)
    radar = radar_run(today=today)
    stdout.write(
        f"Guest value: {run.guests} guests valued, {run.at_risk_guests} at risk, "
        f"{radar['created']} win-back tasks."
    )
