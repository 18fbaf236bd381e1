"""Slot searches over GraphQL with people's real calendars behind them: Ana's on Google, Ben's on Outlook
(both company connections, served by the fakes). Busy time there removes slots; a provider that does not
answer in time leaves the search answering anyway, naming whose calendar it could not read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.access import Role
from domain.calendar.models import Provider
from domain.meetings.models import Meeting
from integrations.calendar.free_busy import ConnectedCalendars
from tests.factories import make_person, make_program, make_working_week
from tests.factories_meetings import iso, make_relationship
from tests.fakes.calendar_setup import connect, fast_config
from tests.schema.authorization import MEMBERS, OVERSEERS, ROLES, cast_around
from tests.support import GraphQLClient, assert_unchanged, gid

SLOTS = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    __typename
    ... on AvailableSlots { slots { start end } unavailableCalendars { name } }
    ... on Error { message code field }
  }
}
"""
PLAN = """
query P($input: PlanSeriesInput!) {
  planSeries(input: $input) {
    __typename
    ... on SeriesPlan { occurrences { start } unavailableCalendars { name } }
    ... on Error { message code field }
  }
}
"""
BOOK_SERIES = """
mutation B($input: BookSeriesInput!) {
  bookSeries(input: $input) {
    __typename
    ... on BookSeriesPayload { series { meetings { start } } }
    ... on Error { message code field }
  }
}
"""
BATCH = """
query Batch($input: AvailableSlotsForRelationshipsInput!) {
  availableSlotsForRelationships(input: $input) {
    __typename
    ... on AvailableSlotsForRelationships { results { slots { start } unavailableCalendars { name } } }
    ... on Error { message code field }
  }
}
"""
BOOK = """
mutation Book($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { message field } }
}
"""


def next_weekday(days_ahead: int) -> datetime:
    """Midnight UTC of the first Monday-to-Thursday at least `days_ahead` days from now."""
    day = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(hour=0, minute=0, second=0, microsecond=0)
    while day.weekday() > 3:
        day += timedelta(days=1)
    return day


DAY = next_weekday(3)
TIMEOUT = 3


def at(hour: int, day: datetime = DAY) -> datetime:
    return day + timedelta(hours=hour)


@pytest.fixture
async def calendars(db, google, microsoft):
    """Ana (Google) and Ben (Outlook), both working 09:00-17:00 UTC, in a relationship of Cy's program."""
    await connect(Provider.GOOGLE, google, "g.example")
    await connect(Provider.MICROSOFT, microsoft, "m.example")
    ana = await make_person(name="Ana", email="ana@g.example", time_zone="UTC")
    ben = await make_person(name="Ben", email="ben@m.example", time_zone="UTC")
    cy = await make_person(name="Cy")
    for person in (ana, ben):
        await make_working_week(person)
    google.fake.add_calendars(ana.email)
    microsoft.fake.add_mailboxes(ben.email)
    program = await make_program(coordinators=[cy], duration_months=12)
    return ana, ben, cy, await make_relationship(ana, ben, program=program)


@pytest.fixture
async def gql(db):
    settings = load_settings(database_url=db)
    # Room for a loaded machine to fetch tokens; a slowed fake waits twice as long as this.
    provider = ConnectedCalendars(fast_config(freebusy_timeout_seconds=TIMEOUT))
    app = create_app(settings, manage_database=False, free_busy=provider)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as http:
        yield GraphQLClient(http, settings)
    await provider.close()


def slots_input(relationship, *, start=DAY, days=1, minutes=60, **fields) -> dict:
    window = {"from": iso(start), "to": iso(start + timedelta(days=days)), "durationMinutes": minutes}
    return {"input": {"relationshipId": gid("Relationship", relationship.id), **window, **fields}}


def starts(slots: list[dict]) -> list[datetime]:
    return [datetime.fromisoformat(slot["start"]) for slot in slots]


async def test_busy_time_in_both_calendars_moves_the_best_slot(gql, calendars, google, microsoft):
    ana, ben, _, relationship = calendars
    google.fake.set_busy(ana.email, (at(9), at(12)))
    microsoft.fake.set_busy(ben.email, (at(12), at(13)), status="tentative")

    found = (await gql(SLOTS, slots_input(relationship, limit=40), as_=ana))["availableSlots"]

    assert found["unavailableCalendars"] == []
    assert starts(found["slots"])[0] == at(13)
    assert all(not (at(9) - timedelta(hours=1) < s < at(13)) for s in starts(found["slots"]))


async def test_a_provider_that_times_out_leaves_slots_and_names_whose_calendar(gql, calendars, google, microsoft):
    ana, ben, _, relationship = calendars
    google.fake.set_busy(ana.email, (at(9), at(12)))
    microsoft.fake.set_busy(ben.email, (at(9), at(10)))
    google.fake.free_busy_delay = 2 * TIMEOUT

    found = (await gql(SLOTS, slots_input(relationship), as_=ben))["availableSlots"]

    # Had the search waited, Ana's morning would be busy and her calendar read.
    assert found["unavailableCalendars"] == [{"name": "Ana"}]
    # Ben's Outlook still counts; Ana's unread Google morning does not.
    assert starts(found["slots"])[0] == at(10)


