"""Mentor recognition for performance reviews: hours mentored, relationships completed and mentees' goals met.

A mentor always sees their own figures, in every program. The program's coordinators (and admins) see them
only while the mentor shares them (a RecognitionSharing row), and only for the programs they run; analysts
read aggregates, never one mentor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.analytics.models import RecognitionSharing
from domain.analytics.period import Period
from domain.errors import NotFound, PermissionDenied
from domain.goals.models import Goal, GoalStatus
from domain.meetings.models import Meeting, MeetingStatus
from domain.people.models import Person
from domain.programs import policy
from domain.programs.models import Program, ProgramCoordinator
from domain.relationships.models import MemberRole, Relationship, RelationshipMember, RelationshipStatus


@dataclass(frozen=True)
class ProgramRecognition:
    program_id: int
    program_name: str
    hours_mentored: float
    relationships_completed: int
    mentee_goals_met: int


@dataclass(frozen=True)
class Recognition:
    mentor_id: int
    name: str
    email: str
    period: Period
    sharing: bool
    programs: list[ProgramRecognition]

    @property
    def hours_mentored(self) -> float:
        return round(sum(p.hours_mentored for p in self.programs), 2)

    @property
    def relationships_completed(self) -> int:
        return sum(p.relationships_completed for p in self.programs)

    @property
    def mentee_goals_met(self) -> int:
        return sum(p.mentee_goals_met for p in self.programs)


async def _mentored(mentor_id: int) -> dict[int, int]:
    """Relationship id -> program id, for every relationship the person mentors (proposals aside)."""
    ids = await RelationshipMember.filter(person_id=mentor_id, role=MemberRole.MENTOR).values_list(
        "relationship_id", flat=True
    )
    rows = (
        await Relationship.filter(id__in=list(ids))
        .exclude(status=RelationshipStatus.PROPOSED)
        .values_list("id", "program_id")
    )
    return dict(rows)


async def _visible_programs(viewer: Viewer, mentor_id: int, programs: set[int]) -> set[int]:
    if viewer.is_person(mentor_id):
        return programs
    if not await RecognitionSharing.exists(person_id=mentor_id):
        raise PermissionDenied("This mentor does not share their recognition.", field="mentor_id")
    coordinators: dict[int, list[int]] = defaultdict(list)
    for program_id, person_id in await ProgramCoordinator.filter(program_id__in=list(programs)).values_list(
        "program_id", "person_id"
    ):
        coordinators[program_id].append(person_id)
    overseen = {p for p in programs if policy.can_manage_program(viewer, coordinators[p])}
    if not overseen:
        raise PermissionDenied("Only the mentor and their programs' coordinators see this.", field="mentor_id")
    return overseen


async def mentor_recognition(viewer: Viewer, *, mentor_id: int | None, period: Period) -> Recognition:
    """The viewer's own figures when `mentor_id` is None."""
    mentor_id = viewer.require_person() if mentor_id is None else mentor_id
    mentor = await Person.get_or_none(id=mentor_id)
    if mentor is None:
        raise NotFound("No such person.", field="mentor_id")
    mentored = await _mentored(mentor_id)
    programs = await _visible_programs(viewer, mentor_id, set(mentored.values()))
    relationships = [r for r, p in mentored.items() if p in programs]
    hours: dict[int, float] = defaultdict(float)
    for relationship_id, starts, ends in await Meeting.filter(
        relationship_id__in=relationships,
        status=MeetingStatus.HELD,
        starts_at__gte=period.starts_at,
        starts_at__lt=period.ends_at,
    ).values_list("relationship_id", "starts_at", "ends_at"):
        hours[mentored[relationship_id]] += (ends - starts).total_seconds() / 3600
    completed: dict[int, int] = defaultdict(int)
    for (relationship_id,) in await Relationship.filter(
        id__in=relationships,
        status=RelationshipStatus.COMPLETED,
        ended_at__gte=period.starts_at,
        ended_at__lt=period.ends_at,
    ).values_list("id"):
        completed[mentored[relationship_id]] += 1
    mentees = set(
        await RelationshipMember.filter(relationship_id__in=relationships, role=MemberRole.MENTEE).values_list(
            "relationship_id", "person_id"
        )
    )
    goals_met: dict[int, int] = defaultdict(int)
    for relationship_id, owner_id in await Goal.filter(
        relationship_id__in=relationships,
        status=GoalStatus.ACHIEVED,
        achieved_at__gte=period.starts_at,
        achieved_at__lt=period.ends_at,
    ).values_list("relationship_id", "owner_id"):
        if (relationship_id, owner_id) in mentees:
            goals_met[mentored[relationship_id]] += 1
    names = dict(await Program.filter(id__in=list(programs)).values_list("id", "name"))
    rows = [
        ProgramRecognition(p, names[p], round(hours[p], 2), completed[p], goals_met[p])
        for p in sorted(programs, key=lambda p: (names[p], p))
    ]
    sharing = await RecognitionSharing.exists(person_id=mentor_id)
    return Recognition(mentor_id, mentor.name, mentor.email, period, sharing, rows)


async def share_recognition(viewer: Viewer, *, share: bool) -> bool:
    """Lets (or stops letting) the viewer's program coordinators see their recognition; answers the new state."""
    person_id = viewer.require_person()
    async with in_transaction():
        if share:
            await RecognitionSharing.get_or_create(person_id=person_id)
        else:
            await RecognitionSharing.filter(person_id=person_id).delete()
    return share
