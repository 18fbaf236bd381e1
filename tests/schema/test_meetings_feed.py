"""me { calendarFeed { url createdAt } }: the owner reads their current feed URL without rotating it."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.access import Role
from domain.calendar.secrets import TokenCipher, new_key
from domain.meetings.feed import rotate_feed_keys
from domain.meetings.models import CalendarFeed
from tests.factories import make_person
from tests.support import GraphQLClient, gid

ROTATE = "mutation { rotateMyCalendarFeed { ... on RotateMyCalendarFeedPayload { url } } }"
MY_FEED = "{ me { calendarFeed { url createdAt } } }"
THEIR_FEED = "query($id: ID!) { person(id: $id) { calendarFeed { url createdAt } } }"
KEYS = (new_key(), new_key())


@pytest.fixture
async def keyed(db):
    """An app holding a secret key, as a deployment with MENTORGRAPH_SECRET_KEY set does."""
    settings = load_settings(database_url=db, secret_key=KEYS[:1])
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as http:
        yield GraphQLClient(http, settings)


async def test_the_owner_reads_the_url_they_made_and_it_serves_their_feed(keyed, db):
    ana = await make_person(name="Ana")
    assert (await keyed(MY_FEED, as_=ana))["me"]["calendarFeed"] is None

    made = (await keyed(ROTATE, as_=ana))["rotateMyCalendarFeed"]["url"]

    feed = (await keyed(MY_FEED, as_=ana))["me"]["calendarFeed"]
    assert feed["url"] == made
    assert datetime.fromisoformat(feed["createdAt"]) == (await CalendarFeed.get(person_id=ana.id)).rotated_at
    response = await keyed.http.get(made)
    assert (response.status_code, response.headers["content-type"]) == (200, "text/calendar; charset=utf-8")
    # reading it again changes nothing: calendars already subscribed keep working
    assert (await keyed(MY_FEED, as_=ana))["me"]["calendarFeed"] == feed
    assert (await keyed.http.get(made)).status_code == 200


async def test_after_a_rotation_the_owner_reads_the_new_url_and_the_old_one_is_gone(keyed, db):
    ana = await make_person(name="Ana")
    old = (await keyed(ROTATE, as_=ana))["rotateMyCalendarFeed"]["url"]
    new = (await keyed(ROTATE, as_=ana))["rotateMyCalendarFeed"]["url"]

    assert (await keyed(MY_FEED, as_=ana))["me"]["calendarFeed"]["url"] == new
    assert (await keyed.http.get(old)).status_code == 404


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.COORDINATOR, Role.ANALYST, Role.ADMIN])
async def test_nobody_but_the_owner_reads_a_feed(keyed, db, role):
    ana, other = await make_person(name="Ana"), await make_person(name="Olga")
    await keyed(ROTATE, as_=ana)
    data = await keyed(THEIR_FEED, {"id": gid("Person", ana.id)}, as_=other, role=role)
    assert data == {"person": {"calendarFeed": None}}


async def test_a_feed_made_without_a_secret_key_has_no_readable_url(gql, db):
    ana = await make_person(name="Ana")
    await gql(ROTATE, as_=ana)
    feed = (await gql(MY_FEED, as_=ana))["me"]["calendarFeed"]
    assert feed["url"] is None and feed["createdAt"]
    assert (await CalendarFeed.get(person_id=ana.id)).token_encrypted is None


async def test_rotating_the_secret_key_keeps_every_url_readable(keyed, db):
    ana = await make_person(name="Ana")
    made = (await keyed(ROTATE, as_=ana))["rotateMyCalendarFeed"]["url"]
    before = (await CalendarFeed.get(person_id=ana.id)).token_encrypted

    # a new key goes first and the old one stays until every token is re-encrypted under the new one
    assert await rotate_feed_keys(TokenCipher([KEYS[1], KEYS[0]])) == 1

    stored = (await CalendarFeed.get(person_id=ana.id)).token_encrypted
    assert stored != before
    assert "ics/" + TokenCipher([KEYS[1]]).decrypt(stored) + ".ics" in made