async def test_a_series_plan_avoids_busy_time_and_names_an_unreadable_calendar(gql, calendars, google, microsoft):
    ana, _, _, relationship = calendars
    week = [(at(0, DAY + timedelta(days=d)), at(15, DAY + timedelta(days=d))) for d in range(7)]
    week += [(at(16, DAY + timedelta(days=d)), at(24, DAY + timedelta(days=d))) for d in range(7)]
    google.fake.set_busy(ana.email, *week)
    plan_input = {
        "input": {
            "relationshipId": gid("Relationship", relationship.id),
            "firstDate": DAY.date().isoformat(),
            "count": 1,
            "cadence": "WEEKLY",
            "durationMinutes": 60,
        }
    }

    microsoft.fake.free_busy_delay = 2 * TIMEOUT
    blind = (await gql(PLAN, plan_input, as_=ana))["planSeries"]
    microsoft.fake.free_busy_delay = 0
    # Ana's calendar comes from the cache now; Ben's failed read was not kept, so it is asked again.
    planned = (await gql(PLAN, plan_input, as_=ana))["planSeries"]

    assert blind["unavailableCalendars"] == [{"name": "Ben"}] and starts(blind["occurrences"]) == [at(15)]
    assert planned["unavailableCalendars"] == [] and starts(planned["occurrences"]) == [at(15)]


async def test_book_series_plans_around_busy_time(gql, calendars, google):
    ana, _, _, relationship = calendars
    google.fake.set_busy(
        ana.email, *[(at(0, DAY + timedelta(days=d)), at(14, DAY + timedelta(days=d))) for d in range(7)]
    )
    series = {
        "relationshipId": gid("Relationship", relationship.id),
        "firstDate": DAY.date().isoformat(),
        "count": 1,
        "cadence": "WEEKLY",
        "durationMinutes": 60,
    }

    booked = (await gql(BOOK_SERIES, {"input": series}, as_=ana))["bookSeries"]

    assert booked["__typename"] == "BookSeriesPayload"
    meeting_start = datetime.fromisoformat(booked["series"]["meetings"][0]["start"])
    assert meeting_start.hour >= 14


async def test_a_coordinators_batch_view_names_unreadable_calendars(gql, calendars, microsoft):
    _, _, cy, relationship = calendars
    elsewhere = await make_relationship(await make_person(), await make_person())
    microsoft.fake.free_busy_delay = 2 * TIMEOUT
    batch = {
        "input": {
            "relationshipIds": [gid("Relationship", relationship.id), gid("Relationship", elsewhere.id)],
            "from": iso(DAY),
            "to": iso(DAY + timedelta(days=1)),
            "durationMinutes": 60,
        }
    }

    results = (await gql(BATCH, batch, as_=cy, role=Role.COORDINATOR))["availableSlotsForRelationships"]["results"]

    assert results[0]["unavailableCalendars"] == [{"name": "Ben"}] and results[0]["slots"]
    assert results[1] is None  # not Cy's program: nothing about its people, calendars included


async def test_booking_a_meeting_reads_no_free_busy(gql, calendars, google, microsoft):
    ana, _, _, relationship = calendars
    google.fake.set_busy(ana.email, (at(9), at(12)))

    booked = await gql(
        BOOK, {"input": {"relationshipId": gid("Relationship", relationship.id), "start": iso(at(10))}}, as_=ana
    )

    # The calendar's busy time is the slot search's business; booking takes the time it is given.
    assert booked["bookMeeting"]["__typename"] == "MeetingPayload"
    assert await Meeting.filter(relationship_id=relationship.id).count() == 1
    assert google.fake.free_busy_asked == [] and microsoft.fake.free_busy_asked == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"to": iso(DAY - timedelta(hours=1))}, "to"),
        ({"durationMinutes": 0}, "durationMinutes"),
        ({"limit": 0}, "limit"),
    ],
)
async def test_bad_input_is_a_typed_error_and_asks_no_calendar(gql, calendars, google, microsoft, fields, field):
    ana, _, _, relationship = calendars
    request = slots_input(relationship)
    request["input"].update(fields)

    async with assert_unchanged():
        found = (await gql(SLOTS, request, as_=ana))["availableSlots"]

    assert found["__typename"] == "ValidationError" and found["field"] == field
    assert google.fake.free_busy_asked == [] and microsoft.fake.free_busy_asked == []


async def test_who_learns_whose_calendar_was_unreadable_follows_who_may_search(gql, calendars, microsoft):
    ana, ben, cy, relationship = calendars
    dee = await make_person(name="Dee")
    await make_program(coordinators=[dee])
    people = await cast_around(owner=ana, partner=ben, coordinator=cy, other_coordinator=dee)
    microsoft.fake.most_schedules = 0  # every getSchedule fails at once: Ben's calendar cannot be read
    single = slots_input(relationship)
    batch = {k: v for k, v in single["input"].items() if k != "relationshipId"}
    batch["relationshipIds"] = [single["input"]["relationshipId"]]

    for role in ROLES:
        person, token_role = people[role]
        headers = {"Authorization": f"Bearer {gql.token(person, token_role)}"}
        one = (await gql.raw(SLOTS, single, headers=headers)).json().get("data") or {}
        many = (await gql.raw(BATCH, {"input": batch}, headers=headers)).json().get("data") or {}
        results = (many.get("availableSlotsForRelationships") or {}).get("results") or [None]

        # Members and overseers (the program's coordinators, admins) see whom the search could not read;
        # nobody else learns anything about the pair's calendars.
        expected = [{"name": "Ben"}] if role in MEMBERS | OVERSEERS else None
        assert (one.get("availableSlots") or {}).get("unavailableCalendars") == expected, role
        assert [entry and entry["unavailableCalendars"] for entry in results] == [expected], role
