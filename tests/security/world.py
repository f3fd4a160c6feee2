"""One small data set for the security tests: a user per role and one row of every kind a URL
names, so every URL pattern can be resolved with real ids.

Built once per test module (`world` fixture in conftest.py) inside a transaction that is rolled
back when the module ends; each test runs in a savepoint inside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from accounts import roles
from surveys.links import survey_token_make
from tests.factories import UserFactory, department, make_company, make_guest, make_stay

# Contact details no role without guests.view_guest_contact may ever read in full.
GUEST_EMAIL = "wei.chen.secret@example.com"
GUEST_PHONE = "+8613800138000"
OTHER_EMAIL = "li.na.hidden@example.com"

ROLE_NAMES = ("desk", "officer", "head", "account_manager", "manager", "admin")


@dataclass
class World:
    users: dict = field(default_factory=dict)
    ids: dict = field(default_factory=dict)

    def user(self, role: str):
        return self.users[role]


def world_build() -> World:
    from complaints import services as complaints
    from complaints.models import Category, RecoveryAction
    from guests.models import CareTask
    from loyalty import services as loyalty
    from loyalty.models import Reward
    from notifications.models import Notification
    from retention.models import WinBack

    w = World()
    w.users = {
        "desk": UserFactory(
            username="sec-desk", role=roles.FRONT_DESK, department=department("front-office")
        ),
        "officer": UserFactory(
            username="sec-officer",
            role=roles.GUEST_RELATIONS,
            department=department("front-office"),
        ),
        "head": UserFactory(
            username="sec-head",
            role=roles.DEPARTMENT_HEAD,
            department=department("housekeeping"),
        ),
        "account_manager": UserFactory(
            username="sec-am", role=roles.ACCOUNT_MANAGER, department=department("sales")
        ),
        "manager": UserFactory(
            username="sec-manager", role=roles.MANAGER, department=department("management")
        ),
        "admin": UserFactory(
            username="sec-admin",
            role=roles.ADMINISTRATOR,
            is_staff=True,
            department=department("management"),
        ),
    }
    company = make_company(name="Acme Trading", billing_email="billing@acme.example")
    guest = make_guest(
        email=GUEST_EMAIL,
        phone=GUEST_PHONE,
        company=company,
        account_manager=w.users["account_manager"],
    )
    other = make_guest(family="Li", given="Na", salutation="", email=OTHER_EMAIL, consent=False)
    stay = make_stay(guest, arrival=datetime.date(2025, 5, 1), nights=3, room_number="1208")
    member = loyalty.member_enrol(guest=guest, by=w.users["desk"])
    loyalty.points_adjust(
        member=member, points=5000, by=w.users["manager"], reason="opening", idempotency_key="sec"
    )
    reward = Reward.objects.create(code="sec-breakfast", name="Breakfast", points_cost=100)
    redemption = loyalty.points_redeem(
        member=member, reward=reward, by=w.users["desk"], idempotency_key="sec-redeem"
    )
    cleanliness = Category.objects.get(code="cleanliness")
    # In the head's department, logged by the desk: the desk, the head and officers see it.
    ticket = complaints.ticket_log(
        by=w.users["desk"],
        guest=guest,
        department=department("housekeeping"),
        category=cleanliness,
        description="Hair in the bathtub.",
        room_number="1208",
    )
    # In another department, logged by an officer: neither the desk nor the head may see it.
    other_ticket = complaints.ticket_log(
        by=w.users["officer"],
        guest=other,
        department=department("front-office"),
        category=cleanliness,
        description="Check-in took an hour.",
        room_number="0808",
    )
    action = RecoveryAction.objects.create(
        ticket=ticket,
        kind=RecoveryAction.Kind.REFUND,
        value=Decimal("5000"),
        status=RecoveryAction.Status.PENDING,
        requested_by=w.users["officer"],
        requested_at=timezone.now(),
    )
    other_action = RecoveryAction.objects.create(
        ticket=other_ticket,
        kind=RecoveryAction.Kind.REFUND,
        value=Decimal("5000"),
        status=RecoveryAction.Status.PENDING,
        requested_by=w.users["officer"],
        requested_at=timezone.now(),
    )
    task = CareTask.objects.create(
        key="sec:task",
        kind=CareTask.Kind.POST_STAY_CALL,
        guest=guest,
        assigned_to=w.users["account_manager"],
        title="Call Mr. Chen",
        due_on=timezone.localdate(),
    )
    other_task = CareTask.objects.create(
        key="sec:other-task",
        kind=CareTask.Kind.POST_STAY_CALL,
        guest=guest,
        assigned_to=w.users["officer"],
        title="Call Mr. Chen too",
        due_on=timezone.localdate(),
    )
    win_back_task = CareTask.objects.create(
        key="sec:win-back",
        kind=CareTask.Kind.WIN_BACK,
        guest=guest,
        assigned_to=w.users["account_manager"],
        title="Win back Mr. Chen",
        due_on=timezone.localdate(),
    )
    WinBack.objects.create(
        task=win_back_task, guest=guest, flagged_on=timezone.localdate(), since=stay.departure
    )
    notification = Notification.objects.create(
        key="sec:notification",
        kind=Notification.Kind.values[0],
        channel=Notification.Channel.EMAIL,
        to=GUEST_EMAIL,
        occasion_date=timezone.localdate(),
        status=Notification.Status.FAILED,
    )
    from imports.models import ImportRun

    import_run = ImportRun.objects.create(
        created_by=w.users["manager"],
        file_name="opera-export.csv",
        stored_name="gone.csv",
        file_format=ImportRun.Format.CSV,
        status=ImportRun.Status.DONE,
        total_rows=1,
        rows_done=1,
    )
    w.ids = {
        "guest": guest.pk,
        "other_guest": other.pk,
        "stay": stay.pk,
        "company": company.pk,
        "member": member.pk,
        "reward": reward.pk,
        "redemption": redemption.pk,
        "ticket": ticket.pk,
        "other_ticket": other_ticket.pk,
        "action": action.pk,
        "other_action": other_action.pk,
        "task": task.pk,
        "other_task": other_task.pk,
        "win_back_task": win_back_task.pk,
        "notification": notification.pk,
        "department": department("housekeeping").pk,
        "feedback_token": complaints.feedback_token_make(ticket=ticket),
        "survey_token": survey_token_make(stay=stay),
        "import_run": import_run.pk,
    }
    return w
