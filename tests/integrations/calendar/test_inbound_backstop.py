"""Notifications are not reliable: with 30% of them dropped, every change made in the calendars still reaches
Mentorgraph by the backstop sync; Google channels expire and are replaced before they do (fake clocks)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.calendar.inbound_models import CalendarWatch
from domain.calendar.models import Provider
from domain.meetings.models import Meeting, MeetingAttendee, Rsvp
from tests.factories import make_person
from tests.fakes.calendar_setup import connect
from tests.integrations.calendar.conftest import book, settle
from tests.integrations.calendar.inbound_support import delivered, event_id_of, wall, zulu

ANSWERS = {Provider.GOOGLE: ("declined", "accepted"), Provider.MICROSOFT: ("declined", "accepted")}


@pytest.mark.parametrize("provider", [Provider.GOOGLE, Provider.MICROSOFT])
async def test_with_30_percent_of_notifications_dropped_every_change_converges_by_the_backstop(
    db, google, microsoft, worker, inbound, provider
):
    running = google if provider is Provider.GOOGLE else microsoft
    domain = "acme.example"
    await connect(provider, running, domain)
    organizers = [await make_person(name=f"Org{i}", email=f"org{i}@{domain}") for i in range(3)]
    guests = [await make_person(name=f"Guest{i}", email=f"guest{i}@{domain}") for i in range(3)]
    meetings = []
    for index, organizer in enumerate(organizers):
        for day in (2, 4):
            _, meeting = await book(organizer, guests[index], days=day)
            meetings.append((organizer, guests[index], meeting))
    await settle(worker)
    await inbound.drain()
    await delivered(running.fake)
    await inbound.drain()

    running.fake.notifier.drop_rate = 0.3
    expected = {}
    for number, (organizer, guest, meeting) in enumerate(meetings):
        event_id = await event_id_of(meeting.id)
        answer = ANSWERS[provider][number % 2]
        if provider is Provider.GOOGLE:
            running.fake.set_response(organizer.email, event_id, guest.email, answer)
        else:
            running.fake.respond(organizer.email, event_id, guest.email, answer)
        start = meeting.starts_at + timedelta(hours=1 + number)
        if number % 3 == 0:
            end = start + timedelta(minutes=45)
            if provider is Provider.GOOGLE:
                running.fake.move_event(organizer.email, event_id, zulu(start), zulu(end))
            else:
                running.fake.move_event(organizer.email, event_id, wall(start), wall(end))
        else:
            start = meeting.starts_at
        expected[meeting.id] = (Rsvp.DECLINED if answer == "declined" else Rsvp.ACCEPTED, start)
    await delivered(running.fake)
    await inbound.drain()
    dropped = [d for d in running.fake.notifier.log if d.dropped]
    assert dropped, "the fake dropped none: the test would prove nothing"

    # The backstop comes due (jittered within ±25% of the period) and every calendar is read again.
    later = inbound.clock() + timedelta(seconds=inbound.settings.inbound_backstop_seconds * 1.3)
    inbound.clock = lambda: later
    round_ = await inbound.drain()
    assert round_.synced >= len(organizers)

    for _organizer, guest, meeting in meetings:
        answer = await MeetingAttendee.get(meeting_id=meeting.id, person_id=guest.id)
        row = await Meeting.get(id=meeting.id)
        assert (answer.rsvp, row.starts_at) == expected[meeting.id], f"meeting {meeting.id} did not converge"


async def test_a_google_channel_about_to_expire_is_replaced_and_the_old_one_stopped(db, google, worker, inbound):
    ana = await make_person(name="Ana", email="ana@acme.example")
    ben = await make_person(name="Ben", email="ben@acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    _, meeting = await book(ana, ben)
    await settle(worker)
    await inbound.drain()
    [first] = google.fake.live_channels(ana.email)

    watch = await CalendarWatch.get(calendar=ana.email)
    later = watch.channel_expires_at - timedelta(hours=1)
    google.fake.clock_ms = lambda: int(later.timestamp() * 1000)
    inbound.clock = lambda: later
    await inbound.drain()

    [second] = google.fake.live_channels(ana.email)
    assert second["id"] != first["id"] and len(second["id"]) <= 64
    assert google.fake.channels[first["id"]]["stopped"]
    assert any(r.path == "/calendar/v3/channels/stop" and r.status == 204 for r in google.fake.requests)

    # After expiry a channel delivers nothing; the replacement does.
    expired = watch.channel_expires_at + timedelta(minutes=1)
    google.fake.clock_ms = lambda: int(expired.timestamp() * 1000)
    assert google.fake.live_channels(ana.email) == [second]
    google.fake.set_response(ana.email, await event_id_of(meeting.id), ben.email, "declined")
    await delivered(google.fake)
    inbound.clock = lambda: expired
    await inbound.run_once()
    assert (await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)).rsvp is Rsvp.DECLINED
