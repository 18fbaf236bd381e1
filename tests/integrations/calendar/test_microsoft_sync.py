"""Meetings reach Outlook through the outbox: msal against the fake Entra authority over TLS, Graph over httpx."""

from __future__ import annotations

from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionStatus, Provider, SyncStatus
from domain.meetings import service
from domain.meetings.models import Meeting
from domain.people.models import MeetingFormat
from integrations.calendar.worker import CalendarWorker
from tests.factories import make_person
from tests.factories_meetings import soon
from tests.fakes.calendar_setup import connect
from tests.fakes.http_fake import Fault
from tests.fakes.microsoft_graph import graph_error, transient_faults
from tests.integrations.calendar.conftest import book, pair, settle


def is_create(request) -> bool:
    return request.method == "POST" and request.path.endswith("/events")


def graph_calls(microsoft) -> list:
    return [r for r in microsoft.fake.requests if r.path.startswith("/v1.0/")]


async def test_a_video_booking_is_one_create_with_a_teams_link_written_back(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    _, meeting = await book(ana, ben, fmt=MeetingFormat.VIDEO)

    await settle(worker)

    [event] = microsoft.fake.organizer_events(ana.email)
    assert event["attendees"][0]["emailAddress"]["address"] == ben.email
    assert event["attendees"][0]["status"]["response"] == "none"
    assert event["transactionId"] == f"mg-{meeting.uid}-1"
    assert (await Meeting.get(id=meeting.id)).conference_url == event["onlineMeeting"]["joinUrl"]
    [create] = graph_calls(microsoft)
    assert create.prefer == 'IdType="ImmutableId", outlook.timezone="UTC"'
    assert [(i.mailbox, i.kind) for i in microsoft.fake.invitations] == [(ben.email, "invite")]
    # msal kept its token: one grant for the app, however many calls follow.
    assert microsoft.fake.token_requests == 1


async def test_a_504_after_the_create_committed_finds_the_event_instead_of_making_another(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    viewer, meeting = await book(ana, ben)
    microsoft.fake.faults.queue(transient_faults()[3], when=is_create)  # 504 after commit

    await settle(worker)

    assert len(microsoft.fake.organizer_events(ana.email)) == 1
    methods = [(r.method, r.status) for r in graph_calls(microsoft)]
    assert methods == [("POST", 504), ("GET", 200), ("PATCH", 200)]
    # The event id found by our extended property is the one later changes patch.
    await service.reschedule(viewer, meeting_id=meeting.id, start=soon(days=6), duration_minutes=30)
    await settle(worker)
    [event] = microsoft.fake.organizer_events(ana.email)
    assert event["id"] == (await CalendarEvent.get(meeting_id=meeting.id)).event_id
    assert event["start"]["dateTime"].startswith(soon(days=6).strftime("%Y-%m-%dT%H:%M"))


async def test_a_lost_create_answer_with_an_unchanged_meeting_replays_its_transaction_id(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    await book(ana, ben)
    microsoft.fake.faults.queue(Fault("lost-response", None, after_commit=True), when=is_create)

    await settle(worker)

    assert len(microsoft.fake.organizer_events(ana.email)) == 1
    assert len(microsoft.fake.transactions) == 1


async def test_cancelling_sends_the_cancellation_with_the_reason(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    viewer, meeting = await book(ana, ben)
    await settle(worker)
    await service.cancel(viewer, meeting_id=meeting.id, reason="Travelling")
    await settle(worker)
    [event] = microsoft.fake.organizer_events(ana.email)
    assert event["isCancelled"] is True
    assert [i.kind for i in microsoft.fake.invitations] == ["invite", "cancel"]
    cancel = graph_calls(microsoft)[-1]
    assert (cancel.method, cancel.path.endswith("/cancel"), cancel.status) == ("POST", True, 202)


async def test_throttling_honours_retry_after_and_still_converges(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    microsoft.fake.faults.queue(transient_faults()[0], transient_faults()[1], transient_faults()[2])
    _, meeting = await book(ana, ben)

    await settle(worker)

    assert len(microsoft.fake.organizer_events(ana.email)) == 1
    synced = await CalendarEvent.get(meeting_id=meeting.id)
    assert (synced.status, synced.attempts) == (SyncStatus.SYNCED, 0)


async def test_a_revoked_app_grant_breaks_the_tenant_connection(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    connection = await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    microsoft.fake.revoke("app")
    _, meeting = await book(ana, ben)

    await settle(worker)

    assert (await CalendarConnection.get(id=connection.id)).status is ConnectionStatus.BROKEN
    assert (await CalendarEvent.get(meeting_id=meeting.id)).status is SyncStatus.NOT_CONNECTED
    assert graph_calls(microsoft) == []


async def test_a_grant_revoked_after_its_token_was_kept_breaks_the_connection_instead_of_failing(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    connection = await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    await book(ana, ben)
    await settle(worker)
    # The kept access token dies with the grant: Graph answers 401, the authority invalid_grant.
    microsoft.fake.revoke("app")
    _, later = await book(ana, ben, days=3)

    await settle(worker)

    assert (await CalendarConnection.get(id=connection.id)).status is ConnectionStatus.BROKEN
    assert (await CalendarEvent.get(meeting_id=later.id)).status is SyncStatus.NOT_CONNECTED
    assert [r.status for r in graph_calls(microsoft)][-1] == 401


async def test_a_bad_request_is_not_retried(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    microsoft.fake.faults.queue(Fault("400", graph_error(400, "ErrorInvalidRequest", "Bad")), when=is_create)
    _, meeting = await book(ana, ben)

    await settle(worker)

    failed = await CalendarEvent.get(meeting_id=meeting.id)
    assert (failed.status, failed.last_error) == (SyncStatus.FAILED, "Microsoft Graph 400 ErrorInvalidRequest")
    assert len(graph_calls(microsoft)) == 1


async def test_the_worker_keeps_to_four_requests_at_once_per_mailbox(db, microsoft, config):
    ana = await make_person(name="Ana", email="ana@contoso.example")
    microsoft.fake.service_seconds = 0.05  # each request takes a while, so they would overlap
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    for day in range(2, 12):
        await book(ana, await make_person(email=f"mentee{day}@contoso.example"), days=day)
    worker = CalendarWorker(config, name="wide")  # 16 meetings in flight

    await settle(worker)
    await worker.writers.close()

    assert len(microsoft.fake.organizer_events(ana.email)) == 10
    assert 2 <= microsoft.fake.peak_in_flight[ana.email] <= 4
    assert not [r for r in microsoft.fake.requests if r.status == 429]


async def test_a_token_endpoint_failure_is_retried_like_any_other(db, microsoft, worker):
    ana, ben = await pair("contoso.example")
    await connect(Provider.MICROSOFT, microsoft, "contoso.example")
    microsoft.fake.faults.queue(transient_faults()[2], when=lambda request: "/oauth2/" in request.path)  # 504
    _, meeting = await book(ana, ben)

    await settle(worker)

    assert len(microsoft.fake.organizer_events(ana.email)) == 1
    assert (await CalendarEvent.get(meeting_id=meeting.id)).status is SyncStatus.SYNCED
