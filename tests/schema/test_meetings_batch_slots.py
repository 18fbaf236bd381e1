"""availableSlotsForRelationships: many relationships in one query, per-entry privacy, constant statement count."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from domain.access import Role
from domain.meetings.models import Meeting, MeetingAttendee
from domain.people.models import MeetingFormat, Person, WorkingHours
from domain.relationships.models import (
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from tests.factories import make_person, make_program, make_working_week
from tests.factories_meetings import iso, make_meeting, make_relationship
from tests.schema.test_meetings_slots import day_window, next_summer_tuesday
from tests.schema.test_relationships_dashboard import counting_statements
from tests.support import assert_unchanged, gid, wipe_all_tables

BATCH = """
query Batch($input: AvailableSlotsForRelationshipsInput!) {
  availableSlotsForRelationships(input: $input) {
    __typename
    ... on AvailableSlotsForRelationships {
      results {
        relationshipId
        relationship { status }
        slots { start end insideEveryonesWorkingHours maxCost
                attendees { person { name } timeZone localStart insideWorkingHours inNight cost } }
      }
    }
    ... on Error { message code field }
  }
}
"""
SINGLE = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    ... on AvailableSlots {
      slots { start end insideEveryonesWorkingHours maxCost
              attendees { person { name } timeZone localStart insideWorkingHours inNight cost } }
    }
  }
}
"""


def batch_input(relationship_ids, *, window, minutes=60, limit=3, **overrides) -> dict:
    fields = {
        "relationshipIds": [gid("Relationship", key) for key in relationship_ids],
        "from": window[0],
        "to": window[1],
        "durationMinutes": minutes,
        "limit": limit,
    }
    fields.update(overrides)
    return {"input": fields}


@pytest.fixture
async def two_programs(db):
    """A coordinator's program with a London-Singapore and a New York-Paris pair; another program's pair."""
    coordinator = await make_person(name="Cora")
    ours = await make_program(coordinators=[coordinator])
    people = {
        name: await make_person(name=name, time_zone=zone)
        for name, zone in [
            ("Ana", "Europe/London"),
            ("Ben", "Asia/Singapore"),
            ("Cy", "America/New_York"),
            ("Dee", "Europe/Paris"),
            ("Eli", "Australia/Sydney"),
            ("Fay", "Asia/Tokyo"),
        ]
    }
    for person in people.values():
        await make_working_week(person)
    london_singapore = await make_relationship(people["Ana"], people["Ben"], program=ours)
    new_york_paris = await make_relationship(people["Cy"], people["Dee"], program=ours)
    elsewhere = await make_relationship(people["Eli"], people["Fay"])
    return coordinator, people, london_singapore, new_york_paris, elsewhere


async def test_a_coordinator_gets_each_of_their_pairs_slots_in_order_and_null_for_the_rest(gql, two_programs):
    coordinator, people, london_singapore, new_york_paris, elsewhere = two_programs
    window = day_window(next_summer_tuesday())
    # a meeting of Cy's elsewhere blocks 13:00-14:00 UTC, the best hour of New York and Paris's shared day
    start = datetime.fromisoformat(window[0]).replace(hour=13)
    await make_meeting(
        await make_relationship(people["Cy"], await make_person()), people["Cy"], start=start, minutes=60
    )
    asked = [new_york_paris.id, elsewhere.id, 999_999, london_singapore.id, new_york_paris.id]

    async with assert_unchanged():
        data = await gql(BATCH, batch_input(asked, window=window), as_=coordinator, role=Role.COORDINATOR)

    results = data["availableSlotsForRelationships"]["results"]
    assert [None if r is None else r["relationshipId"] for r in results] == [
        gid("Relationship", new_york_paris.id),
        None,
        None,
        gid("Relationship", london_singapore.id),
        gid("Relationship", new_york_paris.id),
    ]
    assert results[0] == results[4]
    assert results[0]["relationship"] == {"status": "ACTIVE"}
    # each entry is exactly what availableSlots answers for that relationship alone, here asked by a member
    for entry, relationship, member in [(results[0], new_york_paris, "Cy"), (results[3], london_singapore, "Ana")]:
        single = await gql(
            SINGLE,
            {
                "input": {
                    "relationshipId": gid("Relationship", relationship.id),
                    "from": window[0],
                    "to": window[1],
                    "durationMinutes": 60,
                    "limit": 3,
                }
            },
            as_=people[member],
        )
        assert entry["slots"] == single["availableSlots"]["slots"]
        assert len(entry["slots"]) == 3
    # New York (EDT) and Paris (CEST) share 13:00-15:00 UTC; the meeting leaves 14:00-15:00 as the best
    best = results[0]["slots"][0]
    assert best["start"].endswith("T14:00:00+00:00") and best["insideEveryonesWorkingHours"] is True
    assert [(a["person"]["name"], a["localStart"][11:]) for a in best["attendees"]] == [
        ("Cy", "10:00:00-04:00"),
        ("Dee", "16:00:00+02:00"),
    ]
    for slot in results[0]["slots"]:
        assert not (slot["start"] < iso(start + timedelta(hours=1)) and slot["end"] > iso(start))


