"""The segment rules: one table, read by the nightly SQL and by the help page alike.

Scores are 1–5 (5 best): recency R (how lately), frequency F (how often), monetary M (how much),
each by quintile over the hotel's active guests (retention.services.valuation). A guest takes
the first rule that matches, top to bottom; the table covers every combination, so every scored
guest has a segment. Guests with no ended stay are not scored and have no segment.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from retention.models import Segment


@dataclass(frozen=True)
class Rule:
    segment: Segment
    r: tuple[int, int]  # inclusive range of the recency score
    f: tuple[int, int]
    m: tuple[int, int]
    meaning: object  # what it means for the hotel, translated

    def sql(self) -> str:
        parts = [
            f"{column} BETWEEN {low} AND {high}"
            for column, (low, high) in (("r", self.r), ("f", self.f), ("m", self.m))
            if (low, high) != (1, 5)
        ]
        return " AND ".join(parts) or "TRUE"

    def matches(self, r: int, f: int, m: int) -> bool:
        return all(
            low <= score <= high for score, (low, high) in ((r, self.r), (f, self.f), (m, self.m))
        )


ANY = (1, 5)
RULES: tuple[Rule, ...] = (
    Rule(Segment.CHAMPIONS, (4, 5), (4, 5), (4, 5), _("Came lately, come often, spend most.")),
    Rule(Segment.LOYAL, (3, 5), (3, 5), ANY, _("Come often and not long ago.")),
    Rule(Segment.NEW, (4, 5), (1, 1), ANY, _("First stay, lately.")),
    Rule(Segment.PROMISING, (4, 5), (2, 2), ANY, _("Came lately, a few times so far.")),
    Rule(
        Segment.CANT_LOSE,
        (1, 2),
        (4, 5),
        (4, 5),
        _("Were among the best, have not come for a long time."),
    ),
    Rule(Segment.AT_RISK, (1, 2), (3, 5), ANY, _("Came often, not lately.")),
    Rule(Segment.NEEDS_ATTENTION, (3, 3), (1, 2), ANY, _("Neither lately nor often.")),
    Rule(Segment.HIBERNATING, (2, 2), (1, 2), ANY, _("Few stays, long ago.")),
    Rule(Segment.LOST, (1, 1), (1, 2), ANY, _("Few stays, longest ago.")),
)


def segment_of(r: int, f: int, m: int) -> Segment:
    """The segment for one set of scores (the same answer as the nightly SQL)."""
    for rule in RULES:
        if rule.matches(r, f, m):
            return rule.segment
    raise AssertionError(f"no segment rule covers R{r} F{f} M{m}")


def segment_case_sql() -> str:
    """CASE … END choosing the segment from columns r, f, m (first rule that matches)."""
    whens = " ".join(f"WHEN {rule.sql()} THEN '{rule.segment.value}'" for rule in RULES)
    return f"CASE {whens} END"
