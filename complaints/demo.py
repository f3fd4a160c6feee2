"""Demo complaint tickets: a realistic mix across departments, categories, severities and
states, each with its timeline. Idempotent: tops the register up to the asked number."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from complaints.defaults import SLA_TARGETS
from complaints.models import (
    Category,
    RecoveryAction,
    ResolutionFeedback,
    RootCause,
    Ticket,
    TimelineEvent,
)
from complaints.services.tickets import ticket_numbers_take, ticket_search_text

Status = Ticket.Status
Kind = TimelineEvent.Kind

# category code -> (department code, what guests said)
STORIES = {
    "room-temperature": (
        "engineering",
        [
            "The air conditioning in the room cannot get below 26 degrees.",
            "房间空调不制冷，晚上太热睡不着。",
            "Heating makes a loud rattle and the room stays cold.",
        ],
    ),
    "noise": (
        "front-office",
        [
            "Loud music from the room next door until 2 a.m.",
            "楼上装修噪音太大，早上八点就开始。",
            "Room faces the street; traffic noise all night.",
        ],
    ),
    "cleanliness": (
        "housekeeping",
        [
            "Hair in the bathtub and the towels were not changed.",
            "床单上有污渍，要求更换房间。",
            "Room was not made up although the card was on the door.",
        ],
    ),
    "maintenance": (
        "engineering",
        [
            "Shower drain is blocked and the floor floods.",
            "电视遥控器坏了，前台说会派人但没人来。",
            "Window does not close properly.",
        ],
    ),
    "billing": (
        "front-office",
        [
            "Charged twice for breakfast on the bill.",
            "账单上多收了一晚房费。",
            "Minibar items charged that were never taken.",
        ],
    ),
    "staff-attitude": (
        "front-office",
        [
            "The night receptionist was rude when I asked for a late check-out.",
            "行李员态度冷淡，没有帮忙搬行李。",
            "Waiter rolled his eyes when we asked for the menu in English.",
        ],
    ),
    "food-quality": (
        "food-beverage",
        [
            "The steak was served cold and overcooked.",
            "早餐的粥是凉的，鸡蛋也没熟。",
            "Found a hair in the soup at the Chinese restaurant.",
        ],
    ),
    "facilities": (
        "engineering",
        [
            "Gym treadmill broken for three days.",
            "游泳池水温太低，孩子没法游。",
            "Lift on the east side keeps stopping between floors.",
        ],
    ),
    "wifi": (
        "engineering",
        [
            "Wi-Fi drops every ten minutes; I cannot join my video calls.",
            "房间无线网络连不上，影响工作。",
        ],
    ),
    "other": (
        "front-office",
        [
            "Parking attendant scratched the car door.",
            "快递包裹没有及时送到房间。",
        ],
    ),
}

WALK_IN_NAMES = ["Mr. Smith", "王先生", "李女士", "Ms. Tanaka", "陈生", "Mrs. Müller", "张小姐"]
ROOMS = [f"{floor}{room:02d}" for floor in range(3, 19) for room in range(1, 25)]

# The share of tickets in each state, like a hotel's register on an ordinary week.
STATE_WEIGHTS = [
    (Status.CLOSED, 45),
    (Status.RESOLVED, 12),
    (Status.IN_PROGRESS, 14),
    (Status.ACKNOWLEDGED, 10),
    (Status.NEW, 12),
    (Status.REOPENED, 7),
]
SEVERITY_WEIGHTS = [(1, 30), (2, 40), (3, 22), (4, 8)]


def _pick(rng, weighted):
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


@transaction.atomic
def seed(options: dict, stdout) -> None:
    rng = options["rng"]
    target = options.get("tickets")
    if target is None:
        target = max(0, int(options.get("guests") or 0) // 3)
    existing = Ticket.objects.count()
    missing = target - existing
    if missing <= 0:
        stdout.write(f"Complaints: {existing} tickets already there.")
        return

    from guests.models import Guest

    guests = list(Guest.objects.shown().order_by("pk")[: max(missing, 50) * 2])
    departments = {d.code: d for d in Department.objects.all()}
    categories = list(Category.objects.filter(is_active=True))
    causes = list(RootCause.objects.filter(is_active=True))
    officers = list(User.objects.filter(groups__name="Guest relations").order_by("pk"))
    desk = list(User.objects.filter(groups__name="Front desk").order_by("pk")) or officers
    managers = list(User.objects.filter(groups__name="Manager").order_by("pk")) or officers
    if not officers or not categories:
        stdout.write("Complaints: no officers or categories; run seed_demo's staff part first.")
        return

    now = timezone.now()
    plans = []
    for _i in range(missing):
        status = _pick(rng, STATE_WEIGHTS)
        # Open tickets are recent; the archive reaches back half a year.
        age = (
            timedelta(minutes=rng.randint(5, 5 * 24 * 60))
            if status in (Status.NEW, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REOPENED)
            else timedelta(minutes=rng.randint(2 * 24 * 60, 180 * 24 * 60))
        )
        plans.append((status, now - age))
    plans.sort(key=lambda plan: plan[1])
    numbers: list[str] = []
    by_year: dict[int, int] = {}
    for _status, created in plans:
        year = timezone.localdate(created).year
        by_year[year] = by_year.get(year, 0) + 1
    numbers_by_year = {
        year: iter(ticket_numbers_take(year=year, count=count)) for year, count in by_year.items()
    }
    for _status, created in plans:
        numbers.append(next(numbers_by_year[timezone.localdate(created).year]))

    tickets: list[Ticket] = []
    for (status, created), number in zip(plans, numbers, strict=True):
        category = rng.choice(categories)
        department_code, texts = STORIES.get(category.code, STORIES["other"])
        severity = _pick(rng, SEVERITY_WEIGHTS)
        ack, resolve = SLA_TARGETS[severity]
        guest = rng.choice(guests) if guests and rng.random() < 0.8 else None
        name = guest.display_name if guest else rng.choice(WALK_IN_NAMES)
        room = rng.choice(ROOMS)
        description = rng.choice(texts)
        officer = rng.choice(officers)
        ticket = Ticket(
            number=number,
            guest=guest,
            guest_name=name,
            room_number=room,
            department=departments.get(department_code) or next(iter(departments.values())),
            category=category,
            severity=severity,
            channel=rng.choice(Ticket.Channel.values),
            description=description,
            logged_by=rng.choice(desk),
            assigned_to=None if status == Status.NEW else officer,
            status=status,
            kind=""
            if status in (Status.NEW, Status.ACKNOWLEDGED)
            else rng.choice(Ticket.Kind.values),
            ack_due_at=created + timedelta(minutes=ack),
            resolve_due_at=created + timedelta(minutes=resolve),
            created_at=created,
            search_text=ticket_search_text(
                number=number, guest_name=name, room_number=room, description=description
            ),
        )
        if status != Status.NEW:
            ticket.acknowledged_at = created + timedelta(minutes=rng.randint(3, ack))
        if status in (Status.RESOLVED, Status.CLOSED, Status.REOPENED):
            ticket.resolved_at = created + timedelta(minutes=rng.randint(ack, resolve))
            ticket.resolution_round = 1
        if status == Status.CLOSED:
            ticket.closed_at = ticket.resolved_at + timedelta(hours=rng.randint(2, 72))
            ticket.close_reason = (
                Ticket.CloseReason.FEEDBACK
                if rng.random() < 0.85
                else Ticket.CloseReason.GUEST_UNREACHABLE
            )
        if status == Status.REOPENED:
            ticket.resolve_due_at = now + timedelta(minutes=resolve)
        if status in (Status.IN_PROGRESS, Status.RESOLVED) and rng.random() < 0.3:
            ticket.follow_up_on = timezone.localdate(now) + timedelta(days=rng.randint(0, 5))
        if severity == 4 and status in (Status.ACKNOWLEDGED, Status.IN_PROGRESS):
            ticket.escalated = True
            ticket.escalated_at = ticket.acknowledged_at
            ticket.escalation_reason = "Guest threatens to post an online review; VIP."
        tickets.append(ticket)
    Ticket.objects.bulk_create(tickets, batch_size=2000)

    events: list[TimelineEvent] = []
    actions: list[RecoveryAction] = []
    feedback: list[ResolutionFeedback] = []
    through = Ticket.root_causes.through
    cause_links = []
    for ticket in tickets:
        events.extend(_story(ticket, rng, managers, actions, feedback))
        if ticket.kind and causes:
            for cause in rng.sample(causes, k=rng.randint(1, 2)):
                cause_links.append(through(ticket_id=ticket.pk, rootcause_id=cause.pk))
    TimelineEvent.objects.bulk_create(events, batch_size=5000)
    RecoveryAction.objects.bulk_create(actions, batch_size=5000)
    ResolutionFeedback.objects.bulk_create(feedback, batch_size=5000)
    through.objects.bulk_create(cause_links, batch_size=5000)
    stdout.write(f"Complaints: {len(tickets)} tickets with {len(events)} timeline entries.")


def _story(ticket: Ticket, rng, managers, actions, feedback) -> list[TimelineEvent]:
    """The timeline a ticket in this state would have, step by step."""
    at = ticket.created_at
    officer = ticket.assigned_to
    entries = [
        TimelineEvent(
            ticket=ticket, kind=Kind.CREATED, by=ticket.logged_by, at=at, text=ticket.description
        )
    ]

    def add(kind, by, minutes, text="", data=None):
        nonlocal at
        at = at + timedelta(minutes=minutes)
        entries.append(
            TimelineEvent(ticket=ticket, kind=kind, by=by, at=at, text=text, data=data or {})
        )

    if ticket.status == Status.NEW:
        return entries
    at = ticket.acknowledged_at
    entries.append(
        TimelineEvent(
            ticket=ticket,
            kind=Kind.STATUS_CHANGED,
            by=officer,
            at=at,
            data={"from": Status.NEW, "to": Status.ACKNOWLEDGED},
        )
    )
    add(Kind.ASSIGNED, officer, 0, str(officer), {"assigned_to": officer.pk})
    add(Kind.LISTENED, officer, 5, "Listened to the guest in the lobby lounge.")
    add(Kind.APOLOGISED, officer, 2, "Apologised sincerely on behalf of the hotel.")
    if ticket.escalated:
        add(Kind.ESCALATED, officer, 3, ticket.escalation_reason)
    if ticket.status == Status.ACKNOWLEDGED:
        return entries
    add(
        Kind.STATUS_CHANGED,
        officer,
        10,
        data={"from": Status.ACKNOWLEDGED, "to": Status.IN_PROGRESS},
    )
    add(Kind.SOLUTION_OFFERED, officer, 30, "Offered to move the guest / fix at once.")
    if rng.random() < 0.6:
        big = rng.random() < 0.2
        value = Decimal(rng.choice([1500, 2500])) if big else Decimal(rng.choice([100, 200, 400]))
        kind = rng.choice(
            [RecoveryAction.Kind.FB_VOUCHER, RecoveryAction.Kind.DISCOUNT, RecoveryAction.Kind.GIFT]
        )
        manager = rng.choice(managers)
        action = RecoveryAction(
            ticket=ticket,
            kind=kind,
            value=value,
            currency="CNY",
            requested_by=officer,
            requested_at=at,
            status=RecoveryAction.Status.APPLIED,
            decided_by=manager if big else officer,
            decided_at=at + timedelta(minutes=20 if big else 0),
            applied_at=at + timedelta(minutes=20 if big else 0),
        )
        pending = big and ticket.status == Status.IN_PROGRESS
        if pending:
            action.status = RecoveryAction.Status.PENDING
            action.decided_by = action.decided_at = action.applied_at = None
        actions.append(action)
        data = {"kind": kind, "value": str(value), "currency": "CNY", "points": 0, "action": None}
        add(Kind.APPROVAL_ASKED if big else Kind.RECOVERY_PROPOSED, officer, 1, "", data)
        if big and not pending:
            add(Kind.APPROVAL_GIVEN, manager, 20, "OK — regular guest.", data)
    if ticket.status == Status.IN_PROGRESS:
        return entries
    at = ticket.resolved_at
    entries.append(
        TimelineEvent(
            ticket=ticket,
            kind=Kind.STATUS_CHANGED,
            by=officer,
            at=at,
            text="Fixed and confirmed with the guest.",
            data={"from": Status.IN_PROGRESS, "to": Status.RESOLVED},
        )
    )
    if rng.random() < 0.4:
        add(Kind.SURPRISE_GIVEN, officer, 60, "Fruit basket and a handwritten card.")
    if ticket.status == Status.RESOLVED:
        return entries
    if (
        ticket.status == Status.CLOSED
        and ticket.close_reason == Ticket.CloseReason.GUEST_UNREACHABLE
    ):
        at = ticket.closed_at
        entries.append(
            TimelineEvent(
                ticket=ticket,
                kind=Kind.STATUS_CHANGED,
                by=officer,
                at=at,
                text="Guest unreachable",
                data={"from": Status.RESOLVED, "to": Status.CLOSED},
            )
        )
        return entries
    score = rng.choice([1, 2]) if ticket.status == Status.REOPENED else rng.choice([3, 4, 4, 5, 5])
    via = rng.choice(ResolutionFeedback.Via.values)
    add(
        Kind.FEEDBACK_RECORDED,
        officer if via == "staff" else None,
        90,
        "",
        {"score": score, "via": via, "round": 1},
    )
    feedback.append(
        ResolutionFeedback(
            ticket=ticket,
            resolution_round=1,
            score=score,
            via=via,
            recorded_by=officer if via == "staff" else None,
            at=at,
            owner_notified_at=at if score <= 2 else None,
        )
    )
    if ticket.status == Status.REOPENED:
        add(
            Kind.REOPENED,
            None,
            0,
            f"The guest scored the resolution {score} out of 5.",
            {"from": Status.RESOLVED, "to": Status.REOPENED},
        )
        return entries
    add(Kind.FOLLOW_UP_DONE, officer, 60 * 24, "Called the guest a day later; all well.")
    at = max(at, ticket.closed_at)
    entries.append(
        TimelineEvent(
            ticket=ticket,
            kind=Kind.STATUS_CHANGED,
            by=officer,
            at=at,
            data={"from": Status.RESOLVED, "to": Status.CLOSED},
        )
    )
    return entries