async def test_members_see_their_own_relationship_and_outsiders_see_nothing(gql, two_programs):
    _, people, london_singapore, new_york_paris, elsewhere = two_programs
    window = day_window(next_summer_tuesday())
    asked = [london_singapore.id, new_york_paris.id, elsewhere.id]

    member = await gql(BATCH, batch_input(asked, window=window), as_=people["Ben"])
    outsider = await gql(BATCH, batch_input(asked, window=window), as_=await make_person(), role=Role.COORDINATOR)
    admin = await gql(BATCH, batch_input(asked, window=window), as_=await make_person(), role=Role.ADMIN)

    assert [r is not None for r in member["availableSlotsForRelationships"]["results"]] == [True, False, False]
    assert outsider["availableSlotsForRelationships"]["results"] == [None, None, None]
    assert [r is not None for r in admin["availableSlotsForRelationships"]["results"]] == [True, True, True]


def _too_many() -> list[int]:
    return list(range(1, 202))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"relationshipIds": []}, "relationshipIds", "1 to 200"),
        ({"relationshipIds": [gid("Relationship", key) for key in _too_many()]}, "relationshipIds", "1 to 200"),
        ({"relationshipIds": [gid("Relationship", 1), gid("Person", 1)]}, "relationshipIds[1]", "Relationship"),
        ({"from": iso(datetime(2027, 7, 7, tzinfo=UTC)), "to": iso(datetime(2027, 7, 6, tzinfo=UTC))}, "to", "after"),
        ({"durationMinutes": 0}, "durationMinutes", "positive"),
        ({"durationMinutes": -30}, "durationMinutes", "positive"),
        ({"limit": 0}, "limit", "1 to"),
        ({"from": "2027-07-06T00:00:00"}, "from", "UTC offset"),
    ],
)
async def test_bad_input_is_a_typed_error_naming_the_field(gql, two_programs, overrides, field, message):
    coordinator, _, london_singapore, _, _ = two_programs
    variables = batch_input([london_singapore.id], window=day_window(next_summer_tuesday()), **overrides)
    async with assert_unchanged():
        data = await gql(BATCH, variables, as_=coordinator, role=Role.COORDINATOR)
    result = data["availableSlotsForRelationships"]
    assert (result["__typename"], result["field"]) == ("ValidationError", field)
    assert message in result["message"]


