"""availableSlots over HTTP across daylight-saving changes: zones that switch on different dates, a connected
calendar's busy time, and local times that do not exist (spring forward) or happen twice (fall back).

Dates are the next real transitions after today, found with zoneinfo, so the test never goes stale; the app
allows booking 400 days ahead so any of them is in reach.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.people.models import WorkingHours
from tests.domain.meetings.test_availability import CalendarWithBusyBlocks
from tests.factories import make_person, make_working_week
from tests.factories_meetings import make_relationship
from tests.support import GraphQLClient, assert_unchanged, gid

SLOTS = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    __typename
    ... on AvailableSlots {
      slots { start end insideEveryonesWorkingHours
              attendees { person { name } timeZone localStart localEnd insideWorkingHours } }
    }
    ... on Error { message field }
  }
}
"""
NEW_YORK, LONDON = ZoneInfo("America/New_York"), ZoneInfo("Europe/London")


def next_change(zone: ZoneInfo, *, forward: bool, after: date) -> date:
    """The next date on which `zone` moves its clocks forward (or back)."""
    day = after
    while True:
        before = datetime.combine(day, time(0), tzinfo=zone).utcoffset()
        later = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).utcoffset()
        if (later > before) if forward else (later < before):
            return day
        day += timedelta(days=1)


def monday_after(day: date) -> date:
    return day + timedelta(days=7 - day.weekday())


def utc_day(day: date) -> dict:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return {"from": start.isoformat(), "to": (start + timedelta(days=1)).isoformat()}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


def quarter_hours(day: date, first: int, last: int) -> list[str]:
    """ISO starts every 15 minutes from first:00 to last:00 UTC inclusive."""
    return [(at(day, first) + timedelta(minutes=15 * k)).isoformat() for k in range(4 * (last - first) + 1)]


@pytest.fixture
def calendar() -> CalendarWithBusyBlocks:
    return CalendarWithBusyBlocks({})


@pytest.fixture
async def far_gql(db, calendar):
    """The app with a 400-day booking horizon and a connected calendar the test fills in."""
    settings = load_settings(database_url=db, booking_max_horizon_days=400)
    app = create_app(settings, manage_database=False, free_busy=calendar)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as http:
        yield GraphQLClient(http, settings)


def spring() -> tuple[date, date]:
    """The next US and EU spring-forward Sundays (the US moves two or three weeks before Europe)."""
    us = next_change(NEW_YORK, forward=True, after=datetime.now(UTC).date() + timedelta(days=8))
    return us, next_change(LONDON, forward=True, after=us)


async def test_shared_hours_follow_each_zones_own_clock_change_and_a_calendars_busy_time(far_gql, calendar):
    # given Ana in London and Ben in New York, both 09:00-17:00 on weekdays
    ana = await make_person(name="Ana", time_zone="Europe/London")
    ben = await make_person(name="Ben", time_zone="America/New_York")
    await make_working_week(ana)
    await make_working_week(ben)
    relationship = await make_relationship(ana, ben)
    us_change, eu_change = spring()
    before, between, after = us_change - timedelta(days=6), monday_after(us_change), monday_after(eu_change)
    assert between < eu_change
    # and Ana's connected calendar is busy 13:00-14:00 UTC on the Monday after the US change
    calendar.blocks[ana.id] = [(at(between, 13), at(between, 14))]

    async def shared(day: date) -> list[dict]:
        variables = {"relationshipId": gid("Relationship", relationship.id), **utc_day(day)}
        async with assert_unchanged():
            data = await far_gql(SLOTS, {"input": {**variables, "durationMinutes": 60, "limit": 40}}, as_=ana)
        return [s for s in data["availableSlots"]["slots"] if s["insideEveryonesWorkingHours"]]

    # when each Monday is searched, then the slots inside both days are exactly the overlap that day:
    # both on winter time: London 09-17 UTC, New York 14-22 UTC
    winter = await shared(before)
    assert [s["start"] for s in winter] == quarter_hours(before, 14, 16)
    assert [(a["person"]["name"], a["localStart"]) for a in winter[0]["attendees"]] == [
        ("Ana", f"{before}T14:00:00+00:00"),
        ("Ben", f"{before}T09:00:00-05:00"),
    ]
    # New York on summer time, London not yet: 13-17 UTC, less the calendar's 13:00-14:00 block
    us_summer = await shared(between)
    assert [s["start"] for s in us_summer] == quarter_hours(between, 14, 16)
    assert [a["localStart"] for a in us_summer[0]["attendees"]] == [
        f"{between}T14:00:00+00:00",
        f"{between}T10:00:00-04:00",
    ]
    calendar.blocks.clear()
    assert [s["start"] for s in await shared(between)] == quarter_hours(between, 13, 16)
    # both on summer time: London 08-16 UTC, New York 13-21 UTC
    summer = await shared(after)
    assert [s["start"] for s in summer] == quarter_hours(after, 13, 15)
    assert [a["localStart"] for a in summer[-1]["attendees"]] == [
        f"{after}T16:00:00+01:00",
        f"{after}T11:00:00-04:00",
    ]


