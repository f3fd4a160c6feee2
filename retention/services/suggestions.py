"""What to offer a guest next time, from their own history: plain rules, each explained.

No model and no black box: every suggestion says which facts it comes from, so the person who
calls the guest can say it in their own words. The rules (README, "Guest value"):

1. Season: a month in which at least two of the guest's stays began, and at least a third of them.
2. What they spend on: food & beverage, or other services (spa, events…), when it is at least a
   fifth of their spend; a guest who spends on the room alone is offered a room upgrade.
3. Packages: a rate plan they booked at least twice (the hotel's package or event offers).
4. Room: the room type of most of their stays, when there is one.
5. Days ahead: the guest's and their family's birthdays and their special dates within 90 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from core.formatting import day_text
from guests.models import Stay
from guests.selectors import occasions_upcoming

DAYS_AHEAD = 90


@dataclass(frozen=True)
class Suggestion:
    offer: str  # what to offer
    because: str  # the facts it comes from


def suggestions_for(*, guest, today: date) -> list[Suggestion]:
    """Two queries over the guest's ended stays; the occasions come prefetched with the card."""
    stays = Stay.objects.filter(guest_id=guest.pk, departure__lte=today)
    months = list(
        stays.annotate(month=ExtractMonth("arrival"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("-n", "month")
    )
    total = sum(row["n"] for row in months)
    if not total:
        return _occasions(guest, today)
    found: list[Suggestion] = []
    top = months[0]
    if top["n"] >= 2 and top["n"] * 3 >= total:
        month = MONTHS[top["month"]]
        found.append(
            Suggestion(
                _("Invite them for %(month)s, with what is on then.") % {"month": month},
                _("%(count)d of their %(total)d stays began in %(month)s.")
                % {"count": top["n"], "total": total, "month": month},
            )
        )
    found += _spend(stays)
    plans = list(
        stays.exclude(rate_plan="")
        .values("rate_plan")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .order_by("-n", "rate_plan")[:2]
    )
    for plan in plans:
        found.append(
            Suggestion(
                _("Offer the next package like “%(plan)s”.") % {"plan": plan["rate_plan"]},
                _("They booked “%(plan)s” %(count)d times.")
                % {"plan": plan["rate_plan"], "count": plan["n"]},
            )
        )
    rooms = list(
        stays.exclude(room_type="").values("room_type").annotate(n=Count("pk")).order_by("-n")[:1]
    )
    if rooms and rooms[0]["n"] * 2 > total:
        found.append(
            Suggestion(
                _("Hold a %(room)s for them.") % {"room": rooms[0]["room_type"]},
                _("%(count)d of their %(total)d stays were in a %(room)s.")
                % {"count": rooms[0]["n"], "total": total, "room": rooms[0]["room_type"]},
            )
        )
    return found + _occasions(guest, today)


def _spend(stays) -> list[Suggestion]:
    sums = stays.aggregate(room=Sum("spend_room"), fb=Sum("spend_fb"), other=Sum("spend_other"))
    room, fb, other = (sums[k] or Decimal(0) for k in ("room", "fb", "other"))
    total = room + fb + other
    if total <= 0:
        return []
    found = []
    for amount, offer, what in (
        (fb, _("Offer a dining package or the next food festival."), _("food & beverage")),
        (other, _("Offer a spa or services voucher."), _("other services")),
    ):
        share = amount / total
        if share >= Decimal("0.2"):
            found.append(
                Suggestion(
                    offer,
                    _("%(share)d%% of their spend is on %(what)s.")
                    % {"share": round(share * 100), "what": what},
                )
            )
    if not found and room > 0:
        found.append(
            Suggestion(_("Offer a room upgrade."), _("They spend on the room and little else."))
        )
    return found


def _occasions(guest, today: date) -> list[Suggestion]:
    return [
        Suggestion(
            _("Suggest a stay to celebrate: %(what)s.") % {"what": occasion.label},
            _("%(who)s, %(on)s.") % {"who": occasion.who, "on": day_text(occasion.on)},
        )
        for occasion in occasions_upcoming(guest=guest, today=today, days=DAYS_AHEAD)
    ]
