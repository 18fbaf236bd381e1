"""people (filters and cursor pages), person(id) and node(id), through GraphQL over HTTP."""

from __future__ import annotations

import pytest
from strawberry.relay import to_base64

from domain.skills.models import PersonSkill, SkillDirection
from tests.factories import make_person, make_skill

PEOPLE = """
query People($first: Int, $after: String, $filter: PeopleFilter) {
  people(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { name } }
  }
}
"""

PERSON = """
query Person($id: ID!) {
  person(id: $id) {
    id name email manager { name } directReports { name }
    skills { direction proficiency skill { name } }
  }
}
"""

NODE = """
query Node($id: ID!) {
  node(id: $id) {
    __typename
    id
    ... on Person { name }
    ... on Skill { name category aliases }
  }
}
"""


async def names(gql, viewer, **filters) -> list[str]:
    data = await gql(PEOPLE, {"filter": filters}, as_=viewer)
    return [edge["node"]["name"] for edge in data["people"]["edges"]]


@pytest.fixture
async def staff(db):
    python = await make_skill("Python", "py")
    people = {
        "ana": await make_person(
            name="Ana Lima", email="ana@example.com", department="Data", time_zone="America/Sao_Paulo"
        ),
        "ben": await make_person(name="Ben Okafor", department="Engineering", job_title="Data engineer"),
        "chloe": await make_person(name="Chloé Martin", department="engineering", time_zone="Europe/Paris"),
        "dev": await make_person(name="Dev Patel", department="Data", is_active=False),
    }
    await PersonSkill.create(person=people["ana"], skill=python, direction=SkillDirection.TEACH, proficiency=5)
    await PersonSkill.create(person=people["chloe"], skill=python, direction=SkillDirection.LEARN, proficiency=1)
    await PersonSkill.create(person=people["dev"], skill=python, direction=SkillDirection.TEACH, proficiency=4)
    return people


async def test_people_lists_active_people_by_default(gql, staff):
    assert await names(gql, staff["ana"]) == ["Ana Lima", "Ben Okafor", "Chloé Martin"]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"search": "data"}, ["Ben Okafor"]),
        ({"search": "ANA@"}, ["Ana Lima"]),
        ({"department": "ENGINEERING"}, ["Ben Okafor", "Chloé Martin"]),
        ({"timeZone": "Europe/Paris"}, ["Chloé Martin"]),
        ({"skill": "python"}, ["Ana Lima", "Chloé Martin"]),
        ({"skill": " PY "}, ["Ana Lima", "Chloé Martin"]),
        ({"skill": "py", "skillDirection": "TEACH"}, ["Ana Lima"]),
        ({"skill": "Python", "skillDirection": "LEARN"}, ["Chloé Martin"]),
        ({"skill": "Rust"}, []),
        ({"isActive": False}, ["Dev Patel"]),
        ({"isActive": None}, ["Ana Lima", "Ben Okafor", "Chloé Martin", "Dev Patel"]),
        ({"isActive": None, "department": "Data", "skill": "py"}, ["Ana Lima", "Dev Patel"]),
    ],
    ids=[
        "search-job-title",
        "search-email",
        "department-any-case",
        "time-zone",
        "skill-by-name",
        "skill-by-alias",
        "teachers",
        "learners",
        "unknown-skill",
        "inactive",
        "everyone",
        "combined",
    ],
)
async def test_people_filters(gql, staff, filters, expected):
    assert await names(gql, staff["ana"], **filters) == expected


