"""Changes made in Google Calendar flow back: answers, moves, deletions, through a push channel and events.list
with a syncToken, driven by google-api-python-client against the fake, notifications POSTed to the app."""

from __future__ import annotations

from datetime import timedelta

from domain.calendar.inbound_models import CalendarNotification, CalendarWatch
from domain.calendar.models import Provider
from domain.meetings.models import Meeting, MeetingAttendee, MeetingReschedule, MeetingStatus, RescheduleSource, Rsvp
from tests.fakes.calendar_setup import connect
from tests.integrations.calendar.conftest import book, pair, settle
from tests.integrations.calendar.inbound_support import delivered, event_id_of, post, writes, zulu

DOMAIN = "acme.example"


async def booked(google, worker, inbound):
    """Ana's meeting with Ben, in Ana's calendar, followed by a live channel."""
    ana, ben = await pair(DOMAIN)
    await connect(Provider.GOOGLE, google, DOMAIN)
    viewer, meeting = await book(ana, ben)
    await settle(worker)
    await inbound.drain()
    assert len(google.fake.live_channels(ana.email)) == 1
    await delivered(google.fake)
    await inbound.drain()
    return ana, ben, viewer, meeting, await event_id_of(meeting.id)


async def rsvp_of(meeting, person) -> MeetingAttendee:
    return await MeetingAttendee.get(meeting_id=meeting.id, person_id=person.id)


