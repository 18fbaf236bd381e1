"""skills: searching the taxonomy by name or alias, through GraphQL over HTTP."""

from __future__ import annotations

import pytest

from tests.factories import make_person, make_skill

SKILLS = """
query Skills($filter: SkillFilter, $first: Int, $after: String) {
  skills(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { name category aliases } }
  }
}
"""


@pytest.fixture
async def taxonomy(db):
    await make_skill("Python", "py", category="Programming")
    await make_skill("JavaScript", "js", "ecmascript", category="Programming")
    await make_skill("Public speaking", "presenting", category="Communication")


async def skill_names(gql, **filters) -> list[str]:
    data = await gql(SKILLS, {"filter": filters}, as_=await make_person())
    return [edge["node"]["name"] for edge in data["skills"]["edges"]]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, ["Python", "JavaScript", "Public speaking"]),
        ({"search": "ECMA"}, ["JavaScript"]),
        ({"search": "present"}, ["Public speaking"]),
        ({"search": "p"}, ["Python", "JavaScript", "Public speaking"]),
        ({"search": "  PUBLIC   speak "}, ["Public speaking"]),
        ({"category": "programming"}, ["Python", "JavaScript"]),
        ({"search": "py", "category": "Communication"}, []),
    ],
    ids=["all", "alias", "alias-prefix", "name-or-alias-once-each", "spaces-and-case", "category", "combined"],
)
async def test_skills_search_names_and_aliases(gql, taxonomy, filters, expected):
    assert await skill_names(gql, **filters) == expected


async def test_skills_list_their_aliases_and_page(gql, taxonomy):
    viewer = await make_person()
    first = (await gql(SKILLS, {"first": 2}, as_=viewer))["skills"]
    rest = (await gql(SKILLS, {"first": 2, "after": first["pageInfo"]["endCursor"]}, as_=viewer))["skills"]

    assert first["totalCount"] == 3
    javascript = first["edges"][1]["node"]
    assert (javascript["name"], javascript["category"]) == ("JavaScript", "Programming")
    assert sorted(javascript["aliases"]) == ["ecmascript", "js"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert [edge["node"]["name"] for edge in rest["edges"]] == ["Public speaking"]
    assert rest["pageInfo"]["hasNextPage"] is False
