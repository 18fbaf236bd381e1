"""Differencing attacks on programInsights' retention and mentor-hours totals: two overlapping periods whose
difference is one leaver, one newcomer or one mentor's meeting must not reveal them.

The organisation, everyone employed since June 2025: p0-p19 (Engineering, level 3), the analyst Ada and the
coordinator Cora. In the program, enrolled on 15 December 2025: p0-p9; p0-p4 mentor p5-p9 since 20 December.
Each mentor held one hour-long meeting in January 2026; nobody left, and no mentor shares recognition.
- First quarter of 2026: retention 10 of 10 participants, 12 of 12 others; 5 hours by 5 mentors.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.access import Role
from domain.analytics.models import RecognitionSharing
from domain.meetings.models import MeetingStatus
from domain.people.models import Person
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.factories import make_enrollment, make_person, make_program
from tests.factories_meetings import make_meeting
from tests.factories_relationships import make_relationship
from tests.support import gid

INSIGHTS = """
query I($program: ID!, $period: PeriodInput!) {
  programInsights(programId: $program, period: $period) {
    ... on ProgramInsights {
      breakdownsStart breakdownsEnd
      retention { group size count rate suppressed }
      mentorHoursTotal mentorsWithHours mentorHours { name hours }
    }
  }
}
"""
FIRST_QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}
TO_TENTH_APRIL = {"start": "2026-01-01", "end": "2026-04-10"}
HIDDEN_RETENTION = [
    {"group": "PARTICIPANTS", "size": None, "count": None, "rate": None, "suppressed": True},
    {"group": "NON_PARTICIPANTS", "size": None, "count": None, "rate": None, "suppressed": True},
]


def at(month: int, day: int, year: int = 2026) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=UTC)


def retention(participants, participants_kept, others, others_kept):
    return [
        {"group": "PARTICIPANTS", "size": participants, "count": participants_kept,
         "rate": round(participants_kept / participants, 4), "suppressed": False},
        {"group": "NON_PARTICIPANTS", "size": others, "count": others_kept,
         "rate": round(others_kept / others, 4), "suppressed": False},
    ]  # fmt: skip


@pytest.fixture
async def org(db):
    ada = await make_person(name="Ada", department=None, level=None)
    cora = await make_person(name="Cora", department=None, level=None)
    people = [await make_person(name=f"p{i}", department="Engineering", level=3) for i in range(20)]
    await Person.all().update(created_at=at(6, 1, year=2025))
    program = await make_program(coordinators=[cora])
    for person in people[:5]:
        await make_enrollment(person, program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.ACTIVE)
    for person in people[5:10]:
        await make_enrollment(person, program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.all().update(created_at=at(12, 15, year=2025))
    pairs = []
    for mentor, mentee in zip(people[:5], people[5:10], strict=True):
        pair = await make_relationship(
            [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)],
            program=program,
            status=RelationshipStatus.ACTIVE,
            started_at=at(12, 20, year=2025),
        )
        await make_meeting(pair, mentor, mentee, start=at(1, 12), minutes=60, status=MeetingStatus.HELD)
        pairs.append(pair)
    return dict(program=program, ada=ada, cora=cora, people=people, pairs=pairs)


async def _ask(gql, org, period, *, as_="ada", role=Role.ANALYST):
    variables = {"program": gid("Program", org["program"].id), "period": period}
    return (await gql(INSIGHTS, variables, as_=org[as_], role=role))["programInsights"]


async def _leave(org, *indexes, on=datetime.date(2026, 4, 10)):
    ids = [org["people"][i].id for i in indexes]
    await Person.filter(id__in=ids).update(is_active=False, left_on=on)


async def test_the_quiet_first_quarter_shows_retention_and_the_hours_total(gql, org):
    first = await _ask(gql, org, FIRST_QUARTER)

    assert (first["breakdownsStart"], first["breakdownsEnd"]) == ("2026-01-01", "2026-03-31")
    assert first["retention"] == retention(10, 10, 12, 12)
    assert (first["mentorHoursTotal"], first["mentorsWithHours"]) == (5.0, 5)


async def test_one_leaver_between_two_overlapping_periods_does_not_reveal_whether_they_took_part(gql, org):
    # the attack: p12 (not in the program) leaves on 10 April; the first quarter and 1 January - 10 April differ
    # by that leaver alone, and over days the second would read "others 11 of 12 retained"
    await _leave(org, 12)

    first = await _ask(gql, org, FIRST_QUARTER)
    stretched = await _ask(gql, org, TO_TENTH_APRIL)
    day_before = await _ask(gql, org, {"start": "2026-01-01", "end": "2026-04-09"})

    assert first["retention"] == retention(10, 10, 12, 12)
    # answered over the first half year, whose second quarter holds one leaver: both groups withheld, and the
    # day before the leaving answers alike
    assert (stretched["breakdownsStart"], stretched["breakdownsEnd"]) == ("2026-01-01", "2026-06-30")
    assert stretched["retention"] == day_before["retention"] == HIDDEN_RETENTION


async def test_five_leavers_in_a_quarter_are_shown_and_one_of_them_in_the_program_is_not(gql, org):
    await _leave(org, 10, 11, 12, 13, 14)
    assert (await _ask(gql, org, TO_TENTH_APRIL))["retention"] == retention(10, 10, 12, 7)

    # one of the five a participant instead: the quarter's leavers split one and four, so neither is shown
    await Person.filter(id=org["people"][14].id).update(is_active=True, left_on=None)
    await _leave(org, 9)
    assert (await _ask(gql, org, TO_TENTH_APRIL))["retention"] == HIDDEN_RETENTION


async def test_a_newcomer_between_two_periods_that_start_apart_is_not_revealed(gql, org):
    # the attack moves the start: from 1 October 2025 the population lacks a newcomer of 10 November, whom the
    # first quarter counts among the others (12 of 12, then 13 of 13 with the newcomer)
    from_october = {"start": "2025-10-01", "end": "2026-03-31"}
    assert (await _ask(gql, org, from_october))["retention"] == retention(10, 10, 12, 12)
    newcomer = await make_person(name="n", department="Engineering", level=3)
    await Person.filter(id=newcomer.id).update(created_at=at(11, 10, year=2025))

    first = await _ask(gql, org, FIRST_QUARTER)
    earlier = await _ask(gql, org, from_october)

    assert first["retention"] == retention(10, 10, 13, 13)
    assert earlier["retention"] == HIDDEN_RETENTION


async def test_one_mentor_meeting_between_two_overlapping_periods_does_not_reveal_their_hours(gql, org):
    # the attack: p0 alone meets in the second quarter, on 3 April, for 90 minutes
    p0, p5 = org["people"][0], org["people"][5]
    await make_meeting(org["pairs"][0], p0, p5, start=at(4, 3), minutes=90, status=MeetingStatus.HELD)

    first = await _ask(gql, org, FIRST_QUARTER)
    stretched = await _ask(gql, org, TO_TENTH_APRIL)

    assert (first["mentorHoursTotal"], first["mentorsWithHours"]) == (5.0, 5)
    # over days the second would read 6.5: p0's 1.5 hours. The half year's second quarter holds one mentor.
    assert (stretched["mentorHoursTotal"], stretched["mentorsWithHours"]) == (None, None)

    # the four other mentors meeting in April too make a block of five: the total is shown again
    for pair, mentor, mentee in zip(org["pairs"][1:], org["people"][1:5], org["people"][6:10], strict=True):
        await make_meeting(pair, mentor, mentee, start=at(4, 7), minutes=60, status=MeetingStatus.HELD)
    assert (await _ask(gql, org, TO_TENTH_APRIL))["mentorHoursTotal"] == 10.5


async def test_a_sharing_mentor_leaves_four_private_ones_whose_total_a_coordinator_would_learn(gql, org):
    # p0 shares recognition: the coordinator sees p0's hour by name, and the total less it would be the other
    # four mentors' hours, a group under five
    await RecognitionSharing.create(person=org["people"][0])

    coordinator = await _ask(gql, org, FIRST_QUARTER, as_="cora", role=Role.COORDINATOR)
    analyst = await _ask(gql, org, FIRST_QUARTER)

    assert coordinator["mentorHours"] == [{"name": "p0", "hours": 1.0}]
    assert coordinator["mentorHoursTotal"] is None
    # the same data answers every role alike
    assert (analyst["mentorHoursTotal"], analyst["mentorHours"]) == (None, [])


async def test_a_relationship_ending_in_the_quarter_counts_as_a_change_of_who_takes_part(gql, org):
    # a relationship of p10 and p11, outside enrollment, ran only in the last quarter of 2025: from 1 October
    # they are participants, from 1 January not; two people, so the earlier-starting answer is withheld
    await make_relationship(
        [(org["people"][10], MemberRole.MENTOR), (org["people"][11], MemberRole.MENTEE)],
        program=org["program"],
        status=RelationshipStatus.COMPLETED,
        started_at=at(10, 5, year=2025),
        ended_at=at(11, 30, year=2025),
    )
    assert await Relationship.filter(program=org["program"]).count() == 6

    assert (await _ask(gql, org, FIRST_QUARTER))["retention"] == retention(10, 10, 12, 12)
    # (without it, the same two periods both answer: test_a_newcomer_between_two_periods_that_start_apart...)
    assert (await _ask(gql, org, {"start": "2025-10-01", "end": "2026-03-31"}))["retention"] == HIDDEN_RETENTION