async def sunday_night_worker(hours: tuple[int, int]):
    """Cy in New York, whose only working time is Sunday 01:00-04:00 local: across the clock change."""
    cy = await make_person(name="Cy", time_zone="America/New_York")
    await WorkingHours.create(person=cy, weekday=6, start_minute=hours[0] * 60, end_minute=hours[1] * 60)
    return cy


async def test_a_working_stretch_across_spring_forward_is_an_hour_shorter_and_skips_the_missing_hour(far_gql):
    cy = await sunday_night_worker((1, 4))
    us_change, _ = spring()
    data = await far_gql(
        SLOTS,
        {"input": {"personIds": [gid("Person", cy.id)], **utc_day(us_change), "durationMinutes": 60, "limit": 40}},
        as_=cy,
    )
    inside = [s for s in data["availableSlots"]["slots"] if s["insideEveryonesWorkingHours"]]
    # 01:00 EST (06:00 UTC) to 04:00 EDT (08:00 UTC) is two real hours, so an hour-long slot starts 06:00-07:00
    assert [s["start"] for s in inside] == quarter_hours(us_change, 6, 7)
    local = [s["attendees"][0] for s in inside]
    assert local[0]["localStart"] == f"{us_change}T01:00:00-05:00"
    assert local[0]["localEnd"] == f"{us_change}T03:00:00-04:00"
    assert local[-1]["localStart"] == f"{us_change}T03:00:00-04:00"
    # and no slot starts or ends at a wall time that did not exist that night
    for slot in data["availableSlots"]["slots"]:
        for field in ("localStart", "localEnd"):
            stamp = slot["attendees"][0][field]
            assert not (stamp.startswith(f"{us_change}T02:")), stamp


async def test_a_working_stretch_across_fall_back_is_an_hour_longer_and_offers_the_repeated_hour_twice(far_gql):
    cy = await sunday_night_worker((1, 4))
    fall_change = next_change(NEW_YORK, forward=False, after=datetime.now(UTC).date() + timedelta(days=8))
    data = await far_gql(
        SLOTS,
        {"input": {"personIds": [gid("Person", cy.id)], **utc_day(fall_change), "durationMinutes": 60, "limit": 40}},
        as_=cy,
    )
    inside = [s for s in data["availableSlots"]["slots"] if s["insideEveryonesWorkingHours"]]
    # 01:00 EDT (05:00 UTC) to 04:00 EST (09:00 UTC) is four real hours
    assert [s["start"] for s in inside] == quarter_hours(fall_change, 5, 8)
    by_start = {s["start"]: s["attendees"][0] for s in inside}
    first, repeated = by_start[at(fall_change, 5).isoformat()], by_start[at(fall_change, 6).isoformat()]
    assert first["localStart"] == f"{fall_change}T01:00:00-04:00"
    assert repeated["localStart"] == f"{fall_change}T01:00:00-05:00"
    assert first["localEnd"] == f"{fall_change}T01:00:00-05:00"
