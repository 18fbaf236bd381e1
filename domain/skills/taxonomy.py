"""Resolving what people type ("JS", "javascript ") to one skill in the taxonomy."""

from __future__ import annotations

import re
from collections.abc import Iterable

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from domain.errors import ValidationFailed
from domain.skills.models import Skill, SkillAlias

_SPACES = re.compile(r"\s+")


def slugify(name: str) -> str:
    """The lookup key for a skill or alias: trimmed, lower case, runs of spaces folded."""
    return _SPACES.sub(" ", name.strip().lower())


async def resolve_skills(names: Iterable[str], *, field: str) -> dict[str, Skill]:
    """Maps each given name to its skill by name or alias; an unknown name is a ValidationFailed on `field[i]`."""
    names = list(names)
    slugs = {slugify(name) for name in names}
    by_slug = {skill.slug: skill for skill in await Skill.filter(slug__in=slugs)}
    missing = slugs - by_slug.keys()
    if missing:
        for alias in await SkillAlias.filter(slug__in=missing).prefetch_related("skill"):
            by_slug[alias.slug] = alias.skill
    resolved = {}
    for index, name in enumerate(names):
        skill = by_slug.get(slugify(name))
        if skill is None:
            raise ValidationFailed(f"Unknown skill {name!r}: pick one from the taxonomy.", field=f"{field}[{index}]")
        resolved[name] = skill
    return resolved


def search_skills(*, text: str | None = None, category: str | None = None) -> QuerySet[Skill]:
    query = Skill.all()
    if text:
        slug = slugify(text)
        query = query.filter(Q(slug__contains=slug) | Q(aliases__slug__contains=slug)).distinct()
    if category:
        query = query.filter(category__iexact=category)
    return query
