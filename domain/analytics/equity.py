"""The equity report: a program's outcomes per self-reported group, so coordinators see whether it reinforces
existing inequities (the guide's "audit outcomes by demographic group").

For each dimension (gender, ethnicity, age band, generation) and group, over whole calendar quarters:
- participation: of those employed in the period, how many took part in the program;
- match rate: of those who enrolled in the period, how many were in a relationship by its end;
- time to first meeting: median days from a relationship's start in the period to its first held meeting;
- goal completion: of the goals set in the period (dropped ones aside), how many were achieved by its end;
- satisfaction: of the pulse ratings given in the period on named surveys, the share of 4 or 5 (anonymous
  answers carry no link to anyone, so no group can be told apart in them).

Each figure is flagged by the four-fifths rule against the best-off group (for time to first meeting, the
fastest group's median over this group's). Groups go through the one suppression rule: fewer than 5 people,
or a figure a total would give away by subtraction, is suppressed. Against differencing, the people whose
place in a figure changed (they arrived, left, enrolled, met, answered...) are counted per quarter: where
1 to 4 changed in a quarter of the period, that figure is withheld from every group, and otherwise each
quarter's changes are suppressed like a breakdown of their own. Two overlapping periods (always whole
quarters) then never differ by fewer than five people of any group.
"""

from __future__ import annotations

import calendar
import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from domain.access import Viewer
from domain.analytics.access import require_program_reader
from domain.analytics.adverse_impact import impact_ratios
from domain.analytics.facts import PersonFacts, ProgramFacts
from domain.analytics.loading import load_program
from domain.analytics.period import Period
from domain.analytics.program_figures import (
    JOINED,
    employed_during,
    first_met_by_end,
    participants,
    rate,
    running_in,
    started_in,
)
from domain.analytics.suppression import suppressed_by_blocks

DIMENSIONS = ("gender", "ethnicity", "age_band", "generation")
MEASURES = ("participation", "match_rate", "time_to_first_meeting", "goal_completion", "satisfaction")
NOT_SAID = frozenset({None, "", "PREFER_NOT_TO_SAY"})
SATISFIED = 4  # a pulse rating of 4 or 5


@dataclass(frozen=True)
class Measure:
    """One figure of one group: `people` counted, `count` of `of`, and its `value` (a rate, or days); every
    number None when suppressed."""

    people: int | None
    of: int | None
    count: int | None
    value: float | None
    impact_ratio: float | None
    flagged: bool
    suppressed: bool


HIDDEN = Measure(None, None, None, None, None, False, True)


@dataclass(frozen=True)
class EquityGroup:
    group: str
    measures: dict[str, Measure]


@dataclass(frozen=True)
class EquityDimension:
    dimension: str
    groups: list[EquityGroup]
    # Groups with every figure suppressed: neither named nor counted in `groups`.
    suppressed_groups: int


@dataclass(frozen=True)
class EquityReport:
    program_id: int
    period: Period
    dimensions: list[EquityDimension]


def whole_quarters(period: Period) -> Period:
    """The calendar quarters the period touches, whole: answers differ by whole quarters, never by a day's
    or a month's few arrivals."""
    start = datetime.date(period.start.year, quarter_of(period.start).month, 1)
    last_month = quarter_of(period.end).month + 2
    end = datetime.date(period.end.year, last_month, calendar.monthrange(period.end.year, last_month)[1])
    return Period(start, end)


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the day's calendar quarter."""
    return datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class Tally:
    """The people one figure counts (whole) and those of them it counts in (part), each with the quarters
    (and kinds of change) in which their place in it changed during the period."""

    whole: set[int] = field(default_factory=set)
    part: set[int] = field(default_factory=set)
    changes: dict[int, set[Hashable]] = field(default_factory=lambda: defaultdict(set))
    part_changes: dict[int, set[Hashable]] = field(default_factory=lambda: defaultdict(set))

    def changed(self, person: int, kind: str, when, period: Period, *, part: bool = False) -> None:
        """Notes that `person` entered or left the figure on `when`, if that falls in the period."""
        day = when.date() if isinstance(when, datetime.datetime) else when
        if day is not None and period.start <= day <= period.end:
            (self.part_changes if part else self.changes)[person].add((kind, quarter_of(day)))


