"""The nightly valuation: every guest's and company's figures, scores and segment, in SQL.

Three statements for the guests (upsert the figures, score and segment, drop rows no longer
valued) and three for the companies, whatever their number: no Python loop over guests. How
the figures are defined (README, "Guest value"):

- Only stays that have ended count (departure on or before today); erased guests are not valued.
- Scores 1–5 by quintile over the valued guests (R: fewer days since the last departure is
  better; F: more stays; M: more spend). Ties share a score: a guest's score is set by the
  position of the first guest with the same value (1 + ⌊5 × percent_rank⌋, at most 5), so two
  guests with equal figures never land in different quintiles.
- Projected value (next 12 months): what the guest spent over the last two years, per year of
  that time they have been a guest (at least one year): "if they keep coming as they did".
- Usual interval: the median of the days between a stay's departure and the next arrival, for
  guests with three stays or more. The churn radar (retention.services.radar) reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from retention.segments import segment_case_sql

FIGURES = """
    count(*) AS stays,
    sum(s.departure - s.arrival) AS nights,
    min(s.arrival) AS first_arrival,
    max(s.departure) AS last_departure,
    %(today)s - max(s.departure) AS recency_days,
    sum(s.spend) AS spend_total,
    sum(s.spend_room) AS spend_room,
    sum(s.spend_fb) AS spend_fb,
    sum(s.spend_other) AS spend_other,
    coalesce(sum(s.spend) FILTER (WHERE s.departure > %(today)s - 365), 0) AS spend_last_year,
    coalesce(sum(s.spend) FILTER (
        WHERE s.departure > %(today)s - 730 AND s.departure <= %(today)s - 365), 0
    ) AS spend_year_before,
    round(coalesce(sum(s.spend) FILTER (WHERE s.departure > %(today)s - 730), 0) * 365
        / greatest(365, least(730, %(today)s - min(s.arrival))), 2) AS projected_value
"""
FIGURE_COLUMNS = (
    "stays, nights, first_arrival, last_departure, recency_days, spend_total, spend_room, "
    "spend_fb, spend_other, spend_last_year, spend_year_before, projected_value"
)
# {one}: "" for everyone, or narrowing to one guest (AND … = %(guest_id)s)
ENDED_STAYS = """
    SELECT st.id, st.guest_id, g.company_id, st.arrival, st.departure,
           st.spend_room, st.spend_fb, st.spend_other,
           st.spend_room + st.spend_fb + st.spend_other AS spend
    FROM guests_stay st JOIN guests_guest g ON g.id = st.guest_id AND g.erased_at IS NULL
    WHERE st.departure <= %(today)s {one}
"""


def _update_set(columns: str) -> str:
    return ", ".join(f"{c} = EXCLUDED.{c}" for c in (c.strip() for c in columns.split(",")))


# Scores by quintile over the rows of `figures` (ties share the score of the first of them);
# a guest refreshed alone keeps NULLs here and is placed against the others afterwards.
SCORES = """
    least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY recency_days DESC)))::int AS r,
    least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY stays)))::int AS f,
    least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY spend_total)))::int AS m
"""
NO_SCORES = "NULL::int AS r, NULL::int AS f, NULL::int AS m"
SCORE_COLUMNS = "r_score, f_score, m_score, segment"


def _scored_insert(*, table: str, key: str, extra: str, one: bool) -> str:
    """INSERT … SELECT from the `figures` CTE with scores and segment: one write per row."""
    scores = NO_SCORES if one else SCORES
    segment = "''" if one else segment_case_sql()
    return f"""
, scored AS (SELECT figures.*, {scores} FROM figures)
INSERT INTO {table} ({key}, {FIGURE_COLUMNS}, {extra}, {SCORE_COLUMNS}, computed_at)
SELECT sc.{key}, {FIGURE_COLUMNS}, {{extra_values}}, r, f, m, {segment}, %(now)s
FROM scored sc {{joins}}
ON CONFLICT ({key}) DO UPDATE SET {_update_set(FIGURE_COLUMNS)}, {_update_set(extra)},
    {_update_set(SCORE_COLUMNS)}, computed_at = EXCLUDED.computed_at
"""


def guests_upsert_sql(*, one: bool = False) -> str:
    """Every guest's figures, scores and segment (or, one=True, %(guest_id)s's figures)."""
    only = "AND st.guest_id = %(guest_id)s" if one else ""
    upcoming_only = "AND guest_id = %(guest_id)s" if one else ""
    insert = _scored_insert(
        table="retention_guestvalue", key="guest_id", extra="usual_gap_days, at_risk", one=one
    )
    return f"""