async def test_an_attendee_declining_in_google_is_declined_after_one_worker_round(db, google, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(google, worker, inbound)
    sequence = (await Meeting.get(id=meeting.id)).sequence

    google.fake.set_response(ana.email, event_id, ben.email, "declined")
    await delivered(google.fake)
    round_ = await inbound.run_once()

    assert round_.notifications == 1 and round_.applied.answers == 1
    answer = await rsvp_of(meeting, ben)
    assert answer.rsvp is Rsvp.DECLINED and answer.responded_at is not None
    # The ICS feed re-reads the event: its sequence moved.
    assert (await Meeting.get(id=meeting.id)).sequence == sequence + 1


async def test_the_organizer_moving_the_event_reschedules_the_meeting_from_the_calendar(db, google, worker, inbound):
    ana, _, _, meeting, event_id = await booked(google, worker, inbound)
    new_start = meeting.starts_at + timedelta(days=1, hours=2)

    google.fake.move_event(ana.email, event_id, zulu(new_start), zulu(new_start + timedelta(minutes=45)))
    await delivered(google.fake)
    await inbound.run_once()

    moved = await Meeting.get(id=meeting.id)
    assert (moved.starts_at, moved.ends_at) == (new_start, new_start + timedelta(minutes=45))
    [record] = await MeetingReschedule.filter(meeting_id=meeting.id)
    assert record.source is RescheduleSource.CALENDAR and record.old_starts_at == meeting.starts_at


async def test_the_organizer_deleting_the_event_cancels_the_meeting(db, google, worker, inbound):
    ana, _, _, meeting, event_id = await booked(google, worker, inbound)

    google.fake.delete_event(ana.email, event_id)
    await delivered(google.fake)
    await inbound.run_once()

    cancelled = await Meeting.get(id=meeting.id)
    assert cancelled.status is MeetingStatus.CANCELLED
    assert cancelled.cancellation_reason == "Cancelled in the calendar."


async def test_changes_taken_from_the_calendar_are_never_written_back(db, google, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(google, worker, inbound)
    before = len(writes(google.fake.requests, "/calendar/"))

    google.fake.set_response(ana.email, event_id, ben.email, "accepted")
    new_start = meeting.starts_at + timedelta(hours=3)
    google.fake.move_event(ana.email, event_id, zulu(new_start), zulu(new_start + timedelta(minutes=45)))
    await delivered(google.fake)
    await inbound.drain()
    await settle(worker)
    await inbound.drain()

    assert (await Meeting.get(id=meeting.id)).starts_at == new_start
    assert len(writes(google.fake.requests, "/calendar/")) == before


async def test_mentorgraph_own_changes_come_back_as_notifications_and_change_nothing(db, google, worker, inbound):
    from domain.meetings import service

    _, _, viewer, meeting, _ = await booked(google, worker, inbound)
    moved_to = meeting.starts_at + timedelta(days=2)
    await service.reschedule(viewer, meeting_id=meeting.id, start=moved_to, duration_minutes=30)
    await settle(worker)
    writes_after_ours = len(writes(google.fake.requests, "/calendar/"))
    sequence = (await Meeting.get(id=meeting.id)).sequence

    await delivered(google.fake)
    round_ = await inbound.drain()

    assert round_.notifications >= 1 and round_.applied.echoes >= 1
    assert (round_.applied.moved, round_.applied.answers) == (0, 0)
    assert (await Meeting.get(id=meeting.id)).sequence == sequence
    assert await MeetingReschedule.filter(meeting_id=meeting.id, source=RescheduleSource.CALENDAR).count() == 0
    await settle(worker)
    assert len(writes(google.fake.requests, "/calendar/")) == writes_after_ours


async def test_the_same_notification_three_times_and_foreign_events_change_nothing(db, google, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(google, worker, inbound)
    google.fake.set_response(ana.email, event_id, ben.email, "tentative")
    await delivered(google.fake)
    await inbound.drain()
    state = await _snapshot(meeting)

    [delivery] = [d for d in google.fake.notifier.log if d.headers["X-Goog-Resource-State"] == "exists"][-1:]
    for _ in range(3):
        assert await post(delivery.url, delivery.headers, b"") == 202
    google.fake.add_foreign_event(ana.email, "dentist0001", zulu(meeting.starts_at), zulu(meeting.ends_at))
    await delivered(google.fake)
    round_ = await inbound.drain()

    assert round_.notifications >= 4 and round_.applied.foreign == 1
    assert await _snapshot(meeting) == state


async def _snapshot(meeting):
    row = await Meeting.get(id=meeting.id)
    answers = await MeetingAttendee.filter(meeting_id=meeting.id).values_list("person_id", "rsvp", "responded_at")
    return (row.starts_at, row.status, row.sequence, row.title, sorted(answers))


async def test_title_and_description_edits_in_the_calendar_are_left_alone(db, google, worker, inbound):
    ana, _, _, meeting, event_id = await booked(google, worker, inbound)
    google.fake.edit_event(ana.email, event_id, summary="Renamed in Google", description="theirs")
    await delivered(google.fake)
    await inbound.drain()
    assert (await Meeting.get(id=meeting.id)).title == "Mentoring chat"


async def test_a_forced_410_drops_the_token_and_converges_through_a_full_resync(db, google, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(google, worker, inbound)
    google.fake.expire_sync_tokens(ana.email)
    google.fake.set_response(ana.email, event_id, ben.email, "declined")
    await delivered(google.fake)

    round_ = await inbound.drain()

    assert round_.full_syncs == 1
    assert (await rsvp_of(meeting, ben)).rsvp is Rsvp.DECLINED
    gone = [r for r in google.fake.requests if r.status == 410]
    assert len(gone) == 1
    assert (await CalendarWatch.get(calendar=ana.email)).full_syncs == 2  # the first sync, and this one
    # The incremental requests never carried a parameter Google forbids next to a syncToken.
    for r in google.fake.requests:
        if "syncToken" in r.query:
            assert not {"timeMin", "timeMax", "privateExtendedProperty", "q"} & set(r.query)


async def test_webhook_refuses_a_bad_token_an_unknown_channel_and_a_huge_body_writing_nothing(
    db, google, worker, inbound, listening
):
    await booked(google, worker, inbound)
    [channel] = google.fake.live_channels("ana@acme.example")
    before = await CalendarNotification.all().count()
    headers = {"X-Goog-Channel-ID": channel["id"], "X-Goog-Resource-State": "exists"}
    assert await post(f"{listening}/webhooks/google", {**headers, "X-Goog-Channel-Token": "guess"}, b"") == 403
    assert await post(f"{listening}/webhooks/google", headers, b"") == 403
    unknown = {**headers, "X-Goog-Channel-ID": "mg-0-nope", "X-Goog-Channel-Token": channel["token"]}
    assert await post(f"{listening}/webhooks/google", unknown, b"") == 403
    good = {**headers, "X-Goog-Channel-Token": channel["token"]}
    assert await post(f"{listening}/webhooks/google", good, b"x" * 300_000) == 413
    assert await post(f"{listening}/webhooks/google", {**good, "X-Goog-Resource-State": "odd"}, b"") == 400

    assert await CalendarNotification.all().count() == before
