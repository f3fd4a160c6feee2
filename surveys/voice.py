"""The Guest voice figures: response rate, CSAT, NPS and the area averages, by week or month.

One selector, `guest_voice`, computes them for the Guest voice page, the managers' dashboard
block and anything else that shows them (the dashboards issue), so every page shows the same
numbers. Each figure carries the count behind it. Two aggregate queries whatever the range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, Sum
from django.db.models.functions import Trunc
from django.utils import timezone

from surveys.models import AREAS, SurveyLink, SurveyResponse

PERIODS = ("week", "month")


@dataclass
class VoiceFigures:
    """The figures of one period (or of the whole range), with the counts behind them."""

    start: date
    links_sent: int = 0
    links_answered: int = 0
    responses: int = 0
    satisfied: int = 0  # overall 4–5
    promoters: int = 0  # recommend 9–10
    detractors: int = 0  # recommend 0–6
    area_sums: dict[str, int] = field(default_factory=dict)
    area_counts: dict[str, int] = field(default_factory=dict)

    @property
    def response_rate(self) -> float | None:
        """Share of the links sent in the period that were answered (%)."""
        return 100 * self.links_answered / self.links_sent if self.links_sent else None

    @property
    def csat(self) -> float | None:
        """Share of overall scores of 4–5 (%)."""
        return 100 * self.satisfied / self.responses if self.responses else None

    @property
    def nps(self) -> float | None:
        """% promoters (9–10) minus % detractors (0–6), from −100 to 100."""
        if not self.responses:
            return None
        return 100 * (self.promoters - self.detractors) / self.responses

    @property
    def areas(self) -> list[tuple[str, float | None, int]]:
        """(area, average, how many rated it) in the survey's order."""
        out = []
        for area in AREAS:
            n = self.area_counts.get(area, 0)
            out.append((area, self.area_sums.get(area, 0) / n if n else None, n))
        return out

    def add(self, other: VoiceFigures) -> None:
        for name in (
            "links_sent",
            "links_answered",
            "responses",
            "satisfied",
            "promoters",
            "detractors",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for area in AREAS:
            self.area_sums[area] = self.area_sums.get(area, 0) + other.area_sums.get(area, 0)
            self.area_counts[area] = self.area_counts.get(area, 0) + other.area_counts.get(area, 0)


@dataclass
class GuestVoice:
    start: date
    end: date
    period: str
    periods: list[VoiceFigures]
    total: VoiceFigures


def period_start(day: date, period: str) -> date:
    if period == "month":
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())  # weeks start on Monday (as PostgreSQL's)


def _next(start: date, period: str) -> date:
    if period == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7)


def guest_voice(*, start: date, end: date, period: str = "week") -> GuestVoice:
    """Response rate, CSAT, NPS and the area averages for each week or month from `start` to
    `end` (whole days in the hotel's time zone, both included), and for the whole range."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}")
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    buckets: dict[date, VoiceFigures] = {}
    day = period_start(start, period)
    while day <= end:
        buckets[day] = VoiceFigures(start=day)
        day = _next(day, period)

    def bucket_of(value) -> VoiceFigures:
        return buckets[timezone.localtime(value, zone).date()]

    answers = (
        SurveyResponse.objects.filter(submitted_at__gte=since, submitted_at__lt=until)
        .annotate(bucket=Trunc("submitted_at", period, tzinfo=zone))
        .values("bucket")
        .annotate(
            n=Count("id"),
            satisfied=Count("id", filter=Q(overall__gte=4)),
            promoters=Count("id", filter=Q(recommend__gte=9)),
            detractors=Count("id", filter=Q(recommend__lte=6)),
            **{f"{a}_sum": Sum(a) for a in AREAS},
            **{f"{a}_n": Count(a) for a in AREAS},
        )
        .order_by()
    )
    for row in answers:
        figures = bucket_of(row["bucket"])
        figures.responses = row["n"]
        figures.satisfied = row["satisfied"]
        figures.promoters = row["promoters"]
        figures.detractors = row["detractors"]
        figures.area_sums = {a: row[f"{a}_sum"] or 0 for a in AREAS}
        figures.area_counts = {a: row[f"{a}_n"] for a in AREAS}
    links = (
        SurveyLink.objects.filter(sent_at__gte=since, sent_at__lt=until)
        .annotate(bucket=Trunc("sent_at", period, tzinfo=zone))
        .values("bucket")
        .annotate(sent=Count("id"), answered=Count("id", filter=Q(responded_at__isnull=False)))
        .order_by()
    )
    for row in links:
        figures = bucket_of(row["bucket"])
        figures.links_sent, figures.links_answered = row["sent"], row["answered"]
    total = VoiceFigures(start=start)
    for figures in buckets.values():
        total.add(figures)
    return GuestVoice(
        start=start, end=end, period=period, periods=list(buckets.values()), total=total
    )
