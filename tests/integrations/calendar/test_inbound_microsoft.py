"""Changes made in Outlook flow back through a Graph subscription (validation handshake against the app,
clientState on every notification, lifecycle events) and calendarView/delta rounds, over httpx and msal."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from domain.calendar.inbound_models import CalendarNotification, CalendarWatch
from domain.calendar.models import Provider
from domain.meetings.models import Meeting, MeetingAttendee, MeetingReschedule, MeetingStatus, RescheduleSource, Rsvp
from tests.fakes.calendar_setup import connect
from tests.fakes.notifications import post_for_reply
from tests.integrations.calendar.conftest import book, pair, settle
from tests.integrations.calendar.inbound_support import delivered, event_id_of, post, wall, writes

DOMAIN = "contoso.example"


async def booked(microsoft, worker, inbound):
    ana, ben = await pair(DOMAIN)
    await connect(Provider.MICROSOFT, microsoft, DOMAIN)
    viewer, meeting = await book(ana, ben)
    await settle(worker)
    await inbound.drain()
    assert len(microsoft.fake.live_subscriptions(ana.email)) == 1
    await delivered(microsoft.fake)
    await inbound.drain()
    return ana, ben, viewer, meeting, await event_id_of(meeting.id)


async def test_an_attendee_declining_in_outlook_is_declined_with_the_time_outlook_gives(db, microsoft, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(microsoft, worker, inbound)

    microsoft.fake.respond(ana.email, event_id, ben.email, "declined")
    await delivered(microsoft.fake)
    round_ = await inbound.run_once()

    assert round_.notifications == 1 and round_.applied.answers == 1
    answer = await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)
    assert answer.rsvp is Rsvp.DECLINED
    assert abs((answer.responded_at - datetime.now(UTC)).total_seconds()) < 60


async def test_moves_and_deletions_in_outlook_reschedule_and_cancel_without_an_echo(db, microsoft, worker, inbound):
    ana, _, _, meeting, event_id = await booked(microsoft, worker, inbound)
    before = len(writes(microsoft.fake.requests, "/v1.0/"))
    new_start = meeting.starts_at + timedelta(days=1)

    microsoft.fake.move_event(ana.email, event_id, wall(new_start), wall(new_start + timedelta(minutes=45)))
    await delivered(microsoft.fake)
    await inbound.drain()
    moved = await Meeting.get(id=meeting.id)
    assert moved.starts_at == new_start
    assert await MeetingReschedule.filter(meeting_id=meeting.id, source=RescheduleSource.CALENDAR).count() == 1

    microsoft.fake.delete_event(ana.email, event_id)
    await delivered(microsoft.fake)
    await inbound.drain()
    await settle(worker)
    cancelled = await Meeting.get(id=meeting.id)
    assert (cancelled.status, cancelled.cancellation_reason) == (MeetingStatus.CANCELLED, "Cancelled in the calendar.")
    assert len(writes(microsoft.fake.requests, "/v1.0/")) == before


async def test_a_forced_410_on_delta_converges_through_a_full_resync(db, microsoft, worker, inbound):
    ana, ben, _, meeting, event_id = await booked(microsoft, worker, inbound)
    for style in ("SyncStateNotFound", "location"):
        microsoft.fake.reset_delta(ana.email, style)
        microsoft.fake.respond(
            ana.email, event_id, ben.email, "tentativelyAccepted" if style == "location" else "accepted"
        )
        await delivered(microsoft.fake)
        round_ = await inbound.drain()
        assert round_.full_syncs == 1
    assert (await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)).rsvp is Rsvp.TENTATIVE
    assert len([r for r in microsoft.fake.requests if r.status == 410]) == 2


async def test_a_missed_lifecycle_event_syncs_by_delta_and_a_removed_subscription_is_made_again(
    db, microsoft, worker, inbound
):
    ana, ben, _, meeting, event_id = await booked(microsoft, worker, inbound)
    [subscription] = microsoft.fake.live_subscriptions(ana.email)

    # Notifications were lost: Graph says so with `missed`, and a delta round catches up.
    microsoft.fake.notifier.drop_rate = 1.0
    microsoft.fake.respond(ana.email, event_id, ben.email, "declined")
    microsoft.fake.notifier.drop_rate = 0.0
    microsoft.fake.lifecycle(subscription["id"], "missed")
    await delivered(microsoft.fake)
    await inbound.run_once()
    assert (await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)).rsvp is Rsvp.DECLINED

    microsoft.fake.lifecycle(subscription["id"], "subscriptionRemoved")
    await delivered(microsoft.fake)
    await inbound.drain()
    [again] = microsoft.fake.live_subscriptions(ana.email)
    assert again["id"] != subscription["id"]
    assert (await CalendarWatch.get(calendar=ana.email)).channel_id == again["id"]


async def test_reauthorization_and_expiry_renew_the_subscription_on_a_fake_clock(db, microsoft, worker, inbound):
    ana, *_ = await booked(microsoft, worker, inbound)
    [subscription] = microsoft.fake.live_subscriptions(ana.email)

    microsoft.fake.lifecycle(subscription["id"], "reauthorizationRequired")
    await delivered(microsoft.fake)
    await inbound.drain()
    [renewed] = microsoft.fake.live_subscriptions(ana.email)
    assert renewed["id"] == subscription["id"] and not renewed["paused"]
    assert any(r.method == "PATCH" and "/subscriptions/" in r.path for r in microsoft.fake.requests)

    # Time passes (the fake's clock and the worker's together) to within the renewal lead of the expiry.
    watch = await CalendarWatch.get(calendar=ana.email)
    later = watch.channel_expires_at - timedelta(hours=1)
    microsoft.fake.clock = lambda: later.timestamp()
    inbound.clock = lambda: later
    await inbound.run_once()
    extended = await CalendarWatch.get(calendar=ana.email)
    assert extended.channel_expires_at > watch.channel_expires_at
    assert microsoft.fake.live_subscriptions(ana.email)

    # A renewal asking past Graph's maximum is refused by the fake: the worker keeps under the setting.
    assert extended.channel_expires_at <= later + timedelta(minutes=microsoft.fake.max_subscription_minutes)


async def test_webhook_refuses_a_wrong_client_state_and_bad_json_and_echoes_the_handshake(
    db, microsoft, worker, inbound, listening
):
    ana, *_ = await booked(microsoft, worker, inbound)
    [subscription] = microsoft.fake.live_subscriptions(ana.email)
    before = await CalendarNotification.all().count()
    url = f"{listening}/webhooks/microsoft"
    forged = {"value": [{"subscriptionId": subscription["id"], "clientState": "guess", "changeType": "updated"}]}
    assert await post(url, {"Content-Type": "application/json"}, json.dumps(forged).encode()) == 403
    assert await post(url, {"Content-Type": "application/json"}, b"{not json") == 400
    assert await post(url, {"Content-Type": "application/json"}, b'{"value": "x"}') == 400
    assert await post(url, {"Content-Type": "application/json"}, b"[" * 300_000) == 413
    assert await CalendarNotification.all().count() == before

    token = "Validation: Testing client application reachability & more"
    status, content_type, text = await asyncio.to_thread(
        post_for_reply, f"{url}?validationToken={quote(token)}", {}, b"", timeout=5
    )
    assert (status, content_type.split(";")[0], text) == (200, "text/plain", token)


async def test_a_notification_delivered_three_times_and_outlook_events_we_did_not_make_change_nothing(
    db, microsoft, worker, inbound
):
    ana, ben, _, meeting, event_id = await booked(microsoft, worker, inbound)
    microsoft.fake.respond(ana.email, event_id, ben.email, "tentativelyAccepted")
    await delivered(microsoft.fake)
    await inbound.drain()
    answers = await MeetingAttendee.filter(meeting_id=meeting.id).values_list("person_id", "rsvp", "responded_at")
    sequence = (await Meeting.get(id=meeting.id)).sequence

    last = [d for d in microsoft.fake.notifier.log if d.body][-1]
    for _ in range(3):
        assert await post(last.url, {"Content-Type": "application/json"}, last.body) == 202
    microsoft.fake.add_foreign_event(ana.email, wall(meeting.starts_at), wall(meeting.ends_at))
    await delivered(microsoft.fake)
    round_ = await inbound.drain()

    assert round_.notifications >= 4 and round_.applied.foreign == 1
    assert (
        await MeetingAttendee.filter(meeting_id=meeting.id).values_list("person_id", "rsvp", "responded_at") == answers
    )
    assert (await Meeting.get(id=meeting.id)).sequence == sequence
