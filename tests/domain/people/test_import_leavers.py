"""Leavers from a people import (a `left_on` cell) close out as a directory sync's leavers do: the one
close_for_leavers, in the import's transaction (tests/integrations/directory/test_leavers.py: the sync path).

Given Lea with an ACTIVE pair (a meeting ahead), a PROPOSED one and a PAUSED one, a pending mentor request
and an APPROVED enrollment, and Otto, her partner, who stays: a file saying Lea left yesterday.
"""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

import pytest

from domain.access import Role
from domain.meetings.models import Meeting, MeetingStatus
from domain.people.importer import import_people_csv
from domain.people.leavers import CLOSURE_NOTE, WITHDRAWAL_REASON, LeaversClosed
from domain.people.models import Person
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramTier
from domain.relationships.models import (
    ClosureReason,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipStatus,
)
from tests.factories import make_enrollment, make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship, soon
from tests.support import assert_unchanged

YESTERDAY = (datetime.datetime.now(UTC) - timedelta(days=1)).date()


@pytest.fixture
async def life(db):
    lea = await make_person(name="Lea", email="lea@acme.example")
    otto = await make_person(name="Otto", email="otto@acme.example")
    active = await make_relationship(otto, lea)
    meeting = await make_meeting(active, otto, lea, start=soon(), minutes=45)
    proposed = await make_relationship(otto, lea, status=RelationshipStatus.PROPOSED)
    paused = await make_relationship(lea, otto, status=RelationshipStatus.PAUSED)
    program = await make_program(tier=ProgramTier.SELF_SERVICE)
    enrollment = await make_enrollment(lea, program, role=EnrollmentRole.MENTEE, status=EnrollmentStatus.APPROVED)
    staying = await make_enrollment(otto, program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.APPROVED)
    request = await MentorRequest.create(
        program=program, mentee=lea, mentor=otto, expires_at=datetime.datetime.now(UTC) + timedelta(days=5)
    )
    return dict(
        lea=lea,
        relationships=[active, proposed, paused],
        meeting=meeting,
        enrollment=enrollment,
        staying=staying,
        request=request,
    )


def leaving_file(day: datetime.date = YESTERDAY) -> str:
    return f"email,left_on\nlea@acme.example,{day.isoformat()}\n"


EVERYTHING = LeaversClosed(relationships_ended=3, meetings_cancelled=1, requests_cancelled=1, enrollments_withdrawn=1)


async def test_an_imported_leaver_has_everything_they_were_part_of_closed(life):
    report = await import_people_csv(leaving_file())

    lea = await Person.get(id=life["lea"].id)
    assert (lea.is_active, lea.left_on) == (False, YESTERDAY)
    for relationship in life["relationships"]:
        ended = await Relationship.get(id=relationship.id)
        assert (ended.status, ended.closure_reason, ended.closure_note) == (
            RelationshipStatus.ENDED_EARLY,
            ClosureReason.LEFT_COMPANY,
            CLOSURE_NOTE,
        )
    assert (await Meeting.get(id=life["meeting"].id)).status is MeetingStatus.CANCELLED
    assert (await MentorRequest.get(id=life["request"].id)).status is MentorRequestStatus.CANCELLED
    withdrawn = await Enrollment.get(id=life["enrollment"].id)
    assert (withdrawn.status, withdrawn.withdrawal_reason) == (EnrollmentStatus.WITHDRAWN, WITHDRAWAL_REASON)
    assert (await Enrollment.get(id=life["staying"].id)).status is EnrollmentStatus.APPROVED
    assert (report.updated, report.leavers, report.closed) == (1, 1, EVERYTHING)
    assert "1 left: 3 relationships ended (LEFT_COMPANY), 1 meetings cancelled" in report.summary()


async def test_a_dry_run_counts_the_same_close_out_and_writes_nothing(life):
    async with assert_unchanged():
        report = await import_people_csv(leaving_file(), dry_run=True)

    assert (report.leavers, report.closed) == (1, EVERYTHING)


async def test_importing_the_file_again_closes_nothing_twice(life):
    await import_people_csv(leaving_file())

    async with assert_unchanged():
        again = await import_people_csv(leaving_file())

    assert (again.unchanged, again.leavers, again.closed) == (1, 0, LeaversClosed())


async def test_a_row_that_fails_closes_nothing_for_that_person(life):
    # the leaving day is fine but the row's level is not: the row writes nothing, so Lea has not left
    async with assert_unchanged():
        report = await import_people_csv(f"email,level,left_on\nlea@acme.example,99,{YESTERDAY.isoformat()}\n")

    assert [(e.row, e.field) for e in report.errors] == [(2, "level")]
    assert (report.leavers, report.closed) == (0, LeaversClosed())


async def test_someone_already_gone_with_a_new_leaving_day_is_no_new_leaver(life):
    await Person.filter(id=life["lea"].id).update(is_active=False, left_on=YESTERDAY - timedelta(days=30))

    report = await import_people_csv(leaving_file())

    assert (report.updated, report.leavers) == (1, 0)
    assert (await Relationship.get(id=life["relationships"][0].id)).status is RelationshipStatus.ACTIVE


IMPORT = """
mutation Import($input: ImportPeopleInput!) {
  importPeople(input: $input) {
    ... on ImportPeoplePayload {
      updated leavers
      leaversClosed { relationshipsEnded meetingsCancelled requestsCancelled enrollmentsWithdrawn }
    }
  }
}
"""


async def test_the_import_mutation_reports_the_close_out(gql, life):
    admin = await make_person(name="Admin")

    data = await gql(IMPORT, {"input": {"csv": leaving_file()}}, as_=admin, role=Role.ADMIN)

    assert data["importPeople"] == {
        "updated": 1,
        "leavers": 1,
        "leaversClosed": {
            "relationshipsEnded": 3,
            "meetingsCancelled": 1,
            "requestsCancelled": 1,
            "enrollmentsWithdrawn": 1,
        },
    }
