"""programInsights (a program's figures, for analysts, admins and its coordinators) and the mentoring network.

The participation breakdowns (department, level, generation), retention, the mentor-hours totals and the
relationship figures (active relationships, time to first meeting, cadence, goals, rematches) cover the whole
calendar quarters the period touches and go through the equity report's defence against differencing: where
1 to 4 people or relationships entered or left a figure in a quarter, it is withheld (quarterly.py for
retention, hours and relationships). Two overlapping periods then never differ, in any group, by fewer than
five people or relationships. Satisfaction keeps the period's months (kept in month blocks of five or more),
and the hours of mentors named to coordinators, which are no aggregate, keep its days.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.access import Viewer
from domain.analytics import network
from domain.analytics import program_figures as figures
from domain.analytics.access import require_organisation_reader, require_program_reader
from domain.analytics.equity import Tally, hidden_groups, members_by_group, participation_tally, whole_quarters
from domain.analytics.facts import ProgramFacts
from domain.analytics.loading import load_people, load_program, load_relationships
from domain.analytics.period import Period
from domain.analytics.quarterly import mentor_hours_total, relationship_figures, retention
from domain.people.models import Person


@dataclass(frozen=True)
class ProgramInsights:
    program_id: int
    period: Period
    # The whole quarters the participation breakdowns, retention, mentor-hours totals and relationship figures cover.
    breakdowns_period: Period
    participation_by_department: list[figures.GroupRate]
    participation_by_level: list[figures.GroupRate]
    participation_by_generation: list[figures.GroupRate]
    # None (and the others `suppressed`) when a quarter's changes would single out a relationship.
    active_relationships: int | None
    time_to_first_meeting: figures.TimeToFirstMeeting
    cadence_adherence: figures.Ratio
    goal_completion: figures.Ratio
    satisfaction: figures.Satisfaction
    rematch_rate: figures.RematchRate
    # Across mentors, over the quarters; None when a quarter's mentors would give one away.
    mentor_hours_total: float | None
    mentors_with_hours: int | None
    # Per mentor, only those who share their recognition, and only for who oversees the program.
    mentor_hours: list[figures.MentorHours]
    retention: list[figures.GroupRate]


BREAKDOWNS = ("department", "level", "generation")


def participation_breakdowns(tally: Tally, facts: ProgramFacts) -> dict[str, list[figures.GroupRate]]:
    """Per dimension, each group's employed people and how many took part, over whole quarters (the tally's)."""
    breakdowns = {}
    for dimension in BREAKDOWNS:
        of_person = figures.group_of_person(dimension)
        group = {person_id: of_person(person) for person_id, person in facts.people.items()}.get
        hidden = hidden_groups(tally, group, private_membership=dimension not in figures.PUBLIC_DIMENSIONS)
        rows = []
        for name, people in sorted(members_by_group(tally.whole, group).items()):
            if name in hidden:
                rows.append(figures.GroupRate(name, None, None, None, True))
            else:
                taking_part = len(people & tally.part)
                rows.append(
                    figures.GroupRate(name, len(people), taking_part, figures.rate(taking_part, len(people)), False)
                )
        breakdowns[dimension] = rows
    return breakdowns


async def _named(hours: list[figures.MentorHours]) -> list[figures.MentorHours]:
    names = {
        person_id: (name, email)
        for person_id, name, email in await Person.filter(id__in=[m.person_id for m in hours]).values_list(
            "id", "name", "email"
        )
    }
    return [replace(m, name=names[m.person_id][0], email=names[m.person_id][1]) for m in hours]


async def program_insights(viewer: Viewer, *, program_id: int, period: Period) -> ProgramInsights:
    oversees = await require_program_reader(viewer, program_id)
    quarters = whole_quarters(period)
    # Loaded over the quarters, which hold the period: satisfaction and named hours pick the period's own days.
    facts = await load_program(program_id, quarters, demographics=True)
    hours = figures.mentor_hours(facts, period)
    total = mentor_hours_total(facts, quarters)
    # One tally of who took part serves the breakdowns and retention alike.
    tally = participation_tally(facts, quarters)
    breakdowns = participation_breakdowns(tally, facts)
    relationships = relationship_figures(facts, quarters)
    return ProgramInsights(
        program_id=program_id,
        period=period,
        breakdowns_period=quarters,
        participation_by_department=breakdowns["department"],
        participation_by_level=breakdowns["level"],
        participation_by_generation=breakdowns["generation"],
        active_relationships=relationships.active,
        time_to_first_meeting=relationships.time_to_first_meeting,
        cadence_adherence=relationships.cadence_adherence,
        goal_completion=relationships.goal_completion,
        satisfaction=figures.program_satisfaction(facts, period),
        rematch_rate=relationships.rematch_rate,
        mentor_hours_total=total.hours,
        mentors_with_hours=total.mentors,
        mentor_hours=await _named([m for m in hours if m.person_id in facts.sharing_mentors]) if oversees else [],
        retention=retention(facts, quarters, tally=tally).rows(),
    )


async def mentoring_network(viewer: Viewer, *, period: Period) -> network.NetworkReport:
    """The organisation's mentoring graph over the relationships that ran in the whole quarters the period
    touches, with the blocks of those that began or ended in each (network.py's defence against differencing)."""
    require_organisation_reader(viewer)
    quarters = whole_quarters(period)
    people = await load_people(demographics=True)
    relationships = [r for r in await load_relationships() if figures.running_in(r, quarters)]
    changes = network.relationship_changes(relationships, quarters)
    return network.network_report(people, relationships, changes, quarters)