async def test_a_meeting_longer_than_a_pairs_working_day_and_a_bad_stored_zone_name_the_entry(gql, two_programs):
    coordinator, people, london_singapore, new_york_paris, _ = two_programs
    await WorkingHours.filter(person_id__in=[people["Cy"].id, people["Dee"].id]).update(end_minute=11 * 60)
    window = day_window(next_summer_tuesday())
    asked = [london_singapore.id, new_york_paris.id]
    async with assert_unchanged():
        overlong = await gql(
            BATCH, batch_input(asked, window=window, minutes=300), as_=coordinator, role=Role.COORDINATOR
        )
    assert overlong["availableSlotsForRelationships"] == {
        "__typename": "ValidationError",
        "message": "The meeting is longer than anyone's working day in relationship 2 of the list.",
        "code": "VALIDATION",
        "field": "durationMinutes",
    }

    await Person.filter(id=people["Ben"].id).update(time_zone="Mars/Olympus_Mons")
    async with assert_unchanged():
        bad_zone = await gql(BATCH, batch_input(asked, window=window), as_=coordinator, role=Role.COORDINATOR)
    result = bad_zone["availableSlotsForRelationships"]
    assert (result["__typename"], result["field"]) == ("ValidationError", "relationshipIds[0].timeZone")


async def pairs_run_by(coordinator: Person, count: int) -> list[int]:
    """`count` pairs in four zones with working weeks and one meeting each, written in bulk."""
    program = await make_program(coordinators=[coordinator])
    zones = ["Europe/London", "Asia/Singapore", "America/New_York", "Asia/Kolkata"]
    await Person.bulk_create(
        [Person(name=f"P{n}", email=f"batch{n}@example.com", time_zone=zones[n % len(zones)]) for n in range(2 * count)]
    )
    people = await Person.filter(email__startswith="batch").order_by("id")
    await WorkingHours.bulk_create(
        [WorkingHours(person=p, weekday=day, start_minute=540, end_minute=1020) for p in people for day in range(5)]
    )
    await Relationship.bulk_create(
        [
            Relationship(
                program=program,
                kind=program.kind,
                status=RelationshipStatus.ACTIVE,
                origin=RelationshipOrigin.COORDINATOR,
                last_activity_at=datetime.now(UTC),
            )
            for _ in range(count)
        ]
    )
    relationships = await Relationship.filter(program=program).order_by("id")
    await RelationshipMember.bulk_create(
        [
            RelationshipMember(relationship=r, person=people[2 * i + side], role=role)
            for i, r in enumerate(relationships)
            for side, role in enumerate([MemberRole.MENTOR, MemberRole.MENTEE])
        ]
    )
    day = datetime.combine(next_summer_tuesday(), time(9), tzinfo=UTC)
    await Meeting.bulk_create(
        [
            Meeting(
                relationship=r,
                organizer=people[2 * i],
                starts_at=day,
                ends_at=day + timedelta(hours=1),
                format=MeetingFormat.VIDEO,
                title="Catch-up",
                uid=f"batch-{r.id}",
            )
            for i, r in enumerate(relationships)
        ]
    )
    meetings = await Meeting.filter(relationship__program=program).order_by("id")
    await MeetingAttendee.bulk_create(
        [MeetingAttendee(meeting=m, person_id=m.organizer_id) for m in meetings]
        + [MeetingAttendee(meeting=m, person=people[2 * i + 1]) for i, m in enumerate(meetings)]
    )
    return [r.id for r in relationships]


async def statements_for(gql, monkeypatch, count: int) -> int:
    coordinator = await make_person(name="Cora")
    ids = await pairs_run_by(coordinator, count)
    variables = batch_input(ids, window=day_window(next_summer_tuesday()))
    with counting_statements(monkeypatch) as executed:
        data = await gql(BATCH, variables, as_=coordinator, role=Role.COORDINATOR)
    results = data["availableSlotsForRelationships"]["results"]
    assert len(results) == count and all(len(r["slots"]) == 3 for r in results)
    assert all(r["relationship"] == {"status": "ACTIVE"} for r in results)
    # every pair's 09:00-10:00 UTC meeting is taken out of its slots
    blocked = f"{next_summer_tuesday().isoformat()}T09:00:00+00:00"
    assert all(slot["start"] != blocked for r in results for slot in r["slots"])
    return len(executed)


async def test_five_and_fifty_relationships_take_the_same_number_of_statements(gql, monkeypatch, engine):
    few = await statements_for(gql, monkeypatch, 5)
    await wipe_all_tables(engine)
    many = await statements_for(gql, monkeypatch, 50)
    assert few == many