async def test_people_pages_follow_the_cursor_to_the_end(gql, db):
    viewer = await make_person(name="Person 00")
    for n in range(1, 5):
        await make_person(name=f"Person {n:02}")

    first = (await gql(PEOPLE, {"first": 2}, as_=viewer))["people"]
    second = (await gql(PEOPLE, {"first": 2, "after": first["pageInfo"]["endCursor"]}, as_=viewer))["people"]
    last = (await gql(PEOPLE, {"first": 2, "after": second["pageInfo"]["endCursor"]}, as_=viewer))["people"]

    assert [page["totalCount"] for page in (first, second, last)] == [5, 5, 5]
    assert [[e["node"]["name"] for e in page["edges"]] for page in (first, second, last)] == [
        ["Person 00", "Person 01"],
        ["Person 02", "Person 03"],
        ["Person 04"],
    ]
    assert [page["pageInfo"]["hasNextPage"] for page in (first, second, last)] == [True, True, False]
    assert [page["pageInfo"]["hasPreviousPage"] for page in (first, second, last)] == [False, True, True]
    assert last["pageInfo"]["endCursor"] == last["edges"][-1]["cursor"]


async def test_a_page_counts_everyone_the_filter_matches(gql, staff):
    data = await gql(PEOPLE, {"first": 1, "filter": {"isActive": None}}, as_=staff["ana"])
    assert data["people"]["totalCount"] == 4
    assert data["people"]["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("variables", [{"after": "not-a-cursor"}, {"after": "c29tZXRoaW5nOjE="}, {"first": 101}])
async def test_a_bad_cursor_or_page_size_is_an_error(gql, staff, variables):
    errors = await gql.errors(PEOPLE, variables, as_=staff["ana"])
    assert errors[0]["message"] in ("Not a cursor this API issued.", "Ask for between 0 and 100 items with `first`.")
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert errors[0]["extensions"]["field"] == next(iter(variables))
    assert errors[0]["path"] == ["people"]


async def test_person_by_id_with_manager_reports_and_skills(gql, db):
    lead = await make_person(name="Lead")
    ana = await make_person(name="Ana", manager=lead)
    sql = await make_skill("SQL")
    await PersonSkill.create(person=ana, skill=sql, direction=SkillDirection.LEARN, proficiency=2)

    data = await gql(PERSON, {"id": to_base64("Person", ana.id)}, as_=lead)
    lead_data = await gql(PERSON, {"id": to_base64("Person", lead.id)}, as_=ana)

    assert data["person"] == {
        "id": to_base64("Person", ana.id),
        "name": "Ana",
        "email": ana.email,
        "manager": {"name": "Lead"},
        "directReports": [],
        "skills": [{"direction": "LEARN", "proficiency": 2, "skill": {"name": "SQL"}}],
    }
    assert lead_data["person"]["directReports"] == [{"name": "Ana"}]


@pytest.mark.parametrize(
    "bad_id",
    ["garbage", "", "x" * 10_000, 42, "U2tpbGw6MQ=="],
    ids=["garbage", "empty", "10-kb", "number", "a-skills-id"],
)
async def test_person_by_an_unknown_malformed_or_another_types_id_is_null(gql, db, bad_id):
    ana = await make_person()
    assert (await gql(PERSON, {"id": to_base64("Person", ana.id + 99)}, as_=ana))["person"] is None
    assert (await gql(PERSON, {"id": bad_id}, as_=ana))["person"] is None


async def test_node_resolves_people_and_skills(gql, db):
    ana = await make_person(name="Ana")
    skill = await make_skill("Kubernetes", "k8s", category="Infrastructure")

    person_node = (await gql(NODE, {"id": to_base64("Person", ana.id)}, as_=ana))["node"]
    skill_node = (await gql(NODE, {"id": to_base64("Skill", skill.id)}, as_=ana))["node"]
    missing = (await gql(NODE, {"id": to_base64("Skill", skill.id + 99)}, as_=ana))["node"]

    assert person_node == {"__typename": "Person", "id": to_base64("Person", ana.id), "name": "Ana"}
    assert skill_node == {
        "__typename": "Skill",
        "id": to_base64("Skill", skill.id),
        "name": "Kubernetes",
        "category": "Infrastructure",
        "aliases": ["k8s"],
    }
    assert missing is None
