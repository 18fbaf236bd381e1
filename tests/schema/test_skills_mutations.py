"""setMySkills, createSkill and addSkillAlias, through GraphQL over HTTP."""

from __future__ import annotations

import pytest
from strawberry.relay import to_base64

from domain.access import Role
from domain.skills.models import PersonSkill, Skill, SkillAlias, SkillDirection
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged

SET_MY_SKILLS = """
mutation SetSkills($input: SetMySkillsInput!) {
  setMySkills(input: $input) {
    __typename
    ... on SetMySkillsPayload { person { skills { direction proficiency skill { name } } } }
    ... on Error { message code field }
  }
}
"""

CREATE_SKILL = """
mutation Create($input: CreateSkillInput!) {
  createSkill(input: $input) {
    __typename
    ... on CreateSkillPayload { skill { name slug category aliases } }
    ... on Error { message code field }
  }
}
"""

ADD_ALIAS = """
mutation AddAlias($input: AddSkillAliasInput!) {
  addSkillAlias(input: $input) {
    __typename
    ... on AddSkillAliasPayload { skill { name aliases } }
    ... on Error { message code field }
  }
}
"""


def claim(skill: str, proficiency: int) -> dict:
    return {"skill": skill, "proficiency": proficiency}


def error_of(result: dict) -> tuple[str, str, str | None]:
    return result["__typename"], result["code"], result["field"]


@pytest.fixture
async def taxonomy(db):
    return {
        "python": await make_skill("Python", "py"),
        "js": await make_skill("JavaScript", "js", "ecma script"),
        "sql": await make_skill("SQL"),
    }


async def test_set_my_skills_replaces_both_lists_through_aliases(gql, taxonomy):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=SkillDirection.TEACH, proficiency=3)

    data = await gql(
        SET_MY_SKILLS,
        {"input": {"teach": [claim("PY", 5), claim("  ECMA   script ", 4)], "learn": [claim("sql", 1)]}},
        as_=ana,
    )

    result = data["setMySkills"]
    assert result["__typename"] == "SetMySkillsPayload"
    assert sorted((s["direction"], s["skill"]["name"], s["proficiency"]) for s in result["person"]["skills"]) == [
        ("LEARN", "SQL", 1),
        ("TEACH", "JavaScript", 4),
        ("TEACH", "Python", 5),
    ]
    assert await PersonSkill.filter(person=ana).count() == 3


async def test_set_my_skills_keeps_an_omitted_list_and_clears_an_empty_one(gql, taxonomy):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=SkillDirection.TEACH, proficiency=3)
    await PersonSkill.create(person=ana, skill=taxonomy["js"], direction=SkillDirection.LEARN, proficiency=1)

    data = await gql(SET_MY_SKILLS, {"input": {"teach": []}}, as_=ana)

    assert data["setMySkills"]["person"]["skills"] == [
        {"direction": "LEARN", "proficiency": 1, "skill": {"name": "JavaScript"}}
    ]


@pytest.mark.parametrize(
    ("skills_input", "field"),
    [
        ({"teach": [claim("Fortran", 3)]}, "teach[0].skill"),
        ({"teach": [claim("Python", 3), claim("SQL", 6)]}, "teach[1].proficiency"),
        ({"learn": [claim("SQL", 0)]}, "learn[0].proficiency"),
        ({"teach": [claim("Python", 3), claim("py", 2)]}, "teach[1].skill"),
        ({"teach": [claim("Python", 3)], "learn": [claim("SQL", 2), claim("Haskell", 2)]}, "learn[1].skill"),
    ],
    ids=["unknown-skill", "proficiency-above-5", "proficiency-below-1", "same-skill-twice", "unknown-learn-skill"],
)
async def test_bad_skills_are_a_validation_error_and_write_nothing(gql, taxonomy, skills_input, field):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=SkillDirection.TEACH, proficiency=3)
    async with assert_unchanged():
        data = await gql(SET_MY_SKILLS, {"input": skills_input}, as_=ana)
    assert error_of(data["setMySkills"]) == ("ValidationError", "VALIDATION", field)


