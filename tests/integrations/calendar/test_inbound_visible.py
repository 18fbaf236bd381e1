"""What flows back is visible where people look: the RSVP and respondedAt over GraphQL and in the ICS feed, a
move from the calendar in the reschedule history, and a clash it made on both meetings, for members only."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.access import Role, Viewer
from domain.calendar.models import Provider
from domain.clock import utc_now
from domain.meetings.feed import feed_for_token, rotate_feed
from integrations.ics.render import render_feed
from tests.factories import make_person
from tests.fakes.calendar_setup import connect
from tests.integrations.calendar.conftest import book, pair, settle
from tests.integrations.calendar.inbound_support import delivered, event_id_of, zulu
from tests.support import gid

MEETING = """
query M($id: ID!) {
  meeting(id: $id) {
    start sequence
    attendees { person { email } rsvp respondedAt }
    reschedules { source reason newStart }
    calendarClashes { otherStart otherEnd detectedAt }
  }
}
"""


@pytest.fixture
async def clashed(db, google, worker, inbound):
    """Ana moved her meeting with Ben, in Google, onto Ben's meeting with Cara; Ben declined there."""
    ana, ben = await pair("acme.example")
    cara = await make_person(name="Cara", email="cara@acme.example")
    await connect(Provider.GOOGLE, google, "acme.example")
    _, meeting = await book(ana, ben)
    _, other = await book(ben, cara, days=4)
    await settle(worker)
    await inbound.drain()
    await delivered(google.fake)
    await inbound.drain()
    event_id = await event_id_of(meeting.id)
    google.fake.move_event(ana.email, event_id, zulu(other.starts_at), zulu(other.ends_at))
    google.fake.set_response(ana.email, event_id, ben.email, "declined")
    await delivered(google.fake)
    await inbound.drain()
    return ana, ben, cara, meeting, other


async def test_members_see_the_answer_the_calendar_move_and_the_clash(gql, clashed):
    ana, ben, cara, meeting, other = clashed

    seen = (await gql(MEETING, {"id": gid("Meeting", meeting.id)}, as_=ana))["meeting"]

    answers = {a["person"]["email"]: a for a in seen["attendees"]}
    assert answers[ben.email]["rsvp"] == "DECLINED" and answers[ben.email]["respondedAt"]
    [move] = seen["reschedules"]
    assert (move["source"], move["reason"]) == ("CALENDAR", "Moved in the calendar.")
    assert [c["otherStart"] for c in seen["calendarClashes"]] == [other.starts_at.isoformat()]
    # The other meeting's members see the clash on theirs.
    theirs = (await gql(MEETING, {"id": gid("Meeting", other.id)}, as_=cara))["meeting"]
    assert [c["otherStart"] for c in theirs["calendarClashes"]] == [other.starts_at.isoformat()]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ANALYST, Role.ADMIN, Role.PARTICIPANT])
async def test_people_outside_the_relationship_never_see_its_clashes(gql, clashed, role):
    _, _, _, meeting, _ = clashed
    outsider = await make_person(name="Olga", email="olga@acme.example")

    seen = (await gql(MEETING, {"id": gid("Meeting", meeting.id)}, as_=outsider, role=role))["meeting"]

    assert seen is None or seen["calendarClashes"] is None


async def test_the_ics_feed_shows_the_answer_given_in_the_calendar(clashed):
    ana, *_ = clashed
    token = await rotate_feed(Viewer(email=ana.email, role=Role.PARTICIPANT, person_id=ana.id), now=utc_now())

    text = render_feed(await feed_for_token(token, now=utc_now() - timedelta(days=1))).decode()

    assert "PARTSTAT=DECLINED" in text.replace("\r\n ", "")
