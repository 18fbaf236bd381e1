"""When the organizer's calendar moves (they connect their own account while the company connection is another
provider, or their address moves to another connection), the event in the old calendar is cancelled there, its
attendees told, and the meeting is created in the new one; an account of the same calendar keeps its event."""

from __future__ import annotations

import pytest

from domain.calendar import connections
from domain.calendar.changes import meetings_changed
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.clock import utc_now
from domain.meetings import service
from domain.meetings.models import Meeting
from domain.people.models import MeetingFormat, Person
from tests.factories_meetings import soon
from tests.fakes.calendar_setup import connect, fast_config
from tests.fakes.microsoft_graph import transient_faults
from tests.integrations.calendar.conftest import book, pair, settle

DOMAIN = "acme.example"


@pytest.fixture
def config(google):
    """Personal Google grants refresh at the fake's token endpoint and write to the fake's calendars."""
    return fast_config(
        google_client_id="mg-client.apps.example",
        google_client_secret="g-secret",
        google_token_url=f"{google.url}/token",
        google_calendar_url=f"{google.url}/calendar/v3/",
    )


async def connect_own_google(google, config, person: Person, account: str):
    """What the consent flow ends with: the provider's refresh token for `account`, stored for the person."""
    refresh_token = f"1//{account}"
    google.fake.refresh_tokens[refresh_token] = account
    return await connections.save_personal(
        person_id=person.id,
        provider=Provider.GOOGLE,
        refresh_token=refresh_token,
        account_email=account,
        cipher=config.token_cipher(),
        now=utc_now(),
    )


def kinds(invitations, attendee: str) -> list[str]:
    return [i.kind for i in invitations if getattr(i, "calendar", getattr(i, "mailbox", "")) == attendee]


def graph_calls(microsoft) -> list:
    return [r for r in microsoft.fake.requests if r.path.startswith("/v1.0/")]


async def test_connecting_an_own_google_calendar_cancels_the_outlook_event_and_invites_from_google(
    db, google, microsoft, config, worker
):
    ana, ben = await pair(DOMAIN)
    await connect(Provider.MICROSOFT, microsoft, DOMAIN)
    viewer, meeting = await book(ana, ben, fmt=MeetingFormat.VIDEO)
    await settle(worker)
    teams_link = (await Meeting.get(id=meeting.id)).conference_url
    assert teams_link.startswith("https://teams.microsoft.com/")

    # The first cancellation in Outlook fails once: the move waits and tries again, and still makes one event.
    microsoft.fake.faults.queue(transient_faults()[1], when=lambda r: r.path.endswith("/cancel"))
    await connect_own_google(google, config, ana, "ana.own@gmail.example")
    await settle(worker)

    [old] = microsoft.fake.organizer_events(ana.email)
    assert old["isCancelled"] is True
    assert kinds(microsoft.fake.invitations, ben.email) == ["invite", "cancel"]
    [new] = google.fake.organizer_events("ana.own@gmail.example")
    assert (new["status"], [a["email"] for a in new["attendees"]]) == ("confirmed", [ben.email])
    assert kinds(google.fake.invitations, ben.email)[:1] == ["invite"]
    # The Teams link of the old event gives way to the Meet link of the new one.
    moved = await Meeting.get(id=meeting.id)
    assert moved.conference_url.startswith("https://meet.google.com/")
    event = await CalendarEvent.get(meeting_id=meeting.id)
    assert (event.provider, event.status, event.calendar) == (
        Provider.GOOGLE,
        SyncStatus.SYNCED,
        new["organizer"]["email"],
    )

    # From now on only the new calendar hears of changes.
    outlook_calls = len(graph_calls(microsoft))
    await service.reschedule(viewer, meeting_id=meeting.id, start=soon(days=4), duration_minutes=30)
    await settle(worker)
    [new] = google.fake.organizer_events("ana.own@gmail.example")
    assert new["start"]["dateTime"].startswith(soon(days=4).strftime("%Y-%m-%dT%H:%M"))
    assert len(graph_calls(microsoft)) == outlook_calls


async def test_an_own_account_of_the_same_google_calendar_keeps_the_one_event(db, google, config, worker):
    ana, ben = await pair(DOMAIN)
    await connect(Provider.GOOGLE, google, DOMAIN)
    await book(ana, ben)
    await settle(worker)

    await connect_own_google(google, config, ana, ana.email)
    await settle(worker)

    [event] = google.fake.organizer_events(ana.email)
    assert event["status"] == "confirmed"
    assert "cancel" not in kinds(google.fake.invitations, ben.email)


async def test_an_organizer_whose_address_moves_to_another_connection_leaves_no_event_behind(
    db, google, microsoft, worker
):
    ana, ben = await pair("old.example")
    await connect(Provider.MICROSOFT, microsoft, "old.example")
    await connect(Provider.GOOGLE, google, "new.example")
    viewer, meeting = await book(ana, ben)
    await settle(worker)

    # The directory now says Ana is ana@new.example; her meetings go through the outbox again.
    await Person.filter(id=ana.id).update(email="ana@new.example")
    await meetings_changed([meeting.id], now=utc_now())
    await settle(worker)

    [old] = microsoft.fake.organizer_events("ana@old.example")
    assert old["isCancelled"] is True
    [new] = google.fake.organizer_events("ana@new.example")
    assert new["status"] == "confirmed"

    # Cancelling the meeting now cancels it where it lives, once.
    await service.cancel(viewer, meeting_id=meeting.id, reason="Plans changed")
    await settle(worker)
    [new] = google.fake.organizer_events("ana@new.example")
    assert new["status"] == "cancelled"
    assert kinds(microsoft.fake.invitations, ben.email) == ["invite", "cancel"]
