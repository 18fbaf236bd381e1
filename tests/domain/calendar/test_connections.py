"""Which calendar a meeting goes to, company connections by domain, and personal grants encrypted at rest."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.calendar import connections
from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import CalendarConnection, ConnectionStatus, Provider
from domain.calendar.secrets import TokenCipher, new_key
from domain.errors import ValidationFailed
from domain.outbox.models import OutboxMessage
from tests.factories import make_person
from tests.factories_meetings import make_meeting, make_relationship, soon
from tests.support import assert_unchanged

NOW = datetime.now(UTC)


async def test_personal_beats_company_and_a_broken_personal_grant_means_ics(db):
    ana = await make_person(email="ana@acme.example")
    ben = await make_person(email="ben@other.example")
    company = await connections.connect_company(
        provider=Provider.GOOGLE, domains=["ACME.example"], config={"service_account_env": "SA"}, now=NOW
    )
    assert (await connections.connection_for(ana)).id == company.id
    assert await connections.connection_for(ben) is None

    personal = await connections.save_personal(
        person_id=ana.id,
        provider=Provider.MICROSOFT,
        refresh_token="refresh-1",
        account_email="Ana@acme.example",
        cipher=TokenCipher([new_key()]),
        now=NOW,
    )
    assert (await connections.connection_for(ana)).id == personal.id

    await connections.mark_broken(personal.id, reason="invalid_grant", now=NOW)
    assert await connections.connection_for(ana) is None


async def test_refresh_tokens_are_stored_encrypted_and_survive_key_rotation(db):
    ana = await make_person()
    old_key, new = new_key(), new_key()
    await connections.save_personal(
        person_id=ana.id,
        provider=Provider.GOOGLE,
        refresh_token="1//secret-refresh",
        account_email=ana.email,
        cipher=TokenCipher([old_key]),
        now=NOW,
    )
    stored = await CalendarConnection.get(person_id=ana.id)
    assert "secret-refresh" not in stored.refresh_token_encrypted

    assert await connections.rotate_tokens(TokenCipher([new, old_key])) == 1
    rotated = await CalendarConnection.get(person_id=ana.id)
    assert TokenCipher([new]).decrypt(rotated.refresh_token_encrypted) == "1//secret-refresh"


async def test_connecting_sends_the_organizers_upcoming_meetings_through_the_outbox(db):
    ana = await make_person(email="ana@acme.example")
    ben = await make_person(email="ben@acme.example")
    meeting = await make_meeting(await make_relationship(ana, ben), ana, ben, start=soon())
    await connections.connect_company(provider=Provider.MICROSOFT, domains=["acme.example"], config={}, now=NOW)
    assert await OutboxMessage.filter(topic=CALENDAR_TOPIC, key=str(meeting.id)).count() == 1


async def test_a_domain_belongs_to_one_company_connection(db):
    await connections.connect_company(provider=Provider.GOOGLE, domains=["a.example", "b.example"], config={}, now=NOW)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as refused:
            await connections.connect_company(provider=Provider.MICROSOFT, domains=["b.example"], config={}, now=NOW)
    assert refused.value.field == "domains"
    again = await connections.connect_company(
        provider=Provider.MICROSOFT, domains=["b.example", "a.example"], config={"tenant_id": "t"}, now=NOW
    )
    assert (await CalendarConnection.all().count(), again.provider) == (1, Provider.MICROSOFT)
    assert again.status is ConnectionStatus.ACTIVE
