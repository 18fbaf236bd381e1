"""Leavers found by a directory sync: their relationships end LEFT_COMPANY and their meetings leave calendars."""

from __future__ import annotations

import datetime

from domain.calendar.changes import CALENDAR_TOPIC
from domain.meetings.models import Meeting, MeetingStatus
from domain.outbox.models import OutboxMessage
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, EnrollmentStatus, ProgramTier
from domain.relationships.models import (
    ClosureReason,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipStatus,
)
from integrations.calendar.worker import CalendarWorker
from tests.factories import make_enrollment, make_program
from tests.factories_meetings import make_relationship
from tests.fakes.calendar_setup import fast_config
from tests.fakes.directory_org import external_id, organisation, populate_entra, populate_workspace
from tests.integrations.calendar.conftest import book, settle


async def person(index: int) -> Person:
    return await Person.get(email=f"person{index}@contoso.example")


async def a_mentoring_life(leaver: Person, partner: Person, other: Person) -> dict:
    """An ACTIVE pair with a meeting booked, a PROPOSED pair, a PAUSED one, a pending request, enrollments."""
    _, meeting = await book(leaver, partner)
    proposed = await make_relationship(other, leaver, status=RelationshipStatus.PROPOSED)
    paused = await make_relationship(leaver, other, status=RelationshipStatus.PAUSED)
    program = await make_program(tier=ProgramTier.SELF_SERVICE)
    enrollment = await make_enrollment(leaver, program, role=EnrollmentRole.MENTEE, status=EnrollmentStatus.APPROVED)
    mentor = await make_enrollment(other, program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.APPROVED)
    request = await MentorRequest.create(
        program=program,
        mentee=leaver,
        mentor=other,
        expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=5),
    )
    return dict(
        meeting=meeting, proposed=proposed, paused=paused, enrollment=enrollment, mentor=mentor, request=request
    )


async def test_a_disabled_account_leaves_and_its_meetings_are_cancelled_in_outlook_through_the_outbox(
    entra, entra_connection, sync
):
    populate_entra(entra.fake, organisation(12))
    await sync(entra_connection)
    leaver, partner, other = await person(3), await person(4), await person(5)
    life = await a_mentoring_life(leaver, partner, other)
    worker = CalendarWorker(fast_config(), name="directory-test")
    await settle(worker)
    [event] = entra.fake.organizer_events(leaver.email)
    assert not event["isCancelled"]

    entra.fake.update_user(external_id(3), accountEnabled=False)
    report = await sync(entra_connection)

    leaver = await Person.get(id=leaver.id)
    assert not leaver.is_active and leaver.left_on == datetime.datetime.now(datetime.UTC).date()
    relationship = await Relationship.get(id=(await Meeting.get(id=life["meeting"].id)).relationship_id)
    for ended in (
        relationship,
        await Relationship.get(id=life["proposed"].id),
        await Relationship.get(id=life["paused"].id),
    ):
        assert (ended.status, ended.closure_reason) == (RelationshipStatus.ENDED_EARLY, ClosureReason.LEFT_COMPANY)
    meeting = await Meeting.get(id=life["meeting"].id)
    assert meeting.status is MeetingStatus.CANCELLED
    assert await OutboxMessage.filter(topic=CALENDAR_TOPIC, key=str(meeting.id), status="PENDING").exists()
    assert (await MentorRequest.get(id=life["request"].id)).status is MentorRequestStatus.CANCELLED
    await life["enrollment"].refresh_from_db()
    await life["mentor"].refresh_from_db()
    assert life["enrollment"].status is EnrollmentStatus.WITHDRAWN
    assert life["mentor"].status is EnrollmentStatus.APPROVED  # the one staying keeps their place
    assert (report.leavers, report.closed.relationships_ended, report.closed.meetings_cancelled) == (1, 3, 1)
    assert (report.closed.requests_cancelled, report.closed.enrollments_withdrawn) == (1, 1)

    await settle(worker)
    [event] = entra.fake.organizer_events(leaver.email)
    assert event["isCancelled"]
    await worker.writers.close()


async def test_a_deleted_account_leaves_and_coming_back_reactivates_the_same_person(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(6))
    await sync(entra_connection)
    entra.fake.delete_user(external_id(2))

    report = await sync(entra_connection)

    assert report.leavers == 1 and not (await person(2)).is_active
    entra.fake.restore_user(external_id(2))
    entra.fake.update_user(external_id(2), displayName="Person Two")

    report = await sync(entra_connection)

    back = await person(2)
    assert (back.is_active, back.left_on, back.name) == (True, None, "Person Two")
    assert report.returned == 1 and report.people.created == 0
    assert await Person.filter(email__startswith="person2@").count() == 1


async def test_workspace_suspended_and_removed_users_leave(workspace, workspace_connection, sync):
    populate_workspace(workspace.fake, organisation(8))
    await sync(workspace_connection, google_calendar_time_zones="off")
    workspace.fake.update_user("person6@contoso.example", suspended=True)
    workspace.fake.delete_user("person7@contoso.example")

    report = await sync(workspace_connection, google_calendar_time_zones="off")

    assert report.leavers == 2
    assert [p.email for p in await Person.filter(is_active=False).order_by("email")] == [
        "person6@contoso.example",
        "person7@contoso.example",
    ]
    assert report.people.unchanged == 6


async def test_a_suspended_account_mentorgraph_never_had_is_not_imported(workspace, workspace_connection, sync):
    populate_workspace(workspace.fake, organisation(3))
    workspace.fake.add_user("gone@contoso.example", name="Long Gone", suspended=True)

    report = await sync(workspace_connection, google_calendar_time_zones="off")

    assert report.people.created == 3 and report.skipped_disabled == 1
    assert not await Person.filter(email="gone@contoso.example").exists()


async def test_a_new_reporting_line_inside_an_open_pair_is_flagged_for_the_coordinator(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(20))
    await sync(entra_connection)
    mentor, mentee = await person(10), await person(11)
    active = await make_relationship(mentor, mentee)
    entra.fake.update_user(external_id(11), manager_id=external_id(10))

    report = await sync(entra_connection)

    [flag] = report.flags
    assert flag.startswith(f"relationship {active.id} (ACTIVE")
    assert "Person 11 now reports to Person 10" in flag
    assert (await person(11)).manager_id == mentor.id
    assert (await Relationship.get(id=active.id)).status is RelationshipStatus.ACTIVE  # flagged, not ended


async def test_a_change_to_a_disabled_account_does_not_bring_its_person_back(entra, entra_connection, sync):
    populate_entra(entra.fake, organisation(4))
    await sync(entra_connection)
    entra.fake.update_user(external_id(2), accountEnabled=False)
    await sync(entra_connection)
    entra.fake.update_user(external_id(2), jobTitle="Alumnus")  # the delta names the title alone

    report = await sync(entra_connection)

    gone = await person(2)
    assert (gone.is_active, gone.job_title, report.returned) == (False, "Alumnus", 0)
