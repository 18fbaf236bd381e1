"""On PostgreSQL, a leaver's sync and a member ending the same relationship at the same moment: it ends once."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from domain.access import Role, Viewer
from domain.errors import InvalidTransition
from domain.meetings.models import Meeting, MeetingStatus
from domain.people.models import Person
from domain.relationships import service
from domain.relationships.models import ClosureReason, Relationship, RelationshipStatus
from tests.domain.relationships.scenario import warm_connection_pool
from tests.factories_meetings import make_meeting, make_relationship, soon
from tests.fakes.directory_org import external_id, organisation, populate_entra

pytestmark = pytest.mark.postgres_only


@pytest.mark.parametrize("round_", range(3))
async def test_a_sync_and_a_member_ending_the_pair_at_once_end_it_once(entra, entra_connection, sync, round_):
    populate_entra(entra.fake, organisation(6))
    await sync(entra_connection)
    leaver = await Person.get(email="person3@contoso.example")
    partner = await Person.get(email="person4@contoso.example")
    relationship = await make_relationship(leaver, partner)
    meeting = await make_meeting(relationship, leaver, partner, start=soon(days=3))
    entra.fake.update_user(external_id(3), accountEnabled=False)
    partner_viewer = Viewer(email=partner.email, role=Role.PARTICIPANT, person_id=partner.id)

    async def partner_ends():
        return await service.end(
            partner_viewer,
            relationship_id=relationship.id,
            reason=ClosureReason.NOT_A_GOOD_FIT,
            note=None,
            now=datetime.datetime.now(datetime.UTC),
        )

    await warm_connection_pool()
    report, ended = await asyncio.gather(sync(entra_connection), partner_ends(), return_exceptions=True)

    assert not isinstance(report, Exception), report
    assert ended is None or isinstance(ended, (Relationship, InvalidTransition)), ended
    partner_won = isinstance(ended, Relationship)
    assert report.closed.relationships_ended + partner_won == 1
    final = await Relationship.get(id=relationship.id)
    expected = ClosureReason.NOT_A_GOOD_FIT if partner_won else ClosureReason.LEFT_COMPANY
    assert (final.status, final.closure_reason) == (RelationshipStatus.ENDED_EARLY, expected)
    cancelled = await Meeting.get(id=meeting.id)
    assert (cancelled.status, cancelled.sequence) == (MeetingStatus.CANCELLED, meeting.sequence + 1)
    assert not (await Person.get(id=leaver.id)).is_active
