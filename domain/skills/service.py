"""Use cases for skills: what a person teaches and wants to learn, and curating the taxonomy."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.access import Role, Viewer
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.people.models import Person
from domain.people.validation import valid_name, valid_optional_text
from domain.skills.models import PersonSkill, Skill, SkillAlias, SkillDirection
from domain.skills.taxonomy import resolve_skills, slugify

MIN_PROFICIENCY, MAX_PROFICIENCY = 1, 5
NAME_LENGTH = 100
CURATORS = (Role.COORDINATOR, Role.ADMIN)


class SkillClaim(NamedTuple):
    """A skill as a person typed it (name or alias) with their self-rated proficiency."""

    skill: str
    proficiency: int


async def _resolved_claims(claims: Sequence[SkillClaim], *, field: str) -> list[tuple[Skill, int]]:
    for index, claim in enumerate(claims):
        if not MIN_PROFICIENCY <= claim.proficiency <= MAX_PROFICIENCY:
            raise ValidationFailed(
                f"Proficiency runs from {MIN_PROFICIENCY} (beginner) to {MAX_PROFICIENCY} (expert).",
                field=f"{field}[{index}].proficiency",
            )
    try:
        by_name = await resolve_skills([claim.skill for claim in claims], field=field)
    except ValidationFailed as error:
        # The taxonomy names the list item; the client's input names the item's `skill`.
        raise ValidationFailed(error.message, field=f"{error.field}.skill") from None
    seen: set[int] = set()
    resolved = []
    for index, claim in enumerate(claims):
        skill = by_name[claim.skill]
        if skill.id in seen:
            raise ValidationFailed(f"{skill.name} is in this list twice.", field=f"{field}[{index}].skill")
        seen.add(skill.id)
        resolved.append((skill, claim.proficiency))
    return resolved


async def set_skills(
    viewer: Viewer, *, teach: Sequence[SkillClaim] | None = None, learn: Sequence[SkillClaim] | None = None
) -> Person:
    """Replaces the viewer's teach and/or learn list in one transaction; a list left as None stays as it is."""
    person_id = viewer.require_person()
    lists = {SkillDirection.TEACH: teach, SkillDirection.LEARN: learn}
    resolved = {
        direction: await _resolved_claims(claims, field=direction.value.lower())
        for direction, claims in lists.items()
        if claims is not None
    }
    async with in_transaction():
        # Locking the person serialises two concurrent replacements of one list (a no-op on SQLite).
        person = await Person.select_for_update().get(id=person_id)
        for direction, claims in resolved.items():
            await PersonSkill.filter(person_id=person_id, direction=direction).delete()
            await PersonSkill.bulk_create(
                [
                    PersonSkill(person_id=person_id, skill=skill, direction=direction, proficiency=proficiency)
                    for skill, proficiency in claims
                ]
            )
    return person


async def _taken_slugs(slugs: Sequence[str]) -> set[str]:
    """The slugs among `slugs` that already name a skill or an alias."""
    skills = await Skill.filter(slug__in=list(slugs)).values_list("slug", flat=True)
    aliases = await SkillAlias.filter(slug__in=list(slugs)).values_list("slug", flat=True)
    return {*skills, *aliases}


def _valid_alias(alias: str, *, field: str) -> str:
    return slugify(valid_name(alias, field=field, max_length=NAME_LENGTH))


async def create_skill(viewer: Viewer, *, name: str, category: str | None = None, aliases: Sequence[str] = ()) -> Skill:
    """Adds a skill to the taxonomy (coordinators and admins); no name or alias may already resolve elsewhere."""
    viewer.require_role(*CURATORS)
    name = valid_name(name, max_length=NAME_LENGTH)
    category = valid_optional_text(category, field="category", max_length=NAME_LENGTH)
    slug = slugify(name)
    alias_slugs = [_valid_alias(alias, field=f"aliases[{index}]") for index, alias in enumerate(aliases)]
    taken = await _taken_slugs([slug, *alias_slugs])
    if slug in taken:
        raise Conflict(f"{name!r} already names a skill or alias in the taxonomy.", field="name")
    claimed = {slug}
    for index, alias_slug in enumerate(alias_slugs):
        if alias_slug in taken or alias_slug in claimed:
            raise Conflict(f"{aliases[index]!r} already names a skill or alias.", field=f"aliases[{index}]")
        claimed.add(alias_slug)
    try:
        async with in_transaction():
            skill = await Skill.create(name=name, slug=slug, category=category)
            await SkillAlias.bulk_create([SkillAlias(skill=skill, slug=alias_slug) for alias_slug in alias_slugs])
    except IntegrityError:
        # Someone created the same name between our check and our insert.
        raise Conflict(f"{name!r} already names a skill or alias in the taxonomy.", field="name") from None
    return skill


async def add_skill_alias(viewer: Viewer, *, skill_id: int, alias: str) -> Skill:
    """Teaches the taxonomy another name for a skill (coordinators and admins)."""
    viewer.require_role(*CURATORS)
    skill = await Skill.get_or_none(id=skill_id)
    if skill is None:
        raise NotFound("No skill has this ID.", field="skill_id")
    alias_slug = _valid_alias(alias, field="alias")
    if await _taken_slugs([alias_slug]):
        raise Conflict(f"{alias!r} already names a skill or alias.", field="alias")
    try:
        async with in_transaction():
            await SkillAlias.create(skill=skill, slug=alias_slug)
    except IntegrityError:
        raise Conflict(f"{alias!r} already names a skill or alias.", field="alias") from None
    return skill
