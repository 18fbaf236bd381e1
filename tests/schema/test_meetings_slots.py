"""availableSlots through GraphQL: ranked slots with everyone's local time, busy time respected, bad input typed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.access import Role
from domain.people.models import Person
from domain.programs.models import ProgramCoordinator
from tests.factories import make_person, make_working_week
from tests.factories_meetings import iso, make_meeting, make_relationship, make_working_pair
from tests.support import assert_unchanged, gid

SLOTS = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    __typename
    ... on AvailableSlots {
      slots { start end insideEveryonesWorkingHours maxCost
              attendees { person { name } timeZone localStart localEnd insideWorkingHours inNight cost } }
    }
    ... on Error { message code field }
  }
}
"""


def next_summer_tuesday() -> date:
    """A Tuesday in July ahead of today (within a year): London is on BST, so its day overlaps Singapore's."""
    day = datetime.now(UTC).date() + timedelta(days=2)
    while not (day.month == 7 and day.weekday() == 1):
        day += timedelta(days=1)
    return day


def day_window(day: date) -> tuple[str, str]:
    start = datetime.combine(day, time(0, 0), tzinfo=UTC)
    return iso(start), iso(start + timedelta(days=1))


@pytest.fixture
async def pair(db):
    return await make_working_pair()


def search(relationship=None, *, people=(), window, minutes=60, limit=3) -> dict:
    fields = {"from": window[0], "to": window[1], "durationMinutes": minutes, "limit": limit}
    if relationship is not None:
        fields["relationshipId"] = gid("Relationship", relationship.id)
    if people:
        fields["personIds"] = [gid("Person", p.id) for p in people]
    return {"input": fields}


async def test_the_best_slot_sits_in_both_working_days_with_each_local_time(gql, pair):
    ana, _, relationship = pair
    day = next_summer_tuesday()
    data = await gql(SLOTS, search(relationship, window=day_window(day)), as_=ana)
    slots = data["availableSlots"]["slots"]
    assert len(slots) == 3
    best = slots[0]
    # BST London 09:00-17:00 is 08:00-16:00 UTC; Singapore 09:00-17:00 is 01:00-09:00 UTC: one shared hour.
    assert best["start"] == f"{day.isoformat()}T08:00:00+00:00"
    assert best["insideEveryonesWorkingHours"] is True
    assert best["maxCost"] == 0
    assert best["attendees"] == [
        {
            "person": {"name": "Ana"},
            "timeZone": "Europe/London",
            "localStart": f"{day.isoformat()}T09:00:00+01:00",
            "localEnd": f"{day.isoformat()}T10:00:00+01:00",
            "insideWorkingHours": True,
            "inNight": False,
            "cost": 0.0,
        },
        {
            "person": {"name": "Ben"},
            "timeZone": "Asia/Singapore",
            "localStart": f"{day.isoformat()}T16:00:00+08:00",
            "localEnd": f"{day.isoformat()}T17:00:00+08:00",
            "insideWorkingHours": True,
            "inNight": False,
            "cost": 0.0,
        },
    ]
    # The rest fall outside someone's hours, ranked by the burden on the worst-off person.
    assert [s["insideEveryonesWorkingHours"] for s in slots[1:]] == [False, False]
    assert slots[1]["maxCost"] <= slots[2]["maxCost"]
    assert not any(a["inNight"] for s in slots for a in s["attendees"])


async def test_a_scheduled_meeting_elsewhere_takes_its_time_out(gql, pair):
    ana, _, relationship = pair
    cara = await make_person()
    day = next_summer_tuesday()
    await make_meeting(
        await make_relationship(ana, cara), ana, cara, start=datetime.combine(day, time(8, 0), tzinfo=UTC), minutes=60
    )
    data = await gql(SLOTS, search(relationship, window=day_window(day), limit=20), as_=ana)
    slots = data["availableSlots"]["slots"]
    blocked = (datetime.combine(day, time(8, 0), tzinfo=UTC), datetime.combine(day, time(9, 0), tzinfo=UTC))
    assert slots
    for slot in slots:
        start, end = datetime.fromisoformat(slot["start"]), datetime.fromisoformat(slot["end"])
        assert end <= blocked[0] or start >= blocked[1]
    assert not slots[0]["insideEveryonesWorkingHours"]


async def test_people_without_working_hours_are_read_as_nine_to_five_weekdays(gql, db):
    ana = await make_person(name="Ana", time_zone="America/New_York")
    day = next_summer_tuesday()
    data = await gql(SLOTS, search(people=[ana], window=day_window(day), limit=1), as_=ana)
    [slot] = data["availableSlots"]["slots"]
    assert slot["attendees"][0]["localStart"] == f"{day.isoformat()}T09:00:00-04:00"
    assert slot["insideEveryonesWorkingHours"] is True


