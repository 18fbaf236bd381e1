"""Series and meetings stay inside the agreement: planned, booked and moved only up to its last day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.agreements.models import AgreementVersion
from domain.agreements.terms import add_months
from domain.meetings.models import Meeting
from domain.programs.models import Cadence
from domain.scheduling.cadence import occurrence_dates
from tests.factories import make_program
from tests.factories_meetings import iso, make_agreement, make_meeting, make_working_pair, soon
from tests.schema.test_meetings_series import BOOK_SERIES, PLAN
from tests.support import assert_unchanged, gid

LONDON = ZoneInfo("Europe/London")
RESCHEDULE = """
mutation R($input: RescheduleMeetingInput!) {
  rescheduleMeeting(input: $input) { __typename ... on Error { message code field } }
}
"""
BOOK = """
mutation B($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { message code field } }
}
"""
LEDGER_AFTER = """
query P($input: PlanSeriesInput!) {
  planSeries(input: $input) {
    ... on SeriesPlan {
      occurrences { beyondBookingHorizon ledgerAfter { person { name } cost outOfHoursCount nightCount } }
      ledger { person { name } cost outOfHoursCount nightCount }
    }
  }
}
"""


def today() -> date:
    return datetime.now(UTC).date()


@pytest.fixture
async def pair(db):
    """Ana in London and Ben in Singapore, meeting monthly under an agreement whose end each test sets."""
    ana, ben, relationship = await make_working_pair(program=await make_program(cadence=Cadence.MONTHLY))
    await make_agreement(relationship, Cadence.MONTHLY)
    return ana, ben, relationship


async def agreement_ends(relationship, ends_on: date) -> None:
    await AgreementVersion.filter(agreement__relationship_id=relationship.id).update(ends_on=ends_on)


def series_input(relationship, first: date, count: int, **fields) -> dict:
    fields = {"relationshipId": gid("Relationship", relationship.id), "firstDate": first.isoformat(), **fields}
    return {"input": {**fields, "count": count}}


async def test_a_series_reaching_past_the_agreements_end_is_refused_saying_how_many_fit(gql, pair):
    ana, _, relationship = pair
    first = today() + timedelta(days=3)
    third = occurrence_dates(first, "MONTHLY", 3)[2]
    await agreement_ends(relationship, third + timedelta(days=1))

    for document, name in [(PLAN, "planSeries"), (BOOK_SERIES, "bookSeries")]:
        async with assert_unchanged():
            data = await gql(document, series_input(relationship, first, 4), as_=ana)
        assert data[name] == {
            "__typename": "ValidationError",
            "code": "VALIDATION",
            "field": "count",
            "message": f"Only 3 occurrences fit before the agreement ends on {third + timedelta(days=1)}; "
            "ask for 3 or fewer.",
        }


async def test_the_last_occurrence_falls_on_or_before_the_agreements_last_day(gql, pair):
    ana, _, relationship = pair
    first = today() + timedelta(days=3)
    third = occurrence_dates(first, "MONTHLY", 3)[2]
    # the third occurrence's week is cut to its first two days
    await agreement_ends(relationship, third + timedelta(days=1))

    data = await gql(BOOK_SERIES, series_input(relationship, first, 3), as_=ana)

    meetings = data["bookSeries"]["series"]["meetings"]
    assert len(meetings) == 3
    last_start = datetime.fromisoformat(meetings[-1]["start"]).astimezone(LONDON)
    assert third <= last_start.date() <= third + timedelta(days=1)


async def test_a_series_starting_after_the_agreement_ends_names_the_first_date(gql, pair):
    ana, _, relationship = pair
    await agreement_ends(relationship, today() + timedelta(days=10))
    async with assert_unchanged():
        data = await gql(PLAN, series_input(relationship, today() + timedelta(days=20), 2), as_=ana)
    assert (data["planSeries"]["__typename"], data["planSeries"]["field"]) == ("ValidationError", "firstDate")


async def test_a_meeting_is_neither_booked_nor_moved_past_the_agreements_end(gql, pair):
    ana, ben, relationship = pair
    ends_on = today() + timedelta(days=20)
    await agreement_ends(relationship, ends_on)
    meeting = await make_meeting(relationship, ana, ben, start=soon())
    past_the_end = datetime.combine(ends_on + timedelta(days=1), time(10, 0), tzinfo=LONDON)
    message = f"The agreement ends on {ends_on}; meetings start on or before that day."

    async with assert_unchanged():
        moved = await gql(
            RESCHEDULE,
            {"input": {"meetingId": gid("Meeting", meeting.id), "start": iso(past_the_end), "durationMinutes": 45}},
            as_=ana,
        )
        booked = await gql(
            BOOK,
            {
                "input": {
                    "relationshipId": gid("Relationship", relationship.id),
                    "start": iso(past_the_end),
                    "durationMinutes": 45,
                    "title": "After the end",
                }
            },
            as_=ana,
        )
    for result in (moved["rescheduleMeeting"], booked["bookMeeting"]):
        assert result == {"__typename": "ValidationError", "code": "VALIDATION", "field": "start", "message": message}

    # the agreement's last day itself is still covered
    on_the_last_day = datetime.combine(ends_on, time(10, 0), tzinfo=LONDON)
    moved = await gql(
        RESCHEDULE,
        {"input": {"meetingId": gid("Meeting", meeting.id), "start": iso(on_the_last_day), "durationMinutes": 45}},
        as_=ana,
    )
    assert moved["rescheduleMeeting"]["__typename"] == "MeetingPayload"


async def test_a_year_of_monthly_meetings_starting_next_month_is_planned_and_booked(gql, pair):
    ana, _, relationship = pair
    first = add_months(today(), 1)
    await agreement_ends(relationship, add_months(today(), 13))

    planned = await gql(LEDGER_AFTER, series_input(relationship, first, 12), as_=ana)
    booked = await gql(BOOK_SERIES, series_input(relationship, first, 12), as_=ana)

    occurrences = planned["planSeries"]["occurrences"]
    assert len(occurrences) == 12
    assert not any(o["beyondBookingHorizon"] for o in occurrences)
    assert len(booked["bookSeries"]["series"]["meetings"]) == 12
    assert await Meeting.filter(relationship_id=relationship.id).count() == 12


async def test_a_weekly_series_for_a_whole_year_is_planned(gql, pair):
    ana, _, relationship = pair
    await agreement_ends(relationship, add_months(today(), 12))
    data = await gql(
        LEDGER_AFTER, series_input(relationship, today() + timedelta(days=3), 52, cadence="WEEKLY"), as_=ana
    )
    assert len(data["planSeries"]["occurrences"]) == 52


async def test_every_ledger_after_carries_the_running_out_of_hours_and_night_counts(gql, pair):
    ana, _, relationship = pair
    await agreement_ends(relationship, add_months(today(), 12))

    data = await gql(LEDGER_AFTER, series_input(relationship, today() + timedelta(days=3), 6), as_=ana)

    plan = data["planSeries"]
    running = {"Ana": 0, "Ben": 0}
    for occurrence in plan["occurrences"]:
        for entry in occurrence["ledgerAfter"]:
            name = entry["person"]["name"]
            assert isinstance(entry["outOfHoursCount"], int) and isinstance(entry["nightCount"], int)
            assert entry["outOfHoursCount"] >= running[name]
            running[name] = entry["outOfHoursCount"]
    assert plan["occurrences"][-1]["ledgerAfter"] == plan["ledger"]
    # London and Singapore share no working hour in winter, so someone is out of hours every time
    assert sum(entry["outOfHoursCount"] for entry in plan["ledger"]) >= 1
