"""The skills services called directly: a person's teach/learn lists and curating the taxonomy."""

from __future__ import annotations

import pytest

from domain.access import Role, Viewer
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.skills import service
from domain.skills.models import PersonSkill, SkillAlias, SkillDirection
from domain.skills.service import SkillClaim
from tests.factories import make_person, make_skill
from tests.support import assert_unchanged

TEACH, LEARN = SkillDirection.TEACH, SkillDirection.LEARN


def viewer_of(person, role: Role = Role.PARTICIPANT) -> Viewer:
    return Viewer(email=person.email, role=role, person_id=person.id)


async def held(person) -> set[tuple[str, str, int]]:
    rows = await PersonSkill.filter(person=person).prefetch_related("skill")
    return {(row.direction.value, row.skill.name, row.proficiency) for row in rows}


@pytest.fixture
async def taxonomy(db):
    return {
        "python": await make_skill("Python", "py"),
        "js": await make_skill("JavaScript", "JS", "ecmascript"),
        "sql": await make_skill("SQL"),
    }


async def test_set_skills_resolves_aliases_and_replaces_both_lists(taxonomy):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=TEACH, proficiency=2)

    await service.set_skills(
        viewer_of(ana),
        teach=[SkillClaim("  PY ", 5), SkillClaim("javascript", 3)],
        learn=[SkillClaim("  ECMAScript ", 1), SkillClaim("sql", 2)],
    )

    assert await held(ana) == {
        ("TEACH", "Python", 5),
        ("TEACH", "JavaScript", 3),
        ("LEARN", "JavaScript", 1),
        ("LEARN", "SQL", 2),
    }


async def test_a_list_left_out_is_kept_and_an_empty_list_clears(taxonomy):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=TEACH, proficiency=4)
    await PersonSkill.create(person=ana, skill=taxonomy["python"], direction=LEARN, proficiency=1)

    await service.set_skills(viewer_of(ana), learn=[])

    assert await held(ana) == {("TEACH", "SQL", 4)}


@pytest.mark.parametrize(
    ("teach", "learn", "field"),
    [
        ([SkillClaim("Cobol", 3)], None, "teach[0].skill"),
        ([SkillClaim("Python", 3), SkillClaim("SQL", 6)], None, "teach[1].proficiency"),
        ([SkillClaim("Python", 0)], None, "teach[0].proficiency"),
        (
            [SkillClaim("Python", 3)],
            [SkillClaim("SQL", 2), SkillClaim("js", 2), SkillClaim("JavaScript", 4)],
            "learn[2].skill",
        ),
        ([SkillClaim("Python", 3)], [SkillClaim("SQL", 2), SkillClaim("Rust", 2)], "learn[1].skill"),
    ],
    ids=["unknown-skill", "proficiency-too-high", "proficiency-too-low", "same-skill-twice-via-alias", "unknown-learn"],
)
async def test_bad_skill_lists_write_nothing(taxonomy, teach, learn, field):
    ana = await make_person()
    await PersonSkill.create(person=ana, skill=taxonomy["sql"], direction=TEACH, proficiency=4)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as raised:
            await service.set_skills(viewer_of(ana), teach=teach, learn=learn)
    assert raised.value.field == field


async def test_set_skills_needs_a_profile(taxonomy):
    with pytest.raises(PermissionDenied):
        await service.set_skills(Viewer(email="x@example.com", role=Role.ADMIN), teach=[])


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
async def test_curators_create_skills_with_aliases(db, role):
    curator = await make_person()

    skill = await service.create_skill(
        viewer_of(curator, role), name="  Machine   Learning ", category="Data", aliases=["ML", "machine-learning"]
    )

    assert (skill.name, skill.slug, skill.category) == ("Machine Learning", "machine learning", "Data")
    assert sorted(await SkillAlias.filter(skill=skill).values_list("slug", flat=True)) == ["machine-learning", "ml"]


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ANALYST])
async def test_others_may_not_curate_the_taxonomy(taxonomy, role):
    someone = await make_person()
    async with assert_unchanged():
        with pytest.raises(PermissionDenied):
            await service.create_skill(viewer_of(someone, role), name="Go")
        with pytest.raises(PermissionDenied):
            await service.add_skill_alias(viewer_of(someone, role), skill_id=taxonomy["sql"].id, alias="Structured")


@pytest.mark.parametrize(
    ("name", "aliases", "error", "field"),
    [
        ("python", [], Conflict, "name"),
        ("ECMAScript", [], Conflict, "name"),
        ("Golang", ["go", "JS"], Conflict, "aliases[1]"),
        ("Golang", ["golang"], Conflict, "aliases[0]"),
        ("Golang", ["go", "Go "], Conflict, "aliases[1]"),
        ("  ", [], ValidationFailed, "name"),
        ("Golang", [""], ValidationFailed, "aliases[0]"),
        ("x" * 101, [], ValidationFailed, "name"),
    ],
    ids=[
        "name-taken",
        "name-is-alias",
        "alias-taken",
        "alias-is-own-name",
        "alias-twice",
        "blank",
        "blank-alias",
        "long",
    ],
)
async def test_bad_new_skills_write_nothing(taxonomy, name, aliases, error, field):
    admin = await make_person()
    async with assert_unchanged():
        with pytest.raises(error) as raised:
            await service.create_skill(viewer_of(admin, Role.ADMIN), name=name, aliases=aliases)
    assert raised.value.field == field


async def test_an_added_alias_resolves_to_its_skill(taxonomy):
    coordinator, ana = await make_person(), await make_person()

    skill = await service.add_skill_alias(
        viewer_of(coordinator, Role.COORDINATOR), skill_id=taxonomy["sql"].id, alias="Postgres SQL"
    )
    await service.set_skills(viewer_of(ana), teach=[SkillClaim("postgres sql", 3)])

    assert skill.id == taxonomy["sql"].id
    assert await held(ana) == {("TEACH", "SQL", 3)}


@pytest.mark.parametrize(
    ("skill_key", "alias", "error", "field"),
    [
        (None, "Anything", NotFound, "skill_id"),
        ("sql", "python", Conflict, "alias"),
        ("sql", "Py", Conflict, "alias"),
        ("sql", " ", ValidationFailed, "alias"),
    ],
    ids=["unknown-skill", "alias-is-a-skill", "alias-is-an-alias", "blank"],
)
async def test_bad_aliases_write_nothing(taxonomy, skill_key, alias, error, field):
    coordinator = await make_person()
    skill_id = taxonomy[skill_key].id if skill_key else max(s.id for s in taxonomy.values()) + 1
    async with assert_unchanged():
        with pytest.raises(error) as raised:
            await service.add_skill_alias(viewer_of(coordinator, Role.COORDINATOR), skill_id=skill_id, alias=alias)
    assert raised.value.field == field