WITH s AS (
    SELECT e.*, e.arrival - lag(e.departure) OVER (
        PARTITION BY e.guest_id ORDER BY e.arrival, e.id) AS gap
    FROM ({ENDED_STAYS.format(one=only)}) e
), upcoming AS (
    SELECT DISTINCT guest_id FROM guests_stay WHERE departure > %(today)s {upcoming_only}
), figures AS (
    SELECT s.guest_id, {FIGURES},
        CASE WHEN count(*) >= 3 THEN round(percentile_cont(0.5) WITHIN GROUP (
            ORDER BY greatest(s.gap, 0)) FILTER (WHERE s.gap IS NOT NULL))::int
        END AS usual_gap_days
    FROM s GROUP BY s.guest_id
)""" + insert.format(
        extra_values="""sc.usual_gap_days,
    (sc.usual_gap_days IS NOT NULL AND u.guest_id IS NULL
     AND sc.recency_days >= %(min_days)s
     AND sc.recency_days > %(factor)s * sc.usual_gap_days)""",
        joins="LEFT JOIN upcoming u ON u.guest_id = sc.guest_id",
    )


COMPANIES_UPSERT = f"""
WITH s AS ({ENDED_STAYS.format(one="AND g.company_id IS NOT NULL")}),
figures AS (
    SELECT s.company_id, {FIGURES},
        count(DISTINCT s.guest_id) AS guests,
        max(s.departure) FILTER (WHERE s.spend > 0) AS last_spend_on
    FROM s GROUP BY s.company_id
)""" + _scored_insert(
    table="retention_companyvalue",
    key="company_id",
    extra="guests, last_spend_on, at_risk",
    one=False,
).format(
    extra_values="""sc.guests, sc.last_spend_on,
    (sc.last_spend_on IS NOT NULL AND %(today)s - sc.last_spend_on > %(company_days)s)""",
    joins="",
)


@dataclass(frozen=True)
class ValuationRun:
    guests: int
    companies: int
    at_risk_guests: int
    at_risk_companies: int


def _params(today: date) -> dict:
    return {
        "today": today,
        "now": timezone.now(),
        "factor": settings.CHURN_INTERVAL_FACTOR,
        "min_days": settings.CHURN_MIN_DAYS,
        "company_days": settings.CHURN_COMPANY_DAYS,
    }


@transaction.atomic
def values_refresh(*, today: date) -> ValuationRun:
    """Recompute every guest's and company's value, scores and segment as of `today`."""
    params = _params(today)
    counts = []
    with connection.cursor() as cursor:
        for table, upsert in (
            ("retention_guestvalue", guests_upsert_sql()),
            ("retention_companyvalue", COMPANIES_UPSERT),
        ):
            cursor.execute(upsert, params)
            valued = cursor.rowcount
            # no ended stay any more (erased, stays moved away): no value, no segment
            cursor.execute(f"DELETE FROM {table} WHERE computed_at <> %(now)s", params)
            cursor.execute(f"SELECT count(*) FROM {table} WHERE at_risk", params)
            counts.append((valued, cursor.fetchone()[0]))
    (guests, risky_guests), (companies, risky_companies) = counts
    return ValuationRun(guests, companies, risky_guests, risky_companies)


@transaction.atomic
def guest_value_refresh(*, guest_id: int, today: date) -> None:
    """One guest's figures now (the card's "recompute"); scores keep the nightly quintiles.

    The guest's scores are placed against the others' current figures, so they read the same
    as if the nightly run had just run, without re-ranking every guest.
    """
    params = {**_params(today), "guest_id": guest_id}
    with connection.cursor() as cursor:
        cursor.execute(guests_upsert_sql(one=True), params)
        if not cursor.rowcount:
            cursor.execute("DELETE FROM retention_guestvalue WHERE guest_id = %(guest_id)s", params)
            return
        cursor.execute(
            f"""
            UPDATE retention_guestvalue v SET r_score = q.r, f_score = q.f, m_score = q.m,
                segment = q.segment
            FROM (SELECT r, f, m, {segment_case_sql()} AS segment FROM (
                SELECT {_place("recency_days", "<")} AS r,
                       {_place("stays", ">")} AS f,
                       {_place("spend_total", ">")} AS m
                FROM retention_guestvalue me WHERE me.guest_id = %(guest_id)s) placed) q
            WHERE v.guest_id = %(guest_id)s
            """,
            params,
        )


def _place(column: str, better: str) -> str:
    """The 1–5 score of this guest's `column` among the others (ties as in the nightly run)."""
    worse = ">" if better == "<" else "<"
    return f"""least(5, 1 + floor(5 * (
        SELECT count(*) FILTER (WHERE o.{column} {worse} me.{column})::numeric
               / greatest(count(*) - 1, 1)
        FROM retention_guestvalue o)))::int"""
