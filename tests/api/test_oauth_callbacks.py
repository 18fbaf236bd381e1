"""A person connects their own calendar: connectMyCalendar's consent URL (PKCE, state bound to the person),
the provider's redirect to /oauth/<provider>/callback, the grant stored encrypted, their meetings synced
through it, and disconnectMyCalendar revoking it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.calendar.models import CalendarConnection, ConnectionKind, Provider, SyncStatus
from domain.calendar.secrets import new_key
from integrations.calendar.worker import CalendarWorker
from tests.factories import make_person
from tests.fakes.calendar_setup import running_google, running_microsoft
from tests.integrations.calendar.conftest import book, settle
from tests.support import GraphQLClient, assert_unchanged, gid

CONNECT = """mutation($provider: CalendarProvider!) { connectMyCalendar(input: {provider: $provider}) {
  __typename ... on ConnectMyCalendarPayload { authorizationUrl } ... on Error { code field } } }"""
ME = "{ me { calendarConnection { provider kind status accountEmail } } }"
DISCONNECT = (
    "mutation { disconnectMyCalendar { __typename ... on DisconnectMyCalendarPayload { disconnected { kind } } } }"
)


@pytest.fixture
def google(tmp_path):
    with running_google(tmp_path) as running:
        yield running


@pytest.fixture
def microsoft(tmp_path):
    with running_microsoft(tmp_path) as running:
        yield running


@pytest.fixture
def oauth_settings(database_url, google, microsoft):
    return load_settings(
        database_url=database_url,
        secret_key=new_key(),
        public_url="http://mentorgraph.test",
        google_client_id="mg-client.apps.example",
        google_client_secret="g-secret",
        google_auth_url=f"{google.url}/o/oauth2/v2/auth",
        google_token_url=f"{google.url}/token",
        google_revoke_url=f"{google.url}/revoke",
        google_calendar_url=f"{google.url}/calendar/v3/",
        microsoft_client_id=microsoft.fake.client_id,
        microsoft_client_secret=microsoft.fake.client_secret,
        microsoft_authority_url=f"{microsoft.url}/common",
        microsoft_graph_url=f"{microsoft.url}/v1.0",
        provider_ca_file=str(microsoft.ca.ca_file),
    )


@pytest.fixture
async def client(db, oauth_settings):
    app = create_app(oauth_settings, manage_database=False)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test") as http:
        yield http, GraphQLClient(http, oauth_settings)


async def consent(client, gql, person, provider: str, fake) -> httpx.Response:
    """What the browser does: open the consent URL, agree, follow the redirect back to us."""
    data = await gql(CONNECT, {"provider": provider}, as_=person)
    url = urlsplit(data["connectMyCalendar"]["authorizationUrl"])
    query = {key: values[0] for key, values in parse_qs(url.query).items()}
    assert query["code_challenge_method"] == "S256"
    assert query["redirect_uri"] == f"http://mentorgraph.test/oauth/{provider.lower()}/callback"
    code = fake.issue_code(person.email, query["code_challenge"])
    return await client.get(f"/oauth/{provider.lower()}/callback", params={"code": code, "state": query["state"]})


async def test_a_person_connects_google_and_their_meetings_go_through_their_own_grant(client, google, oauth_settings):
    http, gql = client
    ana = await make_person(email="ana@gmail.example")
    ben = await make_person(email="ben@elsewhere.example")

    answer = await consent(http, gql, ana, "GOOGLE", google.fake)

    assert answer.status_code == 200, answer.text
    me = await gql(ME, as_=ana)
    assert me["me"]["calendarConnection"] == {
        "provider": "GOOGLE",
        "kind": "PERSONAL",
        "status": "ACTIVE",
        "accountEmail": "ana@gmail.example",
    }
    stored = await CalendarConnection.get(person_id=ana.id)
    assert stored.refresh_token_encrypted and stored.refresh_token_encrypted not in google.fake.refresh_tokens
    _, meeting = await book(ana, ben)
    worker = CalendarWorker(oauth_settings.calendar_sync)
    await settle(worker)
    await worker.writers.close()
    [event] = google.fake.organizer_events("ana@gmail.example")
    assert event["extendedProperties"]["private"]["mentorgraphMeeting"] == meeting.uid

    gone = await gql(DISCONNECT, as_=ana)
    assert gone["disconnectMyCalendar"] == {
        "__typename": "DisconnectMyCalendarPayload",
        "disconnected": {"kind": "PERSONAL"},
    }
    assert google.fake.refresh_tokens == {}  # revoked at Google
    assert not await CalendarConnection.filter(kind=ConnectionKind.PERSONAL).exists()


async def test_a_person_connects_outlook_through_the_entra_authority(client, microsoft, oauth_settings):
    http, gql = client
    ana = await make_person(email="ana@outlook.example")
    ben = await make_person(email="ben@outlook.example")

    answer = await consent(http, gql, ana, "MICROSOFT", microsoft.fake)

    assert answer.status_code == 200, answer.text
    _, meeting = await book(ana, ben)
    worker = CalendarWorker(oauth_settings.calendar_sync)
    await settle(worker)
    await worker.writers.close()
    [event] = microsoft.fake.organizer_events("ana@outlook.example")
    assert event["transactionId"] == f"mg-{meeting.uid}-1"
    assert (await CalendarConnection.get(person_id=ana.id)).provider is Provider.MICROSOFT


async def test_a_forged_or_foreign_state_connects_nothing(client, google):
    http, gql = client
    ana = await make_person(email="ana@gmail.example")
    data = await gql(CONNECT, {"provider": "GOOGLE"}, as_=ana)
    state = parse_qs(urlsplit(data["connectMyCalendar"]["authorizationUrl"]).query)["state"][0]
    code = google.fake.issue_code(ana.email, "whatever")
    async with assert_unchanged():
        forged = await http.get("/oauth/google/callback", params={"code": code, "state": "not-ours"})
        # A Google state presented to the Microsoft callback.
        crossed = await http.get("/oauth/microsoft/callback", params={"code": code, "state": state})
        # The right state with a code whose PKCE challenge is not ours.
        wrong_pkce = await http.get("/oauth/google/callback", params={"code": code, "state": state})
    assert (forged.status_code, crossed.status_code, wrong_pkce.status_code) == (400, 400, 400)


async def test_revoked_personal_grant_is_broken_for_its_owner_to_see(client, google, oauth_settings):
    http, gql = client
    ana = await make_person(email="ana@gmail.example")
    ben = await make_person(email="ben@elsewhere.example")
    await consent(http, gql, ana, "GOOGLE", google.fake)
    google.fake.revoke(ana.email)
    _, meeting = await book(ana, ben)

    worker = CalendarWorker(oauth_settings.calendar_sync)
    await settle(worker)
    await worker.writers.close()

    me = await gql(ME, as_=ana)
    assert me["me"]["calendarConnection"]["status"] == "BROKEN"
    sync = await gql(
        "query($id: ID!) { node(id: $id) { ... on Meeting { calendarSync { status } } } }",
        {"id": gid("Meeting", meeting.id)},
        as_=ana,
    )
    assert sync["node"]["calendarSync"]["status"] == SyncStatus.NOT_CONNECTED.value

    # Reconnecting resumes: the meeting goes out through the new grant.
    google.fake.restore(ana.email)
    await consent(http, gql, ana, "GOOGLE", google.fake)
    worker = CalendarWorker(oauth_settings.calendar_sync)
    await settle(worker)
    await worker.writers.close()
    assert len(google.fake.organizer_events(ana.email)) == 1
