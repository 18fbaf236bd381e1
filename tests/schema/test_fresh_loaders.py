"""A mutation's payload reads what it wrote, even after an earlier field of the same request cached the old rows."""

from __future__ import annotations

from tests.factories import make_person, make_working_week

TWO_WRITES = """
mutation {
  before: updateMyProfile(input: {bio: "first"}) {
    ... on UpdateMyProfilePayload { person { workingHours { weekday start end } } }
  }
  after: setMyWorkingHours(input: {hours: [{weekday: MONDAY, start: "10:00:00", end: "12:00:00"}]}) {
    ... on SetMyWorkingHoursPayload { person { workingHours { weekday start end } } }
  }
}
"""


async def test_second_mutation_payload_is_not_served_from_the_first_ones_cache(gql):
    ana = await make_person()
    await make_working_week(ana)

    data = await gql(TWO_WRITES, as_=ana)

    assert len(data["before"]["person"]["workingHours"]) == 5
    assert data["after"]["person"]["workingHours"] == [{"weekday": "MONDAY", "start": "10:00:00", "end": "12:00:00"}]
