"""Relationships, agreements, goals and reflections for tests, built straight from rows."""

from __future__ import annotations

import datetime

from domain.agreements.models import Agreement
from domain.agreements.service import draft_initial_agreement
from domain.agreements.terms import TopicTerm
from domain.goals.models import Goal, GoalProgress, Milestone, Reflection
from domain.people.models import Person
from domain.programs.models import Program
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from tests.factories import make_program

NOW = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)


async def make_relationship(
    members: list[tuple[Person, MemberRole]],
    *,
    program: Program | None = None,
    status: RelationshipStatus = RelationshipStatus.PROPOSED,
    **fields,
) -> Relationship:
    """A relationship with the given members; the kind follows the program unless given."""
    program = program or await make_program()
    defaults = dict(
        kind=program.kind,
        status=status,
        origin=RelationshipOrigin.COORDINATOR,
        last_activity_at=NOW,
        started_at=None if status is RelationshipStatus.PROPOSED else NOW,
    )
    defaults.update(fields)
    relationship = await Relationship.create(program=program, **defaults)
    for person, role in members:
        await RelationshipMember.create(relationship=relationship, person=person, role=role)
    return relationship


async def make_pair(
    mentor: Person, mentee: Person, *, program: Program | None = None, **fields
) -> tuple[Relationship, Agreement]:
    """A mentor-mentee relationship with its version-1 agreement drafted from the program's defaults."""
    program = program or await make_program()
    relationship = await make_relationship(
        [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)], program=program, **fields
    )
    agreement = await draft_initial_agreement(relationship, program=program, created_by_id=None, now=NOW)
    return relationship, agreement


async def make_swap(
    first: Person, second: Person, *, program: Program, topics: list[TopicTerm] = ()
) -> tuple[Relationship, Agreement]:
    """A two-person reverse or skill-swap relationship (the program's kind) with its draft agreement."""
    relationship = await make_relationship([(first, MemberRole.PEER), (second, MemberRole.PEER)], program=program)
    agreement = await draft_initial_agreement(relationship, program=program, created_by_id=None, now=NOW, topics=topics)
    return relationship, agreement


async def make_goal(owner: Person, *, relationship: Relationship | None = None, **fields) -> Goal:
    defaults = dict(title="Lead a design review", description="Run one end to end", success_criteria="Team signs off")
    defaults.update(fields)
    return await Goal.create(owner=owner, relationship=relationship, **defaults)


async def make_milestone(goal: Goal, **fields) -> Milestone:
    defaults = dict(title="Shadow a review", due_on=datetime.date(2026, 4, 1))
    defaults.update(fields)
    return await Milestone.create(goal=goal, **defaults)


async def make_progress(goal: Goal, author: Person, **fields) -> GoalProgress:
    defaults = dict(note="Booked the room", percent=20)
    defaults.update(fields)
    return await GoalProgress.create(goal=goal, author=author, **defaults)


async def make_reflection(
    author: Person, *, relationship: Relationship | None = None, shared: bool = False, **fields
) -> Reflection:
    defaults = dict(body="I talked too much today.", shared_at=NOW if shared else None)
    defaults.update(fields)
    return await Reflection.create(author=author, relationship=relationship, **defaults)