async def test_set_my_skills_needs_a_profile(gql, taxonomy):
    async with assert_unchanged():
        data = await gql(SET_MY_SKILLS, {"input": {"teach": [claim("SQL", 3)]}}, as_="newcomer@example.com")
    assert error_of(data["setMySkills"]) == ("PermissionDeniedError", "PERMISSION_DENIED", None)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_curators_create_a_skill_with_aliases(gql, db, role):
    curator = await make_person()

    data = await gql(
        CREATE_SKILL,
        {"input": {"name": "Product  Discovery", "category": "Product", "aliases": ["Discovery", "PD"]}},
        as_=curator,
        role=role,
    )

    skill = data["createSkill"]["skill"]
    assert (skill["name"], skill["slug"], skill["category"]) == ("Product Discovery", "product discovery", "Product")
    assert sorted(skill["aliases"]) == ["discovery", "pd"]
    assert await SkillAlias.filter(skill__name="Product Discovery").count() == 2


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ANALYST])
async def test_participants_and_analysts_may_not_curate(gql, taxonomy, role):
    someone = await make_person()
    sql_id = to_base64("Skill", taxonomy["sql"].id)
    async with assert_unchanged():
        created = await gql(CREATE_SKILL, {"input": {"name": "Go"}}, as_=someone, role=role)
        aliased = await gql(ADD_ALIAS, {"input": {"skillId": sql_id, "alias": "Structured"}}, as_=someone, role=role)
    assert error_of(created["createSkill"]) == ("PermissionDeniedError", "PERMISSION_DENIED", None)
    assert error_of(aliased["addSkillAlias"]) == ("PermissionDeniedError", "PERMISSION_DENIED", None)


@pytest.mark.parametrize(
    ("skill_input", "expected"),
    [
        ({"name": "python"}, ("ConflictError", "CONFLICT", "name")),
        ({"name": "JS"}, ("ConflictError", "CONFLICT", "name")),
        ({"name": "Go", "aliases": ["ecma script"]}, ("ConflictError", "CONFLICT", "aliases[0]")),
        ({"name": "Go", "aliases": ["golang", "GoLang"]}, ("ConflictError", "CONFLICT", "aliases[1]")),
        ({"name": " "}, ("ValidationError", "VALIDATION", "name")),
        ({"name": "Go", "category": "c" * 101}, ("ValidationError", "VALIDATION", "category")),
    ],
    ids=["name-taken", "name-is-an-alias", "alias-taken", "alias-twice", "blank-name", "long-category"],
)
async def test_bad_new_skills_are_errors_and_write_nothing(gql, taxonomy, skill_input, expected):
    coordinator = await make_person()
    async with assert_unchanged():
        data = await gql(CREATE_SKILL, {"input": skill_input}, as_=coordinator, role=Role.COORDINATOR)
    assert error_of(data["createSkill"]) == expected


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_an_added_alias_is_listed_and_resolves(gql, taxonomy, role):
    curator = await make_person()
    ana = await make_person()

    data = await gql(
        ADD_ALIAS,
        {"input": {"skillId": to_base64("Skill", taxonomy["sql"].id), "alias": "Structured Query Language"}},
        as_=curator,
        role=role,
    )
    skills = await gql(SET_MY_SKILLS, {"input": {"learn": [claim("structured query language", 2)]}}, as_=ana)

    assert data["addSkillAlias"] == {
        "__typename": "AddSkillAliasPayload",
        "skill": {"name": "SQL", "aliases": ["structured query language"]},
    }
    assert skills["setMySkills"]["person"]["skills"][0]["skill"] == {"name": "SQL"}


@pytest.mark.parametrize(
    ("skill_id", "alias", "expected"),
    [
        ("unknown", "Anything", ("NotFoundError", "NOT_FOUND", "skillId")),
        ("person", "Anything", ("ValidationError", "VALIDATION", "skillId")),
        ("sql", "PY", ("ConflictError", "CONFLICT", "alias")),
        ("sql", "javascript", ("ConflictError", "CONFLICT", "alias")),
        ("sql", "", ("ValidationError", "VALIDATION", "alias")),
    ],
    ids=["unknown-skill", "not-a-skill-id", "alias-taken", "alias-is-a-skill", "blank-alias"],
)
async def test_bad_aliases_are_errors_and_write_nothing(gql, taxonomy, skill_id, alias, expected):
    admin = await make_person()
    ids = {
        "unknown": to_base64("Skill", max(skill.id for skill in taxonomy.values()) + 1),
        "person": to_base64("Person", admin.id),
        "sql": to_base64("Skill", taxonomy["sql"].id),
    }
    async with assert_unchanged():
        data = await gql(ADD_ALIAS, {"input": {"skillId": ids[skill_id], "alias": alias}}, as_=admin, role=Role.ADMIN)
    assert error_of(data["addSkillAlias"]) == expected
    assert await Skill.all().count() == len(taxonomy)
