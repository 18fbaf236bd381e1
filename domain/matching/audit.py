"""The bias audit of a matching run: outcomes per self-reported group, aggregates of at least 5 people only.

For each dimension (gender, ethnicity, age band, generation) and role, every group of at least
`MIN_GROUP` participants gets its match rate, mean score, share of cross-department matches, mean
seniority gap and adverse-impact ratio (its match rate over the best-off group's), flagged below the
four-fifths rule. Which groups are shown is decided by the one suppression rule of
domain/analytics/suppression.py: a smaller group is suppressed, and so are the groups whose figures,
beside the cohort's public totals, would give the few others away by subtraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.analytics.adverse_impact import FOUR_FIFTHS, impact_ratios
from domain.analytics.suppression import MIN_GROUP, suppressed_groups

__all__ = ["DIMENSIONS", "FOUR_FIFTHS", "MIN_GROUP", "AuditReport", "DimensionSummary", "GroupRow", "Outcome", "audit"]

DIMENSIONS = ("gender", "ethnicity", "age_band", "generation")


@dataclass(frozen=True)
class Outcome:
    """One participant's result; `groups` is their self-reported value per dimension (None: not given)."""

    role: str
    groups: Mapping[str, str | None]
    matched: bool
    score: int | None = None
    cross_department: bool = False
    seniority_gap: int | None = None


@dataclass(frozen=True)
class GroupRow:
    dimension: str
    role: str
    group: str
    size: int
    match_rate: float
    mean_score: float | None
    cross_department_share: float | None
    mean_seniority_gap: float | None
    impact_ratio: float
    flagged: bool


@dataclass(frozen=True)
class DimensionSummary:
    dimension: str
    role: str
    reported_groups: int
    suppressed_groups: int


@dataclass(frozen=True)
class AuditReport:
    groups: list[GroupRow]
    dimensions: list[DimensionSummary]

    @property
    def flagged(self) -> list[GroupRow]:
        return [row for row in self.groups if row.flagged]


def _mean(values: Sequence[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def audit(outcomes: Sequence[Outcome]) -> AuditReport:
    rows: list[GroupRow] = []
    summaries: list[DimensionSummary] = []
    by_role: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_role[outcome.role].append(outcome)
    for role in sorted(by_role):
        people = by_role[role]
        for dimension in DIMENSIONS:
            members: dict[str, list[Outcome]] = defaultdict(list)
            for outcome in people:
                value = outcome.groups.get(dimension)
                if value is not None:
                    members[value].append(outcome)
            # Those who did not say count among the hidden: the role's total would reveal them otherwise.
            unreported = len(people) - sum(len(group) for group in members.values())
            hidden = suppressed_groups({g: len(o) for g, o in members.items()}, unreported=unreported)
            shown = {group: outcomes for group, outcomes in members.items() if group not in hidden}
            summaries.append(DimensionSummary(dimension, role, len(shown), len(members) - len(shown)))
            rates = {group: sum(o.matched for o in outcomes) / len(outcomes) for group, outcomes in shown.items()}
            ratios = impact_ratios(rates)
            for group in sorted(shown):
                matched = [o for o in shown[group] if o.matched]
                ratio, flagged = ratios[group]
                rows.append(
                    GroupRow(
                        dimension=dimension,
                        role=role,
                        group=group,
                        size=len(shown[group]),
                        match_rate=round(rates[group], 4),
                        mean_score=_mean([o.score for o in matched if o.score is not None]),
                        cross_department_share=_mean([float(o.cross_department) for o in matched]),
                        mean_seniority_gap=_mean([o.seniority_gap for o in matched if o.seniority_gap is not None]),
                        impact_ratio=ratio,
                        flagged=flagged,
                    )
                )
    return AuditReport(groups=rows, dimensions=summaries)
