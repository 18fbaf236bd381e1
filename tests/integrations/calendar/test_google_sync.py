"""Meetings reach Google Calendar through the outbox: real google-api-python-client against the fake."""

from __future__ import annotations

from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionStatus, Provider, SyncStatus
from domain.meetings import service
from domain.meetings.models import Meeting
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.people.models import MeetingFormat
from tests.factories_meetings import soon
from tests.fakes.calendar_setup import connect
from tests.fakes.google_calendar import google_error, transient_faults
from tests.fakes.http_fake import DROP, Fault
from tests.integrations.calendar.conftest import book, pair, settle


def is_insert(request) -> bool:
    return request.method == "POST" and request.path.endswith("/events")


def creates(google) -> list:
    return [r for r in google.fake.requests if is_insert(r)]


async def test_a_booking_becomes_one_invite_in_the_organizers_calendar_with_one_call(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    _, meeting = await book(ana, ben)

    await settle(worker)

    [event] = google.fake.organizer_events("ana@acme.example")
    assert event["summary"] == "Mentoring chat"
    assert event["attendees"] == [{"email": "ben@acme.example", "responseStatus": "needsAction"}]
    assert event["extendedProperties"]["private"] == {"mentorgraphMeeting": meeting.uid}
    assert [(i.calendar, i.kind) for i in google.fake.invitations] == [("ben@acme.example", "invite")]
    [copy] = google.fake.events_of("ben@acme.example")
    assert (copy["iCalUID"], copy["organizer"]["self"]) == (event["iCalUID"], False)
    # One call to Calendar (plus the token grant), acting as the organizer through delegation.
    calls = [r for r in google.fake.requests if r.path.startswith("/calendar/")]
    assert [(r.method, r.subject, r.query.get("sendUpdates")) for r in calls] == [("POST", "ana@acme.example", "all")]
    synced = await CalendarEvent.get(meeting_id=meeting.id)
    assert (synced.status, synced.event_id) == (SyncStatus.SYNCED, event["id"])


async def test_reschedule_and_cancel_patch_and_cancel_the_same_event(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    viewer, meeting = await book(ana, ben)
    await settle(worker)
    moved_to = soon(days=5, hour=14)
    await service.reschedule(viewer, meeting_id=meeting.id, start=moved_to, duration_minutes=30)
    await settle(worker)
    [event] = google.fake.organizer_events(ana.email)
    assert event["start"]["dateTime"] == moved_to.isoformat().replace("+00:00", "Z")
    patch = next(r for r in google.fake.requests if r.method == "PATCH")
    assert patch.query["sendUpdates"] == "all"

    await service.cancel(viewer, meeting_id=meeting.id, reason="Ill")
    await settle(worker)
    [event] = google.fake.organizer_events(ana.email)
    assert event["status"] == "cancelled"
    assert [i.kind for i in google.fake.invitations] == ["invite", "update", "cancel"]


async def test_a_video_meeting_gets_a_meet_link_written_back_in_at_most_three_calls(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    _, meeting = await book(ana, ben, fmt=MeetingFormat.VIDEO)

    await settle(worker)

    [event] = google.fake.organizer_events(ana.email)
    assert event["conferenceData"]["createRequest"]["status"]["statusCode"] == "success"
    assert (await Meeting.get(id=meeting.id)).conference_url == event["hangoutLink"]
    assert len([r for r in google.fake.requests if r.path.startswith("/calendar/")]) <= 3


async def test_a_lost_response_after_the_insert_committed_is_one_event_not_two(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    _, meeting = await book(ana, ben)
    # The insert commits and its answer never arrives.
    google.fake.faults.queue(Fault("lost-response", None, after_commit=True), when=is_insert)
    await settle(worker)

    assert len(google.fake.organizer_events(ana.email)) == 1
    assert [r.status for r in creates(google)] == [None, 409]
    assert (await CalendarEvent.get(meeting_id=meeting.id)).status is SyncStatus.SYNCED


async def test_someone_elses_edit_meanwhile_is_a_412_then_a_fresh_patch(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    viewer, meeting = await book(ana, ben)
    await settle(worker)
    google.fake.set_response(
        ana.email, (await CalendarEvent.get(meeting_id=meeting.id)).event_id, ben.email, "accepted"
    )

    await service.add_agenda_item(viewer, meeting_id=meeting.id, text="Career goals")
    await settle(worker)

    statuses = [(r.method, r.status) for r in google.fake.requests if r.path.startswith("/calendar/")]
    assert statuses[1:] == [("PATCH", 412), ("GET", 200), ("PATCH", 200)]
    [event] = google.fake.organizer_events(ana.email)
    assert "Career goals" in event["description"]
    # Ben's answer, given in his calendar, survives our patch.
    assert event["attendees"] == [{"email": ben.email, "responseStatus": "accepted"}]


async def test_transient_faults_retry_until_synced_and_a_permanent_one_dead_letters(db, google, worker):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    for fault in transient_faults():
        google.fake.faults.queue(fault)
    await book(ana, ben)
    await settle(worker)
    assert len(google.fake.organizer_events(ana.email)) == 1

    _, second = await book(ana, ben, days=4)
    google.fake.faults.queue(Fault("quota", google_error(403, "quotaExceeded", "Calendar usage limits exceeded.")))
    await settle(worker)
    failed = await CalendarEvent.get(meeting_id=second.id)
    assert (failed.status, failed.last_error) == (SyncStatus.FAILED, "Google 403 quotaExceeded")
    assert await OutboxMessage.filter(key=str(second.id)).values_list("status", flat=True) == [MessageStatus.DEAD]
    assert DROP in {r.fault for r in google.fake.requests}


async def test_invalid_grant_marks_the_connection_broken_and_meetings_fall_back_to_ics(db, google, worker):
    ana, ben = await pair("acme.example")
    connection = await connect(Provider.GOOGLE, google, "acme.example")
    google.fake.revoke(ana.email)
    _, meeting = await book(ana, ben)

    await settle(worker)

    broken = await CalendarConnection.get(id=connection.id)
    assert broken.status is ConnectionStatus.BROKEN and "invalid_grant" in broken.broken_reason
    assert (await CalendarEvent.get(meeting_id=meeting.id)).status is SyncStatus.NOT_CONNECTED
    # Nothing more is sent through a broken connection.
    _, later = await book(ana, ben, days=4)
    before = len(google.fake.requests)
    await settle(worker)
    assert len(google.fake.requests) == before
    assert (await CalendarEvent.get(meeting_id=later.id)).status is SyncStatus.NOT_CONNECTED

    # Reconnecting resumes: the upcoming meetings go out.
    google.fake.restore(ana.email)
    await connect(Provider.GOOGLE, google, "acme.example")
    await settle(worker)
    assert len(google.fake.organizer_events(ana.email)) == 2
