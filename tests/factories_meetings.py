"""Rows for meeting tests: relationships (made directly with the models), agreements and meetings."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from datetime import UTC, timedelta

from domain.agreements.models import Agreement, AgreementVersion
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingStatus, Rsvp
from domain.people.models import MeetingFormat, Person
from domain.programs.models import Cadence, Program, ProgramKind
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipStatus,
)
from tests.factories import make_person, make_program, make_working_week
from tests.factories_relationships import make_relationship as make_members_relationship


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def soon(days: int = 2, hour: int = 10) -> datetime.datetime:
    """A whole hour a few days ahead: far enough for any notice rule, inside any horizon."""
    base = datetime.datetime.now(UTC) + timedelta(days=days)
    return base.replace(hour=hour, minute=0, second=0, microsecond=0)


async def make_relationship(
    *people: Person,
    program: Program | None = None,
    status: RelationshipStatus = RelationshipStatus.ACTIVE,
    started_at: datetime.datetime | None = None,
    roles: Sequence[MemberRole] | None = None,
) -> Relationship:
    """Two people are a mentor and a mentee, more are peers; active since `started_at` (default: now)."""
    since = started_at or datetime.datetime.now(UTC)
    default_roles = [MemberRole.MENTOR, MemberRole.MENTEE] if len(people) == 2 else [MemberRole.PEER] * len(people)
    return await make_members_relationship(
        list(zip(people, roles or default_roles, strict=True)),
        program=program or await make_program(kind=ProgramKind.ONE_ON_ONE),
        status=status,
        started_at=None if status is RelationshipStatus.PROPOSED and started_at is None else since,
        last_activity_at=since,
    )


async def make_working_pair(zone: str = "Asia/Singapore", **relationship_fields) -> tuple[Person, Person, Relationship]:
    """Ana in London and Ben in `zone`, both working 09:00-17:00 on weekdays, in a relationship."""
    ana = await make_person(name="Ana", time_zone="Europe/London")
    ben = await make_person(name="Ben", time_zone=zone)
    await make_working_week(ana)
    await make_working_week(ben)
    return ana, ben, await make_relationship(ana, ben, **relationship_fields)


async def make_agreement(relationship: Relationship, *versions: Cadence) -> Agreement:
    """An agreement whose versions have these cadences; the last one is current."""
    agreement = await Agreement.create(relationship=relationship, current_version=len(versions))
    for number, cadence in enumerate(versions, start=1):
        await AgreementVersion.create(
            agreement=agreement,
            number=number,
            cadence=cadence,
            meeting_minutes=45,
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2027, 12, 31),
        )
    return agreement


async def make_meeting(
    relationship: Relationship,
    *attendees: Person,
    start: datetime.datetime,
    minutes: int = 45,
    status: MeetingStatus = MeetingStatus.SCHEDULED,
    title: str = "Catch-up",
    agenda: Sequence[str] = (),
    rsvp: Rsvp = Rsvp.NEEDS_ACTION,
) -> Meeting:
    """A meeting written directly (past ones too); the first attendee organises it."""
    meeting = await Meeting.create(
        relationship=relationship,
        organizer=attendees[0],
        starts_at=start,
        ends_at=start + timedelta(minutes=minutes),
        format=MeetingFormat.VIDEO,
        title=title,
        status=status,
    )
    for person in attendees:
        await MeetingAttendee.create(meeting=meeting, person=person, rsvp=rsvp)
    for position, text in enumerate(agenda, start=1):
        await AgendaItem.create(meeting=meeting, position=position, text=text, added_by=attendees[0])
    return meeting


def iso(value: datetime.datetime) -> str:
    return value.isoformat()
