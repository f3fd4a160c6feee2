"""Handing guests to account managers fairly and openly (seed 003: 公平、公开).

`distribution_plan` deals the unassigned guests of a scope (all of them, or one segment) to
the active account managers so that, counting the guests each already looks after, the loads
end at most one apart whenever there are enough guests to level them: each guest goes to the
manager with the fewest. Spread by value, the guests are dealt highest value first and a tie in
load goes to the manager given the least value so far, so no one gets all the champions. The
plan is shown before it is applied; applying it records a DistributionRun (who, when, how many
to whom) and each guest's change of account manager.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import roles
from accounts.models import User
from core.i18n import staff_language
from guests.models import CareTask, Guest, GuestChange
from retention.models import DistributionRun, GuestValue, Segment

TASKS_AT_ONCE = 5000


@dataclass
class Share:
    user: User
    before: int
    given: list[int] = field(default_factory=list)
    value: Decimal = Decimal(0)

    @property
    def after(self) -> int:
        return self.before + len(self.given)


def account_managers() -> list[User]:
    return list(
        User.objects.filter(is_active=True, groups__name=roles.ACCOUNT_MANAGER.name)
        .distinct()
        .order_by("username")
    )


def _candidates(segment: str) -> QuerySet:
    guests = Guest.objects.filter(account_manager=None, erased_at=None)
    if segment:
        guests = guests.filter(value__segment=segment)
    return guests


def distribution_plan(*, segment: str = "", weighted: bool = False) -> list[Share]:
    """Who would get which guests; nothing is written."""
    managers = account_managers()
    if not managers:
        return []
    loads = dict(
        Guest.objects.filter(account_manager__in=managers, erased_at=None)
        .values("account_manager")
        .annotate(n=Count("pk"))
        .values_list("account_manager", "n")
    )
    shares = [Share(user=m, before=loads.get(m.pk, 0)) for m in managers]
    guests = _candidates(segment).values_list("pk", "value__spend_total")
    guests = guests.order_by("-value__spend_total", "pk") if weighted else guests.order_by("pk")
    heap = [(s.before, Decimal(0), i) for i, s in enumerate(shares)]
    heapq.heapify(heap)
    for guest_id, spend in guests.iterator(chunk_size=5000):
        load, value, i = heapq.heappop(heap)
        share = shares[i]
        share.given.append(guest_id)
        share.value += spend or 0
        heapq.heappush(heap, (load + 1, share.value if weighted else Decimal(0), i))
    return shares


def scope_label(segment: str) -> str:
    return str(Segment(segment).label if segment else _("All unassigned guests"))


@transaction.atomic
def distribution_apply(*, by: User, segment: str = "", weighted: bool = False) -> DistributionRun:
    """Apply the plan as it stands now. A guest given a manager meanwhile keeps that one."""
    shares = distribution_plan(segment=segment, weighted=weighted)
    given_rows = []
    changes = []
    for share in shares:
        if not share.given:
            continue
        ids = list(
            Guest.objects.select_for_update()
            .filter(pk__in=share.given, account_manager=None)
            .values_list("pk", flat=True)
        )
        Guest.objects.filter(pk__in=ids).update(
            account_manager=share.user, updated_at=timezone.now()
        )
        name = share.user.get_full_name() or share.user.username
        changes += [
            GuestChange(
                guest_id=pk,
                by=by,
                subject=GuestChange.Subject.GUEST,
                subject_id=pk,
                action=GuestChange.Action.CHANGED,
                changes={"account_manager": [None, name]},
            )
            for pk in ids
        ]
        given_rows.append(
            {
                "user": share.user.pk,
                "name": name,
                "before": share.before,
                "given": len(ids),
                "value": str(share.value),
            }
        )
    GuestChange.objects.bulk_create(changes, batch_size=2000)
    return DistributionRun.objects.create(
        by=by,
        scope=segment or "unassigned",
        weighted=weighted,
        total=sum(row["given"] for row in given_rows),
        shares=given_rows,
    )


def keep_in_touch_tasks(*, values: QuerySet[GuestValue], by: User, label: str) -> int:
    """One keep-in-touch task per guest of a filtered list, for their account manager (the
    team's when they have none); at most TASKS_AT_ONCE at a time; twice a day is once."""
    today = timezone.localdate()
    tasks = []
    for value in values.select_related("guest__account_manager")[:TASKS_AT_ONCE]:
        guest = value.guest
        # the title is read by the account manager: in their language
        with translation.override(staff_language(guest.account_manager)):
            title = _("Keep in touch with %(name)s (%(list)s)") % {
                "name": guest.address_as,
                "list": label,
            }
        tasks.append(
            CareTask(
                key=f"keep_in_touch:{today.isoformat()}:guest:{guest.pk}",
                kind=CareTask.Kind.KEEP_IN_TOUCH,
                guest=guest,
                assigned_to_id=guest.account_manager_id,
                title=title,
                due_on=today,
            )
        )
    before = CareTask.objects.filter(key__in=[t.key for t in tasks]).count()
    CareTask.objects.bulk_create(tasks, ignore_conflicts=True)
    return len(tasks) - before
