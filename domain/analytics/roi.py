"""programRoi: the guide's business case, computed rather than asserted.

Over the whole calendar quarters the period touches, participants' turnover is set against that of comparable
non-participants (employed on the first day, not in the program, at a level someone who ever took part in
it holds: a set no choice of period moves). The turnover the
program avoided, (comparison rate - participants' rate) x participants, is valued per level at the
replacement cost an admin assumes (a share, 50-200%, of that level's average annual salary; never a
person's), and set against the program's costs over the period: coordination, training, platform and the
hours mentors spent in held meetings. Every assumption is echoed with the answer, and every figure about
people is withheld when either group has fewer than 5. Turnover and mentor hours are the same figures as
programInsights' retention and mentor-hours totals, under the same defence against differencing
(quarterly.py): two overlapping periods never differ by one leaver or one mentor's meetings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from domain.access import Viewer
from domain.analytics import program_figures as figures
from domain.analytics.access import require_program_reader
from domain.analytics.equity import whole_quarters
from domain.analytics.facts import ProgramFacts
from domain.analytics.loading import load_program
from domain.analytics.period import Period
from domain.analytics.quarterly import NON_PARTICIPANTS, PARTICIPANTS, mentor_hours_total, retention
from domain.analytics.suppression import is_small
from domain.errors import ValidationFailed
from domain.people.validation import MAX_LEVEL

DAYS_PER_YEAR = 365  # annual costs are spread per day of a 365-day year
REPLACEMENT_SHARE = (50.0, 200.0)  # the guide: 50-200% of annual salary
MAX_MONEY = 1e12
MAX_FTE = 1000.0


@dataclass(frozen=True)
class LevelCost:
    level: int
    average_annual_salary: float
    replacement_cost_percent: float

    @property
    def replacement_cost(self) -> float:
        return self.average_annual_salary * self.replacement_cost_percent / 100


@dataclass(frozen=True)
class RoiAssumptions:
    levels: tuple[LevelCost, ...]
    coordination_fte: float = 0.0
    coordinator_annual_cost: float = 0.0
    training_cost: float = 0.0
    platform_annual_cost: float = 0.0
    mentor_hourly_cost: float = 0.0

    def checked(self) -> RoiAssumptions:
        """Out-of-range assumptions are ValidationFailed naming the field; nothing is computed from them."""
        if not self.levels:
            raise ValidationFailed(
                "Give the average salary and replacement cost of at least one level.", field="assumptions.levels"
            )
        seen: set[int] = set()
        for index, level in enumerate(self.levels):
            where = f"assumptions.levels[{index}]"
            if not 1 <= level.level <= MAX_LEVEL:
                raise ValidationFailed(f"A level is from 1 to {MAX_LEVEL}.", field=f"{where}.level")
            if level.level in seen:
                raise ValidationFailed(f"Level {level.level} is given twice.", field=f"{where}.level")
            seen.add(level.level)
            _money(level.average_annual_salary, f"{where}.average_annual_salary", positive=True)
            low, high = REPLACEMENT_SHARE
            if not low <= level.replacement_cost_percent <= high:
                raise ValidationFailed(
                    f"Replacement cost is {low:g}-{high:g}% of annual salary.",
                    field=f"{where}.replacement_cost_percent",
                )
        if not 0 <= self.coordination_fte <= MAX_FTE:
            raise ValidationFailed(f"Coordination is 0 to {MAX_FTE:g} FTE.", field="assumptions.coordination_fte")
        _money(self.coordinator_annual_cost, "assumptions.coordinator_annual_cost")
        _money(self.training_cost, "assumptions.training_cost")
        _money(self.platform_annual_cost, "assumptions.platform_annual_cost")
        _money(self.mentor_hourly_cost, "assumptions.mentor_hourly_cost")
        return self


def _money(value: float, field: str, *, positive: bool = False) -> None:
    if not (value > 0 if positive else value >= 0) or value > MAX_MONEY:
        floor = "more than 0" if positive else "0 or more"
        raise ValidationFailed(f"An amount is {floor} and at most {MAX_MONEY:,.0f}.", field=field)


@dataclass(frozen=True)
class Turnover:
    people: int | None  # employed on the first day
    leavers: int | None
    rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class Costs:
    coordination: float
    training: float
    platform: float
    # None when the mentor-hours total is withheld (and mentor time, unless an hour costs nothing).
    mentor_hours: float | None
    mentor_time: float | None

    @property
    def total(self) -> float | None:
        if self.mentor_time is None:
            return None
        return round(self.coordination + self.training + self.platform + self.mentor_time, 2)


@dataclass(frozen=True)
class ProgramRoi:
    program_id: int
    period: Period
    assumptions: RoiAssumptions
    participants: Turnover
    comparison: Turnover
    avoided_leavers: float | None
    savings: float | None
    costs: Costs
    net_benefit: float | None
    roi: float | None  # net benefit over costs; None when withheld or when nothing was spent
    unpriced_levels: tuple[int | None, ...]


def ever_took_part(facts: ProgramFacts) -> set[int]:
    """Everyone enrolled in the program (and let in) or a member of one of its relationships, at any time."""
    enrolled = {e.person_id for e in facts.enrollments if e.status in figures.JOINED}
    return enrolled | {p for r in facts.relationships for p in r.people()}


def _costs(facts: ProgramFacts, quarters: Period, assumptions: RoiAssumptions) -> Costs:
    years = quarters.days / DAYS_PER_YEAR
    hours = mentor_hours_total(facts, quarters).hours
    if hours is not None:
        mentor_time = round(hours * assumptions.mentor_hourly_cost, 2)
    else:
        mentor_time = 0.0 if assumptions.mentor_hourly_cost == 0 else None
    return Costs(
        coordination=round(assumptions.coordination_fte * assumptions.coordinator_annual_cost * years, 2),
        training=round(assumptions.training_cost, 2),
        platform=round(assumptions.platform_annual_cost * years, 2),
        mentor_hours=hours,
        mentor_time=mentor_time,
    )


def roi_figures(facts: ProgramFacts, period: Period, assumptions: RoiAssumptions, program_id: int = 0) -> ProgramRoi:
    """The business case over the whole quarters `period` touches (the answer's period)."""
    quarters = whole_quarters(period)
    levels = {facts.people[p].level for p in ever_took_part(facts) if p in facts.people}
    stayed = retention(facts, quarters, compared=lambda person: person.level in levels)
    taking_part, comparable = stayed.members[PARTICIPANTS], stayed.members[NON_PARTICIPANTS]
    costs = _costs(facts, quarters, assumptions)
    cost_of = {level.level: level.replacement_cost for level in assumptions.levels}
    held = {facts.people[p].level for p in taking_part}
    unpriced = tuple(sorted(held - set(cost_of), key=lambda level: (level is None, level or 0)))
    n, m = len(taking_part), len(comparable)
    left, m_left = n - len(taking_part & stayed.stayed), m - len(comparable & stayed.stayed)
    if stayed.hidden or is_small(n) or is_small(m) or not n or not m:
        hidden = Turnover(None, None, None, True)
        return ProgramRoi(program_id, quarters, assumptions, hidden, hidden, None, None, costs, None, None, unpriced)
    gap = m_left / m - left / n
    # Avoided leavers are spread over the participants' levels in proportion to how many hold each;
    # a level without an assumed cost is valued at the mean of those given.
    mean_cost = sum(cost_of.values()) / len(cost_of)
    per_level = Counter(facts.people[p].level for p in taking_part)
    savings = sum(gap * count * cost_of.get(level, mean_cost) for level, count in per_level.items())
    net = None if costs.total is None else savings - costs.total
    return ProgramRoi(
        program_id=program_id,
        period=quarters,
        assumptions=assumptions,
        participants=Turnover(n, left, figures.rate(left, n), False),
        comparison=Turnover(m, m_left, figures.rate(m_left, m), False),
        avoided_leavers=round(gap * n, 2),
        savings=round(savings, 2),
        costs=costs,
        net_benefit=None if net is None else round(net, 2),
        roi=round(net / costs.total, 4) if net is not None and costs.total else None,
        unpriced_levels=unpriced,
    )


async def program_roi(viewer: Viewer, *, program_id: int, period: Period, assumptions: RoiAssumptions) -> ProgramRoi:
    """For analysts, admins and the program's coordinators; reads only, writes nothing."""
    await require_program_reader(viewer, program_id)
    assumptions = assumptions.checked()
    facts = await load_program(program_id, whole_quarters(period))
    return roi_figures(facts, period, assumptions, program_id)
