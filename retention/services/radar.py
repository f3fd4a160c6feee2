"""The churn radar: notice a regular who stopped coming, put someone on it, learn why.

After the nightly valuation (retention.services.valuation) has marked who is at risk,
`radar_run` gives each newly noticed absence one win-back task (the guest's account manager's,
else the guest- relations team's: unassigned tasks are on everyone's list who sees all follow-
ups). An absence is keyed by the guest and their last departure, so the nightly run finds its
task already there and a guest gets a new one only after a new stay. A stay recorded after the
absence began closes the task: "won back" when someone had contacted them, else "returned by
themselves".
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, When
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from complaints.models import ResolutionFeedback, Ticket
from complaints.models.tickets import OPEN_STATUSES
from core.formatting import day_text
from core.i18n import staff_language
from guests.errors import CareTaskError
from guests.models import CareTask, Stay, guest_contactable_q
from retention.models import CompanyValue, GuestValue, WinBack

CHUNK = 500


def _key(*, guest_id: int | None = None, company_id: int | None = None, since: date) -> str:
    if company_id is not None:
        return f"win_back:company:{company_id}:since:{since.isoformat()}"
    return f"win_back:guest:{guest_id}:since:{since.isoformat()}"


def _trend(last_year: Decimal, year_before: Decimal) -> str:
    if year_before == 0:
        return "new" if last_year > 0 else "none"
    change = (last_year - year_before) / year_before
    return "down" if change < Decimal("-0.1") else "up" if change > Decimal("0.1") else "flat"


def _complaints(guest_ids: list[int]) -> dict[int, dict[str, int]]:
    """Open complaints and complaints that ended badly (the guest scored the outcome 1–2)."""
    unhappy = ResolutionFeedback.objects.filter(score__lte=2).values("ticket_id")
    rows = (
        Ticket.objects.filter(guest_id__in=guest_ids)
        .values("guest_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
            badly_ended=Count("pk", filter=~Q(status__in=OPEN_STATUSES) & Q(pk__in=unhappy)),
        )
    )
    return {
        row["guest_id"]: {"open": row["open"], "badly_ended": row["badly_ended"]} for row in rows
    }


def _reasons(value, complaints: dict[str, int] | None, survey: int | None) -> dict:
    """What the task shows: plain facts, stored so the task reads the same later."""
    return {
        "last_departure": value.last_departure.isoformat() if value.last_departure else None,
        "days_absent": value.recency_days,
        "usual_gap_days": getattr(value, "usual_gap_days", None),
        "stays": value.stays,
        "spend_last_year": str(value.spend_last_year),
        "spend_year_before": str(value.spend_year_before),
        "spend_trend": _trend(value.spend_last_year, value.spend_year_before),
        "open_complaints": (complaints or {}).get("open", 0),
        "badly_ended_complaints": (complaints or {}).get("badly_ended", 0),
        "last_survey_score": survey,
    }


def _title(*, name: str, user: User | None) -> str:
    with translation.override(staff_language(user)):
        return _("Win back %(name)s") % {"name": name}


def _last_survey_scores(guest_ids: list[int]) -> dict[int, int]:
    """The guest's latest survey score, when surveys are installed (core.seams.guest_facts)."""
    from core import seams

    scores: dict[int, int] = {}
    for provider in seams.guest_facts.all():
        for guest_id, facts in provider(guest_ids).items():
            if "last_survey_score" in facts:
                scores.setdefault(guest_id, facts["last_survey_score"])
    return scores


@transaction.atomic
def radar_run(*, today: date) -> dict[str, int]:
    """Give each newly noticed absence its win-back task; close those who came back. Twice is
    the same as once (the tasks' keys are unique)."""
    closed = win_backs_close_returned()
    created = 0
    noticed = WinBack.objects.filter(
        guest_id=OuterRef("guest_id"), company=None, since=OuterRef("last_departure")
    )
    flagged = (
        GuestValue.objects.filter(at_risk=True)
        .filter(guest_contactable_q("guest__"))
        .filter(~Exists(noticed))
        .select_related("guest__account_manager")
        .order_by("guest_id")
    )
    batch: list[GuestValue] = []
    for value in flagged.iterator(chunk_size=CHUNK):
        batch.append(value)
        if len(batch) == CHUNK:
            created += _create_guest_tasks(batch, today)
            batch = []
    if batch:
        created += _create_guest_tasks(batch, today)
    created += _create_company_tasks(today)
    return {"created": created, "closed": closed}


def _manager(user: User | None) -> User | None:
    """Who gets the task: the account manager while active, else the team (no one)."""
    return user if user is not None and user.is_active else None


