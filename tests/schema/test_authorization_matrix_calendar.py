"""Calendar sync x every role: a meeting's calendarSync, a person's calendarConnection, the admins' lists and
health, and the calendar mutations, around one relationship whose meeting failed to sync."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.access import Role
from domain.calendar.connections import connect_company
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.clock import utc_now
from domain.meetings.models import Meeting
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.people.models import Person
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, soon
from tests.factories_relationships import make_pair
from tests.schema.authorization import (
    ADMIN,
    MEMBERS,
    OVERSEERS,
    OWNER,
    ROLES,
    WITHOUT_PROFILE,
    Read,
    assert_open_only_to,
    cast_around,
    wrong_reads,
)
from tests.support import gid


@dataclass
class World:
    people: dict[str, tuple[Person, Role]]
    meeting: Meeting


async def build_world() -> World:
    mentee, mentor = await make_person(name="Ben", email="ben@acme.example"), await make_person(name="Maria")
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    program = await make_program(coordinators=[cora])
    await make_program(coordinators=[dan])
    relationship, _ = await make_pair(mentor, mentee, program=program, status=RelationshipStatus.ACTIVE)
    meeting = await make_meeting(relationship, mentee, mentor, start=soon())
    await connect_company(provider=Provider.GOOGLE, domains=["acme.example"], config={}, now=utc_now())
    # Connecting sent Ben's meeting to the outbox; it then failed for good.
    await CalendarEvent.filter(meeting_id=meeting.id).update(
        status=SyncStatus.FAILED, provider=Provider.GOOGLE, attempts=8, last_error="Google 403"
    )
    await OutboxMessage.filter(key=str(meeting.id)).update(status=MessageStatus.DEAD)
    return World(
        people=await cast_around(owner=mentee, partner=mentor, coordinator=cora, other_coordinator=dan),
        meeting=meeting,
    )


def ids(world: World) -> dict[str, str]:
    return {"meeting": gid("Meeting", world.meeting.id), "owner": gid("Person", world.people[OWNER][0].id)}


FAILED = {"status": "FAILED", "provider": "GOOGLE", "lastError": "Google 403", "attempts": 8}
READS = [
    Read(
        "a meeting's calendar sync",
        "query($meeting: ID!) { node(id: $meeting) { ... on Meeting {"
        " calendarSync { status provider lastError attempts } } } }",
        MEMBERS | OVERSEERS,
        {"node": {"calendarSync": FAILED}},
        {"node": None},
    ),
    Read(
        "a person's calendar connection",
        "query($owner: ID!) { person(id: $owner) { calendarConnection { provider kind status domains } } }",
        {OWNER, ADMIN},
        {
            "person": {
                "calendarConnection": {
                    "provider": "GOOGLE",
                    "kind": "COMPANY",
                    "status": "ACTIVE",
                    "domains": ["acme.example"],
                }
            }
        },
        {"person": {"calendarConnection": None}},
    ),
    Read(
        "every calendar connection",
        "{ calendarConnections { kind domains } }",
        {ADMIN},
        {"calendarConnections": [{"kind": "COMPANY", "domains": ["acme.example"]}]},
        {"calendarConnections": None},
    ),
    Read(
        "calendar sync health",
        "{ calendarSyncHealth { deadLetters brokenConnections failuresByReason { reason meetings } } }",
        {ADMIN},
        {
            "calendarSyncHealth": {
                "deadLetters": 1,
                "brokenConnections": 0,
                "failuresByReason": [{"reason": "Google 403", "meetings": 1}],
            }
        },
        {"calendarSyncHealth": None},
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may_about_calendar_sync(gql, db, role):
    world = await build_world()
    wrong = await wrong_reads(gql, READS, ids(world), role, world.people)
    assert not wrong, "\n".join(wrong)


async def test_only_admins_may_retry_a_meetings_calendar_sync(gql, db):
    world = await build_world()
    await assert_open_only_to(
        gql,
        mutation="retryCalendarSync",
        document="mutation($input: RetryCalendarSyncInput!) { retryCalendarSync(input: $input) {"
        " __typename ... on Error { code field } } }",
        roles=ROLES,
        allowed=(ADMIN,),
        people=world.people,
        make_input=_failed_again(world),
        denial=lambda role: "PermissionDeniedError",
    )


def _failed_again(world: World):
    async def make() -> dict:
        # Each allowed attempt must have something to redeliver.
        await OutboxMessage.filter(key=str(world.meeting.id)).update(status=MessageStatus.DEAD)
        await CalendarEvent.filter(meeting_id=world.meeting.id).update(status=SyncStatus.FAILED)
        return {"meetingId": gid("Meeting", world.meeting.id)}

    return make


@pytest.mark.parametrize("role", ROLES)
async def test_connecting_and_disconnecting_concern_ones_own_calendar_only(gql, db, role):
    world = await build_world()
    person, token_role = world.people[role]
    connect = await gql(
        "mutation { connectMyCalendar(input: {provider: GOOGLE}) { __typename ... on Error { code field } } }",
        as_=person,
        role=token_role,
    )
    disconnect = await gql(
        "mutation { disconnectMyCalendar { __typename ... on Error { code } } }", as_=person, role=token_role
    )
    if role in WITHOUT_PROFILE:  # nobody's account: nothing of theirs to connect
        assert connect["connectMyCalendar"] == {
            "__typename": "PermissionDeniedError",
            "code": "PERMISSION_DENIED",
            "field": None,
        }
        assert disconnect["disconnectMyCalendar"] == {
            "__typename": "PermissionDeniedError",
            "code": "PERMISSION_DENIED",
        }
        return
    # The test server has no personal OAuth client: everyone gets the same answer about their own account.
    assert connect["connectMyCalendar"] == {"__typename": "ValidationError", "code": "VALIDATION", "field": "provider"}
    assert disconnect["disconnectMyCalendar"] == {"__typename": "NotFoundError", "code": "NOT_FOUND"}