def participation_tally(facts: ProgramFacts, period: Period) -> Tally:
    tally = Tally()
    joined = participants(facts, period)
    for person in employed_during(facts.people.values(), period):
        tally.whole.add(person.id)
        tally.changed(person.id, "joined", person.joined_on, period)
        tally.changed(person.id, "left", person.left_on, period)
        if person.id in joined:
            tally.part.add(person.id)
    for enrollment in facts.enrollments:
        if enrollment.person_id in tally.part and enrollment.status in JOINED:
            tally.changed(enrollment.person_id, "enrolled", enrollment.created_at, period, part=True)
    for relationship in facts.relationships:
        if running_in(relationship, period):
            for person in set(relationship.people()) & tally.part:
                tally.changed(person, "started", relationship.started_at, period, part=True)
                tally.changed(person, "ended", relationship.ended_at, period, part=True)
    return tally


def _match_rate(facts: ProgramFacts, period: Period) -> Tally:
    tally = Tally()
    for enrollment in facts.enrollments:
        if enrollment.status != "WITHDRAWN" and period.contains(enrollment.created_at):
            tally.whole.add(enrollment.person_id)
            tally.changed(enrollment.person_id, "enrolled", enrollment.created_at, period)
    first_start: dict[int, datetime.datetime] = {}
    for relationship in facts.relationships:
        if relationship.started_at is not None and relationship.started_at < period.ends_at:
            for person in relationship.people():
                if person not in first_start or relationship.started_at < first_start[person]:
                    first_start[person] = relationship.started_at
    for person in tally.whole & set(first_start):
        tally.part.add(person)
        tally.changed(person, "matched", first_start[person], period, part=True)
    return tally


def _time_to_first_meeting(facts: ProgramFacts, period: Period) -> tuple[Tally, dict[int, list[float]]]:
    tally, days = Tally(), defaultdict(list)
    first = first_met_by_end(facts, period)
    for relationship in started_in(facts, period):
        met = first.get(relationship.id)
        for person in relationship.people():
            tally.whole.add(person)
            tally.changed(person, "started", relationship.started_at, period)
            if met is not None:
                tally.part.add(person)
                tally.changed(person, "met", met, period, part=True)
                days[person].append((met - relationship.started_at).total_seconds() / 86400)
    return tally, days


def _goal_completion(facts: ProgramFacts, period: Period) -> tuple[Tally, dict[int, list[bool]]]:
    tally, achieved = Tally(), defaultdict(list)
    for goal in facts.goals:
        if goal.status == "DROPPED" or not period.contains(goal.created_at):
            continue
        done = goal.achieved_at is not None and goal.achieved_at < period.ends_at
        tally.whole.add(goal.owner_id)
        tally.changed(goal.owner_id, "set", goal.created_at, period)
        achieved[goal.owner_id].append(done)
        if done:
            tally.part.add(goal.owner_id)
            tally.changed(goal.owner_id, "achieved", goal.achieved_at, period, part=True)
    return tally, achieved


def _satisfaction(facts: ProgramFacts, period: Period) -> tuple[Tally, dict[int, list[bool]]]:
    tally, satisfied = Tally(), defaultdict(list)
    for pulse in facts.pulses:
        if pulse.respondent_id is None or not period.start <= pulse.month <= period.end:
            continue
        tally.whole.add(pulse.respondent_id)
        tally.changed(pulse.respondent_id, "answered", pulse.month, period)
        satisfied[pulse.respondent_id].append(pulse.rating >= SATISFIED)
        if pulse.rating >= SATISFIED:
            tally.part.add(pulse.respondent_id)
            tally.changed(pulse.respondent_id, "satisfied", pulse.month, period, part=True)
    return tally, satisfied


def group_of(dimension: str, people: Mapping[int, PersonFacts]) -> Callable[[int], str | None]:
    """Each person's self-reported group in the dimension (None: not said), looked up once per report."""
    groups = {}
    for person_id, person in people.items():
        value = getattr(person, dimension)
        if value not in NOT_SAID:
            groups[person_id] = str(value).strip() or None
    return groups.get


