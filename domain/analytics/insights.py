"""programInsights (a program's figures, for analysts, admins and its coordinators) and the mentoring network."""

from __future__ import annotations

from dataclasses import dataclass, replace

from domain.access import Viewer
from domain.analytics import network
from domain.analytics import program_figures as figures
from domain.analytics.access import require_organisation_reader, require_program_reader
from domain.analytics.loading import load_people, load_program, load_relationships
from domain.analytics.period import Period
from domain.people.models import Person


@dataclass(frozen=True)
class ProgramInsights:
    program_id: int
    period: Period
    participation_by_department: list[figures.GroupRate]
    participation_by_level: list[figures.GroupRate]
    participation_by_generation: list[figures.GroupRate]
    active_relationships: int
    time_to_first_meeting: figures.TimeToFirstMeeting
    cadence_adherence: figures.Ratio
    goal_completion: figures.Ratio
    satisfaction: figures.Satisfaction
    rematch_rate: figures.RematchRate
    mentor_hours_total: float
    mentors_with_hours: int
    # Per mentor, only those who share their recognition, and only for who oversees the program.
    mentor_hours: list[figures.MentorHours]
    retention: list[figures.GroupRate]


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
    facts = await load_program(program_id, period, demographics=True)
    hours = figures.mentor_hours(facts, period)
    return ProgramInsights(
        program_id=program_id,
        period=period,
        participation_by_department=figures.participation(facts, period, "department"),
        participation_by_level=figures.participation(facts, period, "level"),
        participation_by_generation=figures.participation(facts, period, "generation"),
        active_relationships=figures.active_relationships(facts, period),
        time_to_first_meeting=figures.time_to_first_meeting(facts, period),
        cadence_adherence=figures.cadence_adherence(facts, period),
        goal_completion=figures.goal_completion(facts, period),
        satisfaction=figures.program_satisfaction(facts, period),
        rematch_rate=figures.rematch_rate(facts, period),
        mentor_hours_total=round(sum(m.hours for m in hours), 2),
        mentors_with_hours=len(hours),
        mentor_hours=await _named([m for m in hours if m.person_id in facts.sharing_mentors]) if oversees else [],
        retention=figures.retention(facts, period, facts.people.values()),
    )


async def mentoring_network(viewer: Viewer, *, period: Period) -> network.NetworkReport:
    """The organisation's mentoring graph over the relationships that ran in the period."""
    require_organisation_reader(viewer)
    people = await load_people(demographics=True)
    relationships = [r for r in await load_relationships() if figures.running_in(r, period)]
    return network.network_report(people, relationships)
