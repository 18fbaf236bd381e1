"""availableSlots pages on: up to 500 slots a page, a cursor for the next, and whether more exist."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from tests.factories_meetings import iso, make_working_pair
from tests.support import assert_unchanged, gid

PAGE = """
query S($input: AvailableSlotsInput!) {
  availableSlots(input: $input) {
    __typename
    ... on AvailableSlots { hasMore endCursor slots { start maxCost } }
    ... on Error { message code field }
  }
}
"""
# A 60-minute meeting on a 15-minute grid over three whole days: 3 * 96 - 3 starts.
SLOTS_IN_THREE_DAYS = 285


@pytest.fixture
async def pair_and_window(db):
    ana, _, relationship = await make_working_pair("America/New_York")
    start = datetime.combine(datetime.now(UTC).date() + timedelta(days=5), time(0, 0), tzinfo=UTC)
    return ana, relationship, (start, start + timedelta(days=3))


def page(relationship, window, *, limit: int, after: str | None = None) -> dict:
    fields = {
        "relationshipId": gid("Relationship", relationship.id),
        "from": iso(window[0]),
        "to": iso(window[1]),
        "durationMinutes": 60,
        "limit": limit,
    }
    return {"input": {**fields, "after": after} if after else fields}


async def test_pages_of_a_hundred_walk_the_whole_ranking_and_say_when_it_ends(gql, pair_and_window):
    ana, relationship, window = pair_and_window
    whole = (await gql(PAGE, page(relationship, window, limit=500), as_=ana))["availableSlots"]
    assert (len(whole["slots"]), whole["hasMore"]) == (SLOTS_IN_THREE_DAYS, False)

    walked, after, answers = [], None, []
    while True:
        found = (await gql(PAGE, page(relationship, window, limit=100, after=after), as_=ana))["availableSlots"]
        walked += found["slots"]
        answers.append((len(found["slots"]), found["hasMore"]))
        if not found["hasMore"]:
            break
        after = found["endCursor"]

    assert answers == [(100, True), (100, True), (85, False)]
    assert walked == whole["slots"]
    costs = [slot["maxCost"] for slot in walked]
    assert costs == sorted(costs)


async def test_a_page_that_exactly_ends_the_ranking_has_no_more(gql, pair_and_window):
    ana, relationship, window = pair_and_window
    found = (await gql(PAGE, page(relationship, window, limit=SLOTS_IN_THREE_DAYS), as_=ana))["availableSlots"]
    assert (len(found["slots"]), found["hasMore"]) == (SLOTS_IN_THREE_DAYS, False)
    beyond = await gql(PAGE, page(relationship, window, limit=10, after=found["endCursor"]), as_=ana)
    assert beyond["availableSlots"] == {
        "__typename": "AvailableSlots",
        "hasMore": False,
        "endCursor": None,
        "slots": [],
    }


@pytest.mark.parametrize(
    ("limit", "after", "field"),
    [(501, None, "limit"), (0, None, "limit"), (10, "not-a-cursor", "after"), (10, "Y3Vyc29yOlBlcnNvbjox", "after")],
)
async def test_bad_pages_are_typed_errors_naming_the_field(gql, pair_and_window, limit, after, field):
    ana, relationship, window = pair_and_window
    async with assert_unchanged():
        data = await gql(PAGE, page(relationship, window, limit=limit, after=after), as_=ana)
    assert (data["availableSlots"]["__typename"], data["availableSlots"]["field"]) == ("ValidationError", field)