def hidden_groups(tally: Tally, group: Callable[[int], str | None], *, private_membership: bool = True) -> set[str]:
    """The groups whose figure over `tally` is withheld: small groups, their complements, and every group where
    a quarter changed 1 to 4 of its people. `private_membership` is False for public groups (department, level)."""
    # Membership of the population is what is private; a part (the matched, the promoted) that falls in one
    # group is the disparity this report exists to show.
    whole = suppressed_by_blocks(
        {p: group(p) for p in tally.whole}, tally.changes, private_membership=private_membership
    )
    part = suppressed_by_blocks({p: group(p) for p in tally.part}, tally.part_changes, private_membership=False)
    return whole | part


def rate_values(tally: Tally, members: dict[str, set[int]], items: Mapping[int, list] | None):
    """Per group: (people, of, count, value) where value is count/of; items per person when they are not people."""
    values = {}
    for group, people in members.items():
        if items is None:
            of, count = len(people), len(people & tally.part)
        else:
            flags = [flag for person in people for flag in items.get(person, ())]
            of, count = len(flags), sum(flags)
        values[group] = (len(people), of, count, rate(count, of))
    return values


def measures_by_group(
    tally: Tally,
    group: Callable[[int], str | None],
    values: dict[str, tuple[int, int, int, float | None]],
    *,
    lower_is_better: bool = False,
) -> dict[str, Measure]:
    hidden = hidden_groups(tally, group)
    ratios = impact_ratios({g: v[3] for g, v in values.items() if g not in hidden}, lower_is_better=lower_is_better)
    measures = {}
    for g, (people, of, count, value) in values.items():
        if g in hidden:
            measures[g] = HIDDEN
        else:
            ratio, flagged = ratios[g]
            measures[g] = Measure(people, of, count, value, ratio, flagged, False)
    return measures


def members_by_group(people: Iterable[int], group: Callable[[int], str | None]) -> dict[str, set[int]]:
    members: dict[str, set[int]] = defaultdict(set)
    for person in people:
        value = group(person)
        if value is not None:
            members[value].add(person)
    return dict(members)


def equity_dimensions(facts: ProgramFacts, period: Period) -> list[EquityDimension]:
    participation = participation_tally(facts, period)
    matching = _match_rate(facts, period)
    meeting, days = _time_to_first_meeting(facts, period)
    goals, achieved = _goal_completion(facts, period)
    surveys, satisfied = _satisfaction(facts, period)
    dimensions = []
    for dimension in DIMENSIONS:
        group = group_of(dimension, facts.people)
        figures = rate_figures(
            {
                "participation": (participation, None),
                "match_rate": (matching, None),
                "goal_completion": (goals, achieved),
                "satisfaction": (surveys, satisfied),
            },
            group,
        )
        members = members_by_group(meeting.whole, group)
        medians = {}
        for g, people in members.items():
            waits = [d for person in people for d in days.get(person, ())]
            median = round(statistics.median(waits), 2) if waits else None
            medians[g] = (len(people), len(people), len(people & meeting.part), median)
        figures["time_to_first_meeting"] = measures_by_group(meeting, group, medians, lower_is_better=True)
        dimensions.append(dimension_of(dimension, figures, MEASURES))
    return dimensions


def rate_figures(
    tallies: Mapping[str, tuple[Tally, Mapping[int, list] | None]], group: Callable[[int], str | None]
) -> dict[str, dict[str, Measure]]:
    """Each named rate figure per group: (tally, items per person, or None when the people are the items)."""
    figures = {}
    for name, (tally, items) in tallies.items():
        members = members_by_group(tally.whole, group)
        figures[name] = measures_by_group(tally, group, rate_values(tally, members, items))
    return figures


def dimension_of(dimension: str, figures: Mapping[str, Mapping[str, Measure]], names: Iterable[str]) -> EquityDimension:
    """The groups with any figure shown; the others are only counted."""
    groups = sorted({g for measures in figures.values() for g in measures})
    rows = [EquityGroup(g, {m: figures[m].get(g, HIDDEN) for m in names}) for g in groups]
    visible = [row for row in rows if not all(measure.suppressed for measure in row.measures.values())]
    return EquityDimension(dimension, visible, len(rows) - len(visible))


async def equity_report(viewer: Viewer, *, program_id: int, period: Period) -> EquityReport:
    """For analysts, admins and the program's coordinators; aggregates only."""
    await require_program_reader(viewer, program_id)
    quarters = whole_quarters(period)
    facts = await load_program(program_id, quarters, demographics=True)
    return EquityReport(program_id, quarters, equity_dimensions(facts, quarters))
