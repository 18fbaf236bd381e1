"""The bias audit of a matching run: outcomes per self-reported group, aggregates of at least 5 people only.

For each dimension (gender, ethnicity, age band, generation) and role, every group of at least
`MIN_GROUP` participants gets its match rate, mean score, share of cross-department matches, mean
seniority gap and adverse-impact ratio (its match rate over the best-off group's), flagged below the
four-fifths rule. A smaller group is suppressed, and so is a group whose complement is smaller:
with the cohort's totals public, its figures would give away the few others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

MIN_GROUP = 5
FOUR_FIFTHS = 0.8
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
            shown = {
                group: outcomes
                for group, outcomes in members.items()
                if len(outcomes) >= MIN_GROUP and len(people) - len(outcomes) >= MIN_GROUP
            }
            summaries.append(DimensionSummary(dimension, role, len(shown), len(members) - len(shown)))
            rates = {group: sum(o.matched for o in outcomes) / len(outcomes) for group, outcomes in shown.items()}
            best = max(rates.values(), default=0.0)
            for group in sorted(shown):
                matched = [o for o in shown[group] if o.matched]
                ratio = rates[group] / best if best else 1.0
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
                        impact_ratio=round(ratio, 4),
                        flagged=ratio < FOUR_FIFTHS,
                    )
                )
    return AuditReport(groups=rows, dimensions=summaries)
