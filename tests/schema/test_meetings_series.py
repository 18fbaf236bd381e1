"""planSeries and bookSeries through GraphQL: a fair plan with each person's local times and ledger, booked whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from domain.agreements.models import AgreementVersion
from domain.meetings.models import Meeting, MeetingAttendee, MeetingSeries
from domain.programs.models import Cadence, ProgramCoordinator
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program, make_working_week
from tests.factories_meetings import make_agreement, make_relationship, make_working_pair
from tests.support import assert_unchanged, gid

PLAN = """
query P($input: PlanSeriesInput!) {
  planSeries(input: $input) {
    __typename
    ... on SeriesPlan {
      cadence count durationMinutes firstDate maxCost totalCost
      occurrences { start end attendees { person { name } timeZone localStart insideWorkingHours inNight cost }
                    ledgerAfter { person { name } cost } }
      ledger { person { name } cost outOfHoursCount nightCount }
      fixedTimeComparison { weekday time maxCost totalCost ledger { person { name } cost outOfHoursCount } }
    }
    ... on Error { message code field }
  }
}
"""
BOOK_SERIES = """
mutation B($input: BookSeriesInput!) {
  bookSeries(input: $input) {
    __typename
    ... on BookSeriesPayload {
      series { cadence count durationMinutes ledger { person { name } cost nightCount }
               meetings { start end title status attendees { person { name } rsvp } series { count } } }
    }
    ... on Error { message code field }
  }
}
"""


@pytest.fixture
async def london_singapore(db):
    program = await make_program(cadence=Cadence.MONTHLY, meeting_minutes=45, duration_months=12)
    return await make_working_pair(program=program)


def first_date(days: int = 3) -> str:
    return (datetime.now(UTC).date() + timedelta(days=days)).isoformat()


def series_input(relationship, **fields) -> dict:
    return {"input": {"relationshipId": gid("Relationship", relationship.id), "firstDate": first_date(), **fields}}


async def test_a_year_of_monthly_meetings_shares_the_burden_and_avoids_nights(gql, london_singapore):
    ana, _, relationship = london_singapore
    async with assert_unchanged():
        data = await gql(PLAN, series_input(relationship, count=12), as_=ana)
    plan = data["planSeries"]
    assert plan["__typename"] == "SeriesPlan"
    assert (plan["cadence"], plan["count"], plan["durationMinutes"]) == ("MONTHLY", 12, 45)
    assert len(plan["occurrences"]) == 12
    for occurrence in plan["occurrences"]:
        assert [a["timeZone"] for a in occurrence["attendees"]] == ["Europe/London", "Asia/Singapore"]
        start = datetime.fromisoformat(occurrence["start"])
        for attendee in occurrence["attendees"]:
            assert datetime.fromisoformat(attendee["localStart"]) == start
            assert attendee["inNight"] is False
    ledger = {entry["person"]["name"]: entry for entry in plan["ledger"]}
    assert abs(ledger["Ana"]["outOfHoursCount"] - ledger["Ben"]["outOfHoursCount"]) <= 1
    assert ledger["Ana"]["nightCount"] == ledger["Ben"]["nightCount"] == 0
    assert plan["occurrences"][-1]["ledgerAfter"] == [
        {"person": {"name": name}, "cost": ledger[name]["cost"]} for name in ("Ana", "Ben")
    ]
    assert plan["maxCost"] == max(entry["cost"] for entry in ledger.values())
    fixed = plan["fixedTimeComparison"]
    assert fixed["maxCost"] >= plan["maxCost"]


async def test_the_agreements_cadence_and_length_are_the_defaults(gql, london_singapore):
    ana, _, relationship = london_singapore
    agreement = await make_agreement(relationship, Cadence.WEEKLY)
    await AgreementVersion.filter(agreement_id=agreement.id).update(meeting_minutes=30)
    data = await gql(PLAN, series_input(relationship, count=3), as_=ana)
    plan = data["planSeries"]
    assert (plan["cadence"], plan["durationMinutes"]) == ("WEEKLY", 30)
    starts = [datetime.fromisoformat(o["start"]) for o in plan["occurrences"]]
    assert starts == sorted(starts) and len(set(starts)) == 3


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"count": 0}, "count"),
        ({"count": 27}, "count"),
        ({"count": 14}, "count"),
        ({"count": 2, "firstDate": first_date(-20)}, "firstDate"),
        ({"count": 2, "durationMinutes": 0}, "durationMinutes"),
        ({"count": 2, "durationMinutes": 600}, "durationMinutes"),
    ],
)
async def test_bad_plans_are_typed_errors_naming_the_field(gql, london_singapore, fields, field):
    ana, _, relationship = london_singapore
    async with assert_unchanged():
        data = await gql(PLAN, series_input(relationship, **fields), as_=ana)
    assert (data["planSeries"]["__typename"], data["planSeries"]["field"]) == ("ValidationError", field)


async def test_only_members_plan_a_series(gql, london_singapore):
    _, _, relationship = london_singapore
    outsider = await make_person()
    async with assert_unchanged():
        data = await gql(PLAN, series_input(relationship, count=2), as_=outsider)
    assert data["planSeries"]["__typename"] == "PermissionDeniedError"


async def test_booking_a_series_writes_the_planned_meetings_and_the_ledger(gql, london_singapore):
    ana, ben, relationship = london_singapore
    planned = (await gql(PLAN, series_input(relationship, count=4, cadence="BIWEEKLY"), as_=ben))["planSeries"]

    data = await gql(BOOK_SERIES, series_input(relationship, count=4, cadence="BIWEEKLY", title="Fortnightly"), as_=ben)

    booked = data["bookSeries"]["series"]
    assert (booked["cadence"], booked["count"], booked["durationMinutes"]) == ("BIWEEKLY", 4, 45)
    assert [(m["start"], m["end"]) for m in booked["meetings"]] == [
        (o["start"], o["end"]) for o in planned["occurrences"]
    ]
    for meeting in booked["meetings"]:
        assert (meeting["title"], meeting["status"], meeting["series"]) == ("Fortnightly", "SCHEDULED", {"count": 4})
        assert meeting["attendees"] == [
            {"person": {"name": "Ana"}, "rsvp": "NEEDS_ACTION"},
            {"person": {"name": "Ben"}, "rsvp": "ACCEPTED"},
        ]
    assert [(e["person"]["name"], e["cost"]) for e in booked["ledger"]] == [
        (e["person"]["name"], e["cost"]) for e in planned["ledger"]
    ]
    series = await MeetingSeries.get(relationship_id=relationship.id)
    assert await Meeting.filter(series_id=series.id).count() == 4
    assert await MeetingAttendee.filter(meeting__series_id=series.id).count() == 8
    assert set(series.ledger) == {str(ana.id), str(ben.id)}


async def test_a_series_needs_an_active_relationship(gql, db):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben, status=RelationshipStatus.PROPOSED)
    async with assert_unchanged():
        data = await gql(BOOK_SERIES, series_input(relationship, count=2), as_=ana)
    assert (data["bookSeries"]["__typename"], data["bookSeries"]["field"]) == (
        "InvalidTransitionError",
        "relationshipId",
    )


async def test_a_series_with_a_bad_title_writes_nothing(gql, london_singapore):
    ana, _, relationship = london_singapore
    async with assert_unchanged():
        data = await gql(BOOK_SERIES, series_input(relationship, count=2, title=" "), as_=ana)
    assert (data["bookSeries"]["__typename"], data["bookSeries"]["field"]) == ("ValidationError", "title")


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COORDINATOR])
async def test_only_members_book_a_series_and_nothing_is_written_for_anyone_else(gql, london_singapore, role):
    _, _, relationship = london_singapore
    # the program's own coordinator may look at the relationship, but books nothing for its members
    someone = await make_person()
    if role is Role.COORDINATOR:
        await ProgramCoordinator.create(program_id=relationship.program_id, person=someone)
    async with assert_unchanged():
        data = await gql(BOOK_SERIES, series_input(relationship, count=2), as_=someone, role=role)
    assert (data["bookSeries"]["__typename"], data["bookSeries"]["field"]) == (
        "PermissionDeniedError",
        "relationshipId",
    )


async def test_a_series_longer_than_anyones_working_day_is_refused(gql, db):
    ana = await make_person(time_zone="Europe/London")
    ben = await make_person(time_zone="Asia/Singapore")
    await make_working_week(ana, 9 * 60, 13 * 60)
    await make_working_week(ben, 14 * 60, 18 * 60)
    relationship = await make_relationship(ana, ben)
    for document, name in [(PLAN, "planSeries"), (BOOK_SERIES, "bookSeries")]:
        async with assert_unchanged():
            data = await gql(document, series_input(relationship, count=2, durationMinutes=241), as_=ana)
        assert data[name] == {
            "__typename": "ValidationError",
            "message": "The meeting is longer than anyone's working day.",
            "code": "VALIDATION",
            "field": "durationMinutes",
        }