async def test_coordinators_may_search_a_relationship_but_outsiders_learn_nothing(gql, pair):
    _, _, relationship = pair
    coordinator, outsider = await make_person(), await make_person()
    await ProgramCoordinator.create(program_id=relationship.program_id, person=coordinator)
    window = day_window(next_summer_tuesday())
    allowed = await gql(SLOTS, search(relationship, window=window), as_=coordinator, role=Role.COORDINATOR)
    hidden = await gql(SLOTS, search(relationship, window=window), as_=outsider)
    assert allowed["availableSlots"]["__typename"] == "AvailableSlots"
    assert (hidden["availableSlots"]["__typename"], hidden["availableSlots"]["field"]) == (
        "NotFoundError",
        "relationshipId",
    )


async def test_searching_people_must_include_yourself(gql, pair):
    ana, ben, _ = pair
    cara = await make_person()
    window = day_window(next_summer_tuesday())
    mine = await gql(SLOTS, search(people=[ana, cara], window=window), as_=ana)
    others = await gql(SLOTS, search(people=[ben, cara], window=window), as_=ana)
    assert mine["availableSlots"]["__typename"] == "AvailableSlots"
    assert (others["availableSlots"]["__typename"], others["availableSlots"]["field"]) == (
        "PermissionDeniedError",
        "personIds",
    )


def _past_window() -> dict:
    start = datetime.now(UTC) - timedelta(days=3)
    return {"from": iso(start), "to": iso(start + timedelta(days=1))}


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"from": iso(datetime(2027, 7, 7, tzinfo=UTC)), "to": iso(datetime(2027, 7, 6, tzinfo=UTC))}, "to", "after"),
        ({"durationMinutes": 0}, "durationMinutes", "positive"),
        ({"durationMinutes": -15}, "durationMinutes", "positive"),
        ({"limit": 0}, "limit", "1 to"),
        (_past_window(), "from", "can still be booked"),
        ({"from": "2027-07-06T00:00:00"}, "from", "UTC offset"),
        ({"personIds": [gid("Person", 1)]}, "relationshipId", "either"),
        ({"relationshipId": gid("Program", 1)}, "relationshipId", "Expected the ID of a Relationship"),
    ],
)
async def test_bad_input_is_a_typed_error_naming_the_field(gql, pair, overrides, field, message):
    ana, _, relationship = pair
    variables = search(relationship, window=day_window(next_summer_tuesday()))
    variables["input"].update(overrides)
    async with assert_unchanged():
        data = await gql(SLOTS, variables, as_=ana)
    result = data["availableSlots"]
    assert (result["__typename"], result["field"]) == ("ValidationError", field)
    assert message in result["message"]


async def test_a_duration_longer_than_anyones_working_day_is_refused(gql, db):
    ana = await make_person(time_zone="Europe/Paris")
    ben = await make_person(time_zone="Europe/Madrid")
    await make_working_week(ana, 9 * 60, 13 * 60)
    await make_working_week(ben, 10 * 60, 14 * 60)
    relationship = await make_relationship(ana, ben)
    async with assert_unchanged():
        data = await gql(SLOTS, search(relationship, window=day_window(next_summer_tuesday()), minutes=300), as_=ana)
    assert data["availableSlots"] == {
        "__typename": "ValidationError",
        "message": "The meeting is longer than anyone's working day.",
        "code": "VALIDATION",
        "field": "durationMinutes",
    }


async def test_an_unknown_zone_in_a_profile_names_that_person(gql, pair):
    ana, ben, relationship = pair
    await Person.filter(id=ben.id).update(time_zone="Mars/Olympus_Mons")
    window = day_window(next_summer_tuesday())
    async with assert_unchanged():
        by_people = await gql(SLOTS, search(people=[ana, ben], window=window), as_=ana)
        by_relationship = await gql(SLOTS, search(relationship, window=window), as_=ana)
    assert (by_people["availableSlots"]["__typename"], by_people["availableSlots"]["field"]) == (
        "ValidationError",
        "personIds[1].timeZone",
    )
    assert by_relationship["availableSlots"]["field"] == "relationshipId.timeZone"


async def test_an_unknown_person_and_a_window_over_a_year_are_typed_errors(gql, pair):
    ana, _, _ = pair
    day = next_summer_tuesday()
    start = datetime.combine(day, time(0), tzinfo=UTC)
    async with assert_unchanged():
        known = await gql(SLOTS, search(people=[ana], window=day_window(day)), as_=ana)
        variables = search(window=day_window(day))
        variables["input"]["personIds"] = [gid("Person", ana.id), gid("Person", 999_999)]
        missing = await gql(SLOTS, variables, as_=ana)
        too_long = await gql(
            SLOTS, search(people=[ana], window=(iso(start), iso(start + timedelta(days=367)))), as_=ana
        )
    assert known["availableSlots"]["__typename"] == "AvailableSlots"
    assert (missing["availableSlots"]["__typename"], missing["availableSlots"]["field"]) == (
        "NotFoundError",
        "personIds[1]",
    )
    assert (too_long["availableSlots"]["__typename"], too_long["availableSlots"]["field"]) == ("ValidationError", "to")
