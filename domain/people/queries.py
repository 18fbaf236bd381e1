"""Read queries over people, returned as querysets so the caller pages them."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from domain.people.models import Person
from domain.skills.models import PersonSkill, SkillDirection
from domain.skills.taxonomy import slugify


def search_people(
    *,
    text: str | None = None,
    department: str | None = None,
    time_zone: str | None = None,
    is_active: bool | None = True,
    skill: str | None = None,
    skill_direction: SkillDirection | None = None,
) -> QuerySet[Person]:
    query = Person.all()
    if text:
        query = query.filter(Q(name__icontains=text) | Q(email__icontains=text) | Q(job_title__icontains=text))
    if department:
        query = query.filter(department__iexact=department)
    if time_zone:
        query = query.filter(time_zone=time_zone)
    if is_active is not None:
        query = query.filter(is_active=is_active)
    if skill:
        holders = PersonSkill.filter(Q(skill__slug=slugify(skill)) | Q(skill__aliases__slug=slugify(skill)))
        if skill_direction is not None:
            holders = holders.filter(direction=skill_direction)
        # Tortoise takes a sub-select for `__in` only wrapped in Subquery (a bare values_list is not iterable).
        query = query.filter(id__in=Subquery(holders.values("person_id")))
    return query
