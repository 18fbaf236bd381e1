"""Rows for tests, with sensible defaults and a counter for unique emails."""

from __future__ import annotations

import itertools

from domain.people.models import Person, WorkingHours
from domain.programs.models import (
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Program,
    ProgramCoordinator,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
)
from domain.skills.models import Skill, SkillAlias
from domain.skills.taxonomy import slugify

_sequence = itertools.count(1)


async def make_person(**fields) -> Person:
    n = next(_sequence)
    defaults = dict(
        email=f"person{n}@example.com",
        name=f"Person {n}",
        department="Engineering",
        time_zone="Europe/London",
        level=3,
    )
    defaults.update(fields)
    if "email" in fields:
        defaults["email"] = fields["email"].lower()
    return await Person.create(**defaults)


async def make_working_week(person: Person, start_minute: int = 9 * 60, end_minute: int = 17 * 60) -> None:
    for weekday in range(5):
        await WorkingHours.create(person=person, weekday=weekday, start_minute=start_minute, end_minute=end_minute)


async def make_skill(name: str, *aliases: str, category: str | None = None) -> Skill:
    skill = await Skill.create(name=name, slug=slugify(name), category=category)
    for alias in aliases:
        await SkillAlias.create(skill=skill, slug=slugify(alias))
    return skill


async def make_program(*, coordinators: list[Person] = (), **fields) -> Program:
    n = next(_sequence)
    defaults = dict(
        name=f"Program {n}",
        kind=ProgramKind.ONE_ON_ONE,
        tier=ProgramTier.FORMAL,
        status=ProgramStatus.RECRUITING,
    )
    defaults.update(fields)
    program = await Program.create(**defaults)
    for person in coordinators:
        await ProgramCoordinator.create(program=program, person=person)
    return program


async def make_enrollment(person: Person, program: Program, **fields) -> Enrollment:
    defaults = dict(role=EnrollmentRole.MENTEE, status=EnrollmentStatus.APPLIED)
    defaults.update(fields)
    return await Enrollment.create(person=person, program=program, **defaults)
