"""The demo organisation's mentoring in motion: one active pair with goals and a meeting booked, and one
reverse-mentoring pair waiting on a signature. Written through the domain services, as a portal would.

Idempotent: a pair that already has a relationship in its program is left alone.
"""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from domain.access import Role, Viewer
from domain.agreements.service import amend_agreement, sign_agreement
from domain.agreements.terms import TopicTerm
from domain.clock import utc_now
from domain.goals.service import add_milestone, create_goal, record_progress
from domain.meetings.service import book
from domain.people.models import Person
from domain.programs.models import Program
from domain.relationships.models import MemberRole, RelationshipMember, RelationshipOrigin
from domain.relationships.rules import seats
from domain.relationships.service import create_relationship


def _as(person: Person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


def _next_weekday_at(now: datetime.datetime, *, weekday: int, hour_utc: int) -> datetime.datetime:
    """The first such weekday at least two days away, so the booking notice never gets in the way."""
    day = now.date() + datetime.timedelta(days=2)
    while day.weekday() != weekday:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(hour_utc), tzinfo=datetime.UTC)


async def _already_paired(program: Program, person: Person) -> bool:
    return await RelationshipMember.exists(person_id=person.id, relationship__program_id=program.id)


async def _propose(program: Program, coordinator: Person, mentor: Person, mentee: Person, now) -> int:
    async with in_transaction():
        relationship = await create_relationship(
            program,
            seats([(mentor.id, MemberRole.MENTOR), (mentee.id, MemberRole.MENTEE)]),
            origin=RelationshipOrigin.COORDINATOR,
            created_by_id=coordinator.id,
            now=now,
        )
    return relationship.id


async def seed_active_pair(program: Program, coordinator: Person, mentor: Person, mentee: Person) -> int:
    """Proposed, signed by both (so ACTIVE), with a goal in progress and the first meeting booked."""
    if await _already_paired(program, mentee):
        return 0
    now = utc_now()
    relationship_id = await _propose(program, coordinator, mentor, mentee, now)
    for member in (mentor, mentee):
        await sign_agreement(_as(member), relationship_id=relationship_id, version=1, now=now)
    goal = await create_goal(
        _as(mentee),
        title="Run my first product discovery interview",
        description="Plan, run and write up one customer interview on my own.",
        success_criteria="Olivia reads the write-up and would act on it.",
        target_date=(now + datetime.timedelta(days=90)).date(),
        relationship_id=relationship_id,
    )
    await add_milestone(
        _as(mentee),
        goal_id=goal.id,
        title="Draft an interview guide",
        due_on=(now + datetime.timedelta(days=21)).date(),
    )
    await add_milestone(
        _as(mentee),
        goal_id=goal.id,
        title="Shadow one of Olivia's interviews",
        due_on=(now + datetime.timedelta(days=45)).date(),
    )
    await record_progress(_as(mentee), goal_id=goal.id, note="Picked the customer segment.", percent=15, now=now)
    await book(
        _as(mentor),
        relationship_id=relationship_id,
        start=_next_weekday_at(now, weekday=1, hour_utc=15),  # a Tuesday, mid-morning in New York
        title="Kick-off: goals and how we'll work",
        agenda=["What you want from these nine months", "Your discovery interview goal"],
        now=now,
    )
    return 1


async def seed_reverse_pair(program: Program, coordinator: Person, junior: Person, senior: Person) -> int:
    """Proposed across twelve time zones; each teaches the other, and the junior has signed already."""
    if await _already_paired(program, junior):
        return 0
    now = utc_now()
    relationship_id = await _propose(program, coordinator, junior, senior, now)
    await amend_agreement(
        _as(junior),
        relationship_id=relationship_id,
        expected_version=1,
        changes={
            "topics": [
                TopicTerm(teacher_id=junior.id, learner_id=senior.id, skill="Generative AI"),
                TopicTerm(teacher_id=senior.id, learner_id=junior.id, skill="Stakeholder management"),
            ],
            "confidentiality": "What we discuss stays between us unless we both agree otherwise.",
            "change_note": "Who teaches whom",
        },
        now=now,
    )
    await sign_agreement(_as(junior), relationship_id=relationship_id, version=2, now=now)
    return 1
