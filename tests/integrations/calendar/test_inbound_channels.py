"""Channels end with their connection: disconnecting a personal calendar stops its Google channel (the grant
still works at that moment), and a company connection moved to the other provider leaves its old watches."""

from __future__ import annotations

from domain.calendar import connections
from domain.calendar.inbound_models import CalendarWatch
from domain.calendar.models import Provider
from domain.clock import utc_now
from integrations.calendar.config import OAuthSettings
from integrations.calendar.inbound_worker import InboundWorker, close_channels_with
from tests.fakes.calendar_setup import connect
from tests.integrations.calendar.conftest import book, pair, settle
from tests.integrations.calendar.inbound_support import delivered, inbound_config


async def test_disconnecting_a_personal_google_calendar_stops_its_channel_first(db, google, listening, worker):
    ana, ben = await pair("acme.example")
    config = inbound_config(
        listening,
        google_client_id="mg-client.apps.example",
        google_client_secret="g-secret",
        google_token_url=f"{google.url}/token",
        google_calendar_url=f"{google.url}/calendar/v3/",
    )
    google.fake.refresh_tokens["1//ana"] = ana.email
    connection = await connections.save_personal(
        person_id=ana.id,
        provider=Provider.GOOGLE,
        refresh_token="1//ana",
        account_email=ana.email,
        cipher=config.token_cipher(),
        now=utc_now(),
    )
    worker.settings = config
    worker.writers = type(worker.writers)(config)
    await book(ana, ben)
    await settle(worker)
    inbound = InboundWorker(config)
    await inbound.drain()
    await inbound.writers.close()
    [channel] = google.fake.live_channels(ana.email)

    oauth = OAuthSettings(
        public_url=listening,
        google_client_id=config.google_client_id,
        google_client_secret=config.google_client_secret,
        google_auth_url=f"{google.url}/auth",
        google_token_url=config.google_token_url,
        google_revoke_url=f"{google.url}/revoke",
        google_calendar_url=config.google_calendar_url,
        microsoft_client_id="",
        microsoft_client_secret="",
        microsoft_authority_url="https://login.example/common",
        microsoft_graph_url="https://graph.example/v1.0",
    )
    assert await close_channels_with(oauth, config.token_cipher(), connection) == 1

    assert google.fake.channels[channel["id"]]["stopped"]
    assert google.fake.live_channels(ana.email) == []
    assert (await CalendarWatch.get(connection_id=connection.id)).channel_id == ""


async def test_a_company_connection_moved_to_outlook_retires_its_google_watch(db, google, microsoft, worker, inbound):
    ana, ben = await pair("acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    await book(ana, ben)
    await settle(worker)
    await inbound.drain()
    await delivered(google.fake)
    assert await CalendarWatch.filter(provider=Provider.GOOGLE).count() == 1

    await connect(Provider.MICROSOFT, microsoft, "acme.example")
    await settle(worker)
    round_ = await inbound.drain()

    assert round_.failed == 0
    assert await CalendarWatch.filter(provider=Provider.GOOGLE).count() == 0
    assert await CalendarWatch.filter(provider=Provider.MICROSOFT).count() == 1
    assert len(microsoft.fake.live_subscriptions(ana.email)) == 1
