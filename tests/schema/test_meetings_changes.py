"""rescheduleMeeting, cancelMeeting, respondToMeeting, markMeetingHeld and addAgendaItem through GraphQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingReschedule, MeetingStatus, Rsvp
from domain.programs.models import ProgramCoordinator
from domain.relationships.models import MemberRole, Relationship, RelationshipMember, RelationshipStatus
from tests.factories import make_person
from tests.factories_meetings import iso, make_meeting, make_relationship, soon
from tests.support import assert_unchanged, gid

MEETING_FIELDS = """
    ... on MeetingPayload {
      meeting { status sequence start end heldAt cancelledAt cancellationReason
                attendees { person { name } rsvp }
                agenda { position text addedBy { name } }
                reschedules { previousStart previousEnd newStart newEnd reason rescheduledBy { name } } }
    }
    ... on Error { message code field }
"""


def _mutation(name: str, input_type: str) -> str:
    return f"mutation M($input: {input_type}!) {{ {name}(input: $input) {{ __typename {MEETING_FIELDS} }} }}"


RESCHEDULE = _mutation("rescheduleMeeting", "RescheduleMeetingInput")
CANCEL = _mutation("cancelMeeting", "CancelMeetingInput")
RESPOND = _mutation("respondToMeeting", "RespondToMeetingInput")
HELD = _mutation("markMeetingHeld", "MarkMeetingHeldInput")
AGENDA = _mutation("addAgendaItem", "AddAgendaItemInput")


@pytest.fixture
async def booked(db):
    """Ana and Ben's meeting, booked by Ana (accepted) with Ben's answer pending."""
    ana = await make_person(name="Ana")
    ben = await make_person(name="Ben")
    relationship = await make_relationship(ana, ben)
    meeting = await make_meeting(relationship, ana, ben, start=soon(), title="Catch-up", agenda=["Goals"])
    await MeetingAttendee.filter(meeting_id=meeting.id, person_id=ana.id).update(rsvp=Rsvp.ACCEPTED)
    return ana, ben, relationship, meeting


def about(meeting: Meeting, **fields) -> dict:
    return {"input": {"meetingId": gid("Meeting", meeting.id), **fields}}


async def test_rescheduling_moves_the_meeting_records_history_and_asks_the_others_again(gql, booked):
    _, ben, _, meeting = booked
    await MeetingAttendee.filter(meeting_id=meeting.id, person_id=ben.id).update(rsvp=Rsvp.ACCEPTED)
    new_start = soon(days=3, hour=14)
    data = await gql(RESCHEDULE, about(meeting, start=iso(new_start), durationMinutes=60, reason="Travelling"), as_=ben)
    moved = data["rescheduleMeeting"]["meeting"]
    assert moved["sequence"] == 1
    assert moved["start"] == new_start.isoformat()
    assert moved["end"] == (new_start + timedelta(minutes=60)).isoformat()
    assert moved["attendees"] == [
        {"person": {"name": "Ana"}, "rsvp": "NEEDS_ACTION"},
        {"person": {"name": "Ben"}, "rsvp": "ACCEPTED"},
    ]
    assert moved["reschedules"] == [
        {
            "previousStart": meeting.starts_at.isoformat(),
            "previousEnd": meeting.ends_at.isoformat(),
            "newStart": new_start.isoformat(),
            "newEnd": (new_start + timedelta(minutes=60)).isoformat(),
            "reason": "Travelling",
            "rescheduledBy": {"name": "Ben"},
        }
    ]
    assert await MeetingReschedule.filter(meeting_id=meeting.id).count() == 1


async def test_rescheduling_onto_its_own_old_time_slice_is_no_clash(gql, booked):
    ana, _, _, meeting = booked
    data = await gql(
        RESCHEDULE, about(meeting, start=iso(meeting.starts_at + timedelta(minutes=15)), durationMinutes=45), as_=ana
    )
    assert data["rescheduleMeeting"]["__typename"] == "MeetingPayload"


async def test_rescheduling_into_someone_elses_meeting_is_a_conflict(gql, booked):
    ana, ben, _, meeting = booked
    cara = await make_person()
    other = await make_relationship(ben, cara)
    taken = soon(days=4)
    await make_meeting(other, ben, cara, start=taken)
    async with assert_unchanged():
        data = await gql(RESCHEDULE, about(meeting, start=iso(taken), durationMinutes=30), as_=ana)
    assert (data["rescheduleMeeting"]["__typename"], data["rescheduleMeeting"]["field"]) == ("ConflictError", "start")


@pytest.mark.parametrize("status", [MeetingStatus.CANCELLED, MeetingStatus.HELD, MeetingStatus.MISSED])
async def test_only_a_scheduled_meeting_can_be_rescheduled(gql, booked, status):
    ana, _, _, meeting = booked
    await Meeting.filter(id=meeting.id).update(status=status)
    async with assert_unchanged():
        data = await gql(RESCHEDULE, about(meeting, start=iso(soon(days=5)), durationMinutes=30), as_=ana)
    assert data["rescheduleMeeting"] == {
        "__typename": "InvalidTransitionError",
        "message": f"A {status.value} meeting cannot be rescheduled.",
        "code": "INVALID_TRANSITION",
        "field": "meetingId",
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": iso(soon(days=-1)), "durationMinutes": 30}, "start"),
        ({"start": iso(soon(days=5)), "durationMinutes": 0}, "durationMinutes"),
        ({"start": iso(soon(days=500)), "durationMinutes": 30}, "start"),
        ({"start": iso(soon()), "durationMinutes": 45}, "start"),
    ],
)
async def test_a_bad_new_time_writes_nothing(gql, booked, fields, field):
    ana, _, _, meeting = booked
    async with assert_unchanged():
        data = await gql(RESCHEDULE, about(meeting, **fields), as_=ana)
    assert (data["rescheduleMeeting"]["__typename"], data["rescheduleMeeting"]["field"]) == ("ValidationError", field)


async def test_outsiders_do_not_learn_the_meeting_exists_and_coordinators_may_not_change_it(gql, booked):
    _, _, relationship, meeting = booked
    outsider = await make_person()
    coordinator = await make_person()
    await ProgramCoordinator.create(program_id=relationship.program_id, person=coordinator)
    async with assert_unchanged():
        hidden = await gql(CANCEL, about(meeting), as_=outsider)
        denied = await gql(CANCEL, about(meeting), as_=coordinator, role=Role.COORDINATOR)
        missing = await gql(CANCEL, {"input": {"meetingId": gid("Meeting", 999)}}, as_=outsider)
    assert (hidden["cancelMeeting"]["__typename"], hidden["cancelMeeting"]["field"]) == ("NotFoundError", "meetingId")
    assert missing["cancelMeeting"]["__typename"] == "NotFoundError"
    assert denied["cancelMeeting"]["__typename"] == "PermissionDeniedError"


async def test_cancelling_keeps_the_meeting_and_raises_its_sequence(gql, booked):
    ana, _, _, meeting = booked
    data = await gql(CANCEL, about(meeting, reason="  Sick "), as_=ana)
    cancelled = data["cancelMeeting"]["meeting"]
    assert cancelled["status"] == "CANCELLED"
    assert cancelled["sequence"] == 1
    assert cancelled["cancelledAt"] is not None
    assert cancelled["cancellationReason"] == "Sick"
    async with assert_unchanged():
        again = await gql(CANCEL, about(meeting), as_=ana)
    assert again["cancelMeeting"]["__typename"] == "InvalidTransitionError"


async def test_an_attendee_answers_and_the_answer_is_stored(gql, booked):
    _, ben, _, meeting = booked
    data = await gql(RESPOND, about(meeting, response="TENTATIVE"), as_=ben)
    answered = data["respondToMeeting"]["meeting"]
    assert answered["attendees"][1] == {"person": {"name": "Ben"}, "rsvp": "TENTATIVE"}
    assert answered["sequence"] == 1
    row = await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)
    assert row.rsvp is Rsvp.TENTATIVE and row.responded_at is not None


async def test_answers_only_from_attendees_and_never_back_to_needs_action(gql, booked):
    _, ben, relationship, meeting = booked
    cara = await make_person()
    # A member who joined after the booking is not an attendee of it.
    await RelationshipMember.create(relationship=relationship, person=cara, role=MemberRole.PEER)
    async with assert_unchanged():
        late = await gql(RESPOND, about(meeting, response="ACCEPTED"), as_=cara)
        undo = await gql(RESPOND, about(meeting, response="NEEDS_ACTION"), as_=ben)
    assert late["respondToMeeting"]["__typename"] == "PermissionDeniedError"
    assert (undo["respondToMeeting"]["__typename"], undo["respondToMeeting"]["field"]) == (
        "ValidationError",
        "response",
    )


async def test_a_cancelled_meeting_takes_no_answers(gql, booked):
    _, ben, _, meeting = booked
    await Meeting.filter(id=meeting.id).update(status=MeetingStatus.CANCELLED)
    async with assert_unchanged():
        data = await gql(RESPOND, about(meeting, response="ACCEPTED"), as_=ben)
    assert data["respondToMeeting"]["__typename"] == "InvalidTransitionError"


async def test_a_meeting_that_started_can_be_marked_held_and_counts_as_activity(gql, db):
    ana, ben = await make_person(), await make_person()
    long_ago = datetime.now(UTC) - timedelta(days=40)
    relationship = await make_relationship(ana, ben, started_at=long_ago)
    meeting = await make_meeting(relationship, ana, ben, start=datetime.now(UTC) - timedelta(minutes=50))
    data = await gql(HELD, about(meeting), as_=ben)
    held = data["markMeetingHeld"]["meeting"]
    assert held["status"] == "HELD" and held["heldAt"] is not None and held["sequence"] == 1
    await relationship.refresh_from_db()
    assert relationship.last_activity_at > datetime.now(UTC) - timedelta(minutes=1)


async def test_a_missed_meeting_can_still_be_confirmed_as_held(gql, db):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    meeting = await make_meeting(
        relationship, ana, ben, start=datetime.now(UTC) - timedelta(days=3), status=MeetingStatus.MISSED
    )
    data = await gql(HELD, about(meeting), as_=ana)
    assert data["markMeetingHeld"]["meeting"]["status"] == "HELD"


async def test_a_future_or_cancelled_meeting_cannot_be_marked_held(gql, booked):
    ana, _, relationship, meeting = booked
    async with assert_unchanged():
        future = await gql(HELD, about(meeting), as_=ana)
    assert future["markMeetingHeld"] == {
        "__typename": "InvalidTransitionError",
        "message": "A meeting can be marked held only once it has started.",
        "code": "INVALID_TRANSITION",
        "field": "meetingId",
    }
    past = await make_meeting(
        relationship, ana, start=datetime.now(UTC) - timedelta(days=1), status=MeetingStatus.CANCELLED
    )
    async with assert_unchanged():
        cancelled = await gql(HELD, about(past), as_=ana)
    assert cancelled["markMeetingHeld"]["__typename"] == "InvalidTransitionError"


async def test_members_add_agenda_items_in_order(gql, booked):
    _, ben, _, meeting = booked
    data = await gql(AGENDA, about(meeting, text=" Career   moves "), as_=ben)
    updated = data["addAgendaItem"]["meeting"]
    assert updated["agenda"] == [
        {"position": 1, "text": "Goals", "addedBy": {"name": "Ana"}},
        {"position": 2, "text": "Career moves", "addedBy": {"name": "Ben"}},
    ]
    assert updated["sequence"] == 1


async def test_blank_agenda_items_and_outsiders_write_nothing(gql, booked):
    _, ben, _, meeting = booked
    outsider = await make_person()
    async with assert_unchanged():
        blank = await gql(AGENDA, about(meeting, text="  "), as_=ben)
        hidden = await gql(AGENDA, about(meeting, text="Hello"), as_=outsider)
        wrong_id = await gql(AGENDA, {"input": {"meetingId": gid("Person", ben.id), "text": "x"}}, as_=ben)
    assert (blank["addAgendaItem"]["__typename"], blank["addAgendaItem"]["field"]) == ("ValidationError", "text")
    assert hidden["addAgendaItem"]["__typename"] == "NotFoundError"
    assert (wrong_id["addAgendaItem"]["__typename"], wrong_id["addAgendaItem"]["field"]) == (
        "ValidationError",
        "meetingId",
    )
    assert await AgendaItem.filter(meeting_id=meeting.id).count() == 1


async def test_a_paused_relationships_meeting_cannot_be_moved(gql, booked):
    ana, _, relationship, meeting = booked
    await Relationship.filter(id=relationship.id).update(status=RelationshipStatus.PAUSED)
    async with assert_unchanged():
        data = await gql(RESCHEDULE, about(meeting, start=iso(soon(days=6)), durationMinutes=30), as_=ana)
    assert (data["rescheduleMeeting"]["__typename"], data["rescheduleMeeting"]["field"]) == (
        "InvalidTransitionError",
        "relationshipId",
    )