def _create_guest_tasks(values: list[GuestValue], today: date) -> int:
    ids = [v.guest_id for v in values]
    complaints = _complaints(ids)
    surveys = _last_survey_scores(ids)
    made: list[tuple[CareTask, WinBack]] = []
    for value in values:
        guest = value.guest
        manager = _manager(guest.account_manager)
        assert value.last_departure is not None  # at risk means they stayed
        task = CareTask(
            key=_key(guest_id=guest.pk, since=value.last_departure),
            kind=CareTask.Kind.WIN_BACK,
            guest=guest,
            assigned_to=manager,
            title=_title(name=guest.address_as, user=manager),
            due_on=today,
        )
        reasons = _reasons(value, complaints.get(guest.pk), surveys.get(guest.pk))
        made.append(
            (
                task,
                WinBack(guest=guest, flagged_on=today, since=value.last_departure, reasons=reasons),
            )
        )
    return _save(made)


def _save(made: list[tuple[CareTask, WinBack]]) -> int:
    """Record the tasks and their win-backs; what is already there is left as it is."""
    CareTask.objects.bulk_create([task for task, _w in made], ignore_conflicts=True)
    task_ids = dict(
        CareTask.objects.filter(key__in=[task.key for task, _w in made]).values_list("key", "pk")
    )
    have = set(
        WinBack.objects.filter(task_id__in=task_ids.values()).values_list("task_id", flat=True)
    )
    rows = []
    for task, win_back in made:
        win_back.task_id = task_ids[task.key]
        if win_back.task_id not in have:
            rows.append(win_back)
    WinBack.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _create_company_tasks(today: date) -> int:
    """A corporate account with no spend for CHURN_COMPANY_DAYS: its account manager's task,
    about the company, filed under its guest who spent most (the task list is of guests)."""
    noticed = WinBack.objects.filter(
        company_id=OuterRef("company_id"), since=OuterRef("last_spend_on")
    )
    values = list(
        CompanyValue.objects.filter(at_risk=True)
        .filter(~Exists(noticed))
        .select_related("company__account_manager")
    )
    if not values:
        return 0
    top = _top_guests([v.company_id for v in values])
    made: list[tuple[CareTask, WinBack]] = []
    for value in values:
        company = value.company
        guest_id = top.get(company.pk)
        if guest_id is None or value.last_spend_on is None:
            continue
        manager = _manager(company.account_manager)
        task = CareTask(
            key=_key(company_id=company.pk, since=value.last_spend_on),
            kind=CareTask.Kind.WIN_BACK,
            guest_id=guest_id,
            assigned_to=manager,
            title=_title(name=company.name, user=manager),
            due_on=today,
        )
        reasons = _reasons(value, None, None)
        reasons["company"] = company.name
        reasons["last_spend_on"] = value.last_spend_on.isoformat()
        win_back = WinBack(
            guest_id=guest_id,
            company=company,
            flagged_on=today,
            since=value.last_spend_on,
            reasons=reasons,
        )
        made.append((task, win_back))
    return _save(made)


def _top_guests(company_ids: list[int]) -> dict[int, int]:
    """Each company's guest who spent most (contactable guests only), in one query."""
    rows = (
        GuestValue.objects.filter(guest__company_id__in=company_ids)
        .filter(guest_contactable_q("guest__"))
        .order_by("guest__company_id", "-spend_total", "guest_id")
        .distinct("guest__company_id")
        .values_list("guest__company_id", "guest_id")
    )
    return dict(rows)


# --- coming back, and what the task's owner records --------------------------------------------


def _close(win_back: WinBack, *, stay: Stay) -> None:
    outcome = WinBack.Outcome.WON_BACK if win_back.contacted_at else WinBack.Outcome.RETURNED
    with translation.override(staff_language(win_back.task.assigned_to)):
        report = _("%(outcome)s: stay from %(arrival)s.") % {
            "outcome": WinBack.Outcome(outcome).label,
            "arrival": day_text(stay.arrival),
        }
    now = timezone.now()
    WinBack.objects.filter(pk=win_back.pk, closed_at=None).update(
        outcome=outcome, next_stay=stay, closed_at=now
    )
    CareTask.objects.filter(pk=win_back.task_id, status=CareTask.Status.OPEN).update(
        status=CareTask.Status.DONE, report=report, done_at=now
    )


