"""Cursor connections at their edges, for every root list: empty pages, the last page, foreign and forged cursors.

Also the keys inside IDs and cursors: one that no row can have is refused (or read as null by `node`), never an
unexpected error from the database.
"""

from __future__ import annotations

import base64

import pytest
from strawberry.relay import to_base64

from domain.access import Role
from tests.factories import make_person, make_program, make_skill
from tests.support import assert_unchanged

PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount"


def page_query(field: str) -> str:
    return f"""
    query Page($first: Int, $after: String) {{
      {field}(first: $first, after: $after) {{ edges {{ cursor node {{ id }} }} {PAGE_INFO} }}
    }}
    """


LISTS = ["people", "programs", "skills"]
BEYOND_ANY_KEY = 2**31


@pytest.fixture
async def viewer(db):
    """Three of each: the viewer and two colleagues, three published programs, three skills."""
    ana = await make_person(email="ana@example.com")
    for _ in range(2):
        await make_person()
    for n in range(3):
        await make_program()
        await make_skill(f"Skill {n}")
    return ana


async def page(gql, viewer, field: str, **variables) -> dict:
    return (await gql(page_query(field), variables, as_=viewer, role=Role.ADMIN))[field]


def forged_cursor(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("field", LISTS)
async def test_first_zero_is_an_empty_page_that_still_says_more_follow(gql, viewer, field):
    result = await page(gql, viewer, field, first=0)

    assert result == {
        "edges": [],
        "pageInfo": {"hasNextPage": True, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
        "totalCount": 3,
    }


@pytest.mark.parametrize("field", LISTS)
async def test_the_last_page_says_nothing_follows_and_a_page_after_it_is_empty(gql, viewer, field):
    first = await page(gql, viewer, field, first=2)
    last = await page(gql, viewer, field, first=2, after=first["pageInfo"]["endCursor"])
    beyond = await page(gql, viewer, field, first=2, after=last["pageInfo"]["endCursor"])

    assert (len(first["edges"]), first["pageInfo"]["hasNextPage"]) == (2, True)
    assert (len(last["edges"]), last["pageInfo"]["hasNextPage"]) == (1, False)
    assert {e["node"]["id"] for e in first["edges"]}.isdisjoint({e["node"]["id"] for e in last["edges"]})
    assert beyond == {
        "edges": [],
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": True, "startCursor": None, "endCursor": None},
        "totalCount": 3,
    }


@pytest.mark.parametrize(("field", "other"), [("people", "programs"), ("programs", "skills"), ("skills", "people")])
async def test_a_cursor_from_another_list_is_refused_naming_after(gql, viewer, field, other):
    foreign = (await page(gql, viewer, other, first=1))["pageInfo"]["endCursor"]

    errors = await gql.errors(page_query(field), {"after": foreign}, as_=viewer, role=Role.ADMIN)

    [error] = errors
    assert error["path"] == [field]
    assert error["message"].startswith("This cursor is from a list of ")


@pytest.mark.parametrize(
    "cursor",
    [
        forged_cursor(f"cursor:Person:{BEYOND_ANY_KEY}"),
        forged_cursor("cursor:Person:-1"),
        forged_cursor("cursor:Person: 1"),
        forged_cursor("cursor:1"),
        "not base64!",
    ],
    ids=["key-beyond-any-row", "negative", "padded", "no-list", "not-base64"],
)
async def test_a_forged_cursor_is_refused_not_an_unexpected_error(gql, viewer, cursor):
    errors = await gql.errors(page_query("people"), {"after": cursor}, as_=viewer)

    assert [(e["message"], e["path"]) for e in errors] == [("Not a cursor this API issued.", ["people"])]


@pytest.mark.parametrize("key", [str(BEYOND_ANY_KEY), "0", "-3", " 1", "01", "1e3"])
async def test_an_id_no_row_can_have_reads_as_null_by_person_and_program(gql, viewer, key):
    for field, type_name in (("person", "Person"), ("program", "Program")):
        document = f"query One($id: ID!) {{ {field}(id: $id) {{ id }} }}"
        data = await gql(document, {"id": to_base64(type_name, key)}, as_=viewer)
        assert data == {field: None}


@pytest.mark.parametrize("type_name", ["Person", "Program", "Enrollment", "Skill", "Relationship"])
async def test_node_reads_an_id_no_row_can_have_as_null(gql, viewer, type_name):
    data = await gql(
        "query N($id: ID!) { node(id: $id) { id } }", {"id": to_base64(type_name, BEYOND_ANY_KEY)}, as_=viewer
    )

    assert data == {"node": None}


async def test_a_mutation_given_an_id_no_row_can_have_names_the_field_and_writes_nothing(gql, viewer):
    async with assert_unchanged():
        data = await gql(
            "mutation T($input: TransitionProgramInput!) { transitionProgram(input: $input) "
            "{ __typename ... on Error { code field } } }",
            {"input": {"programId": to_base64("Program", BEYOND_ANY_KEY), "to": "CLOSED"}},
            as_=viewer,
            role=Role.ADMIN,
        )

    assert data["transitionProgram"] == {"__typename": "ValidationError", "code": "VALIDATION", "field": "programId"}
