"""Rows for relationship tests: programs with coordinators, approved enrollees, relationships in a given status."""

from __future__ import annotations

import asyncio
import datetime

from tortoise import connections
from tortoise.transactions import in_transaction

from domain.people.models import Person
from domain.programs.models import EnrollmentRole, EnrollmentStatus, Program, ProgramKind, ProgramStatus, ProgramTier
from domain.relationships.models import MemberRole, Relationship, RelationshipOrigin, RelationshipStatus
from domain.relationships.rules import seats
from domain.relationships.service import create_relationship
from tests.factories import make_enrollment, make_person, make_program

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


async def program_run_by(
    *coordinators: Person,
    kind: ProgramKind = ProgramKind.ONE_ON_ONE,
    tier: ProgramTier = ProgramTier.FORMAL,
    status: ProgramStatus = ProgramStatus.ACTIVE,
) -> Program:
    return await make_program(coordinators=list(coordinators), kind=kind, tier=tier, status=status)


async def enrolled(
    program: Program,
    role: EnrollmentRole = EnrollmentRole.MENTEE,
    *,
    status: EnrollmentStatus = EnrollmentStatus.APPROVED,
    capacity: int | None = None,
    **person_fields,
) -> Person:
    person = await make_person(**person_fields)
    await make_enrollment(person, program, role=role, status=status, capacity=capacity)
    return person


async def relationship_of(
    program: Program,
    members: list[tuple[Person, MemberRole]],
    *,
    status: RelationshipStatus = RelationshipStatus.ACTIVE,
    origin: RelationshipOrigin = RelationshipOrigin.COORDINATOR,
    now: datetime.datetime = NOW,
) -> Relationship:
    """A relationship created the way the domain creates one, then moved straight to `status`."""
    async with in_transaction():
        relationship = await create_relationship(
            program,
            seats([(person.id, role) for person, role in members]),
            origin=origin,
            created_by_id=None,
            now=now,
        )
    if status is not RelationshipStatus.PROPOSED:
        relationship.status = status
        relationship.started_at = now
        await relationship.save()
    return relationship


async def mentoring_pair(
    program: Program, *, status: RelationshipStatus = RelationshipStatus.ACTIVE
) -> tuple[Relationship, Person, Person]:
    """An approved mentor and mentee of `program` in a relationship of the given status."""
    mentor = await enrolled(program, EnrollmentRole.MENTOR, name="Mara Mentor")
    mentee = await enrolled(program, EnrollmentRole.MENTEE, name="Milo Mentee")
    relationship = await relationship_of(
        program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)], status=status
    )
    return relationship, mentor, mentee


async def warm_connection_pool() -> None:
    """Opens the pool's connections up front, so the racing transactions overlap instead of queueing for one."""
    connection = connections.get("default")
    if connection.capabilities.dialect == "postgres":
        await asyncio.gather(*(connection.execute_query("SELECT pg_sleep(0.05)") for _ in range(10)))