@transaction.atomic
def win_backs_close_returned() -> int:
    """Close every open win-back whose guest (or company) has a stay after the absence began:
    the net under stays that reached the database without the stay hook (an import)."""

    def first_stay_after(**about) -> Subquery:
        stays = Stay.objects.filter(arrival__gt=OuterRef("since"), **about)
        return Subquery(stays.order_by("arrival", "pk").values("pk")[:1])

    returned = list(
        WinBack.objects.select_for_update(of=("self",))
        .filter(closed_at=None)
        .annotate(
            next_stay_id_found=Case(
                When(company=None, then=first_stay_after(guest_id=OuterRef("guest_id"))),
                default=first_stay_after(guest__company_id=OuterRef("company_id")),
            )
        )
        .filter(next_stay_id_found__isnull=False)
        .select_related("task__assigned_to")
    )
    stays = Stay.objects.in_bulk([w.next_stay_id_found for w in returned])
    for win_back in returned:
        _close(win_back, stay=stays[win_back.next_stay_id_found])
    closed = len(returned)
    return closed


def stay_recorded(stay_id: int) -> None:
    """core.seams.stay_hooks: a stay after an absence closes its win-back (safe twice)."""
    stay = Stay.objects.select_related("guest").filter(pk=stay_id).first()
    if stay is None:
        return
    about = Q(guest_id=stay.guest_id, company=None)
    if stay.guest.company_id is not None:  # (a bare company_id=None would match every guest's)
        about |= Q(company_id=stay.guest.company_id)
    with transaction.atomic():
        open_ = (
            WinBack.objects.select_for_update(of=("self",))
            .filter(closed_at=None, since__lt=stay.arrival)
            .filter(about)
            .select_related("task__assigned_to")
        )
        for win_back in open_:
            _close(win_back, stay=stay)


def win_back_record(
    *, win_back: WinBack, by: User, outcome: str, lost_reason: str = "", text: str = ""
) -> WinBack:
    """The task's owner records what happened: contacted (the task stays open until they come
    back or are given up) or lost, with a reason (the task is done)."""
    with transaction.atomic():
        locked = WinBack.objects.select_for_update().select_related("task").get(pk=win_back.pk)
        if locked.closed_at is not None:
            raise CareTaskError(
                _("This win-back is already closed: %(outcome)s.")
                % {"outcome": locked.get_outcome_display()}
            )
        now = timezone.now()
        text = text.strip()
        if outcome == WinBack.Outcome.CONTACTED:
            locked.outcome, locked.contacted_at = outcome, now
            locked.lost_text = text or locked.lost_text
            locked.save(update_fields=["outcome", "contacted_at", "lost_text"])
            return locked
        if outcome != WinBack.Outcome.LOST:
            raise CareTaskError(_("Choose what happened."), status=422, field="outcome")
        if lost_reason not in WinBack.LostReason.values:
            raise CareTaskError(_("Choose why they were lost."), status=422, field="lost_reason")
        if lost_reason == WinBack.LostReason.OTHER and not text:
            raise CareTaskError(
                _("Say in a few words why they were lost."), status=422, field="text"
            )
        locked.outcome, locked.lost_reason, locked.lost_text = outcome, lost_reason, text
        locked.closed_at, locked.closed_by = now, by
        locked.save(update_fields=["outcome", "lost_reason", "lost_text", "closed_at", "closed_by"])
        report = _("Lost: %(reason)s.") % {"reason": locked.get_lost_reason_display()}
        if text:
            report = f"{report} {text}"
        CareTask.objects.filter(pk=locked.task_id, status=CareTask.Status.OPEN).update(
            status=CareTask.Status.DONE, report=report, done_at=now, done_by=by
        )
        return locked


def lost_reasons_report(*, start: date, end: date, period: str = "month") -> list[dict]:
    """How win-backs ended, counted per period (closed between start and end, inclusive)."""
    from django.db.models.functions import TruncMonth, TruncWeek

    trunc = TruncWeek if period == "week" else TruncMonth
    rows = (
        WinBack.objects.filter(closed_at__date__gte=start, closed_at__date__lte=end)
        .annotate(period=trunc("closed_at"))
        .values("period", "outcome", "lost_reason")
        .annotate(count=Count("pk"))
        .order_by("period", "outcome", "lost_reason")
    )
    by_period: dict = defaultdict(
        lambda: {"outcomes": defaultdict(int), "reasons": defaultdict(int)}
    )
    for row in rows:
        bucket = by_period[row["period"]]
        bucket["outcomes"][row["outcome"]] += row["count"]
        if row["lost_reason"]:
            bucket["reasons"][row["lost_reason"]] += row["count"]
    return [
        {"period": period_start, "outcomes": dict(b["outcomes"]), "reasons": dict(b["reasons"])}
        for period_start, b in sorted(by_period.items())
    ]
