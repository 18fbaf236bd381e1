"""A seeded synthetic organisation for benchmarks: sizes in, plain rows out, and a helper that writes it.

`generate(OrgSpec(...))` returns an `Organisation` of plain dataclasses (no database); `pair_cohort`
turns it into the matching engine's mentors and mentees; `write_organisation` and `write_pair_program`
store it through the ORM on whichever engine is open (SQLite or PostgreSQL).

The shape follows a real company: ~20 departments each with a reporting tree, levels 1-10, offices
in ~28 IANA zones clustered in the Americas, EMEA and APAC, a ~300-skill taxonomy whose popularity
follows a Zipf law, 2-6 skills taught and 1-4 wanted per person, languages, meeting formats and
optional self-reported demographics.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.matching.profiles import Mentor, Profile
from domain.matching.working_week import local_hours, reference_week, utc_offset_minutes, week_mask

REGIONS: dict[str, list[str]] = {
    "AMERICAS": [
        "America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Toronto",
        "America/Mexico_City", "America/Sao_Paulo", "America/Bogota", "America/Vancouver", "America/Halifax",
    ],
    "EMEA": [
        "Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Paris", "Europe/Berlin", "Europe/Madrid",
        "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens", "Africa/Johannesburg", "Asia/Dubai",
    ],
    "APAC": ["Asia/Kolkata", "Asia/Singapore", "Asia/Tokyo", "Australia/Sydney", "Pacific/Auckland", "Asia/Shanghai",
             "Asia/Seoul"],
}  # fmt: skip
REGION_SHARE = {"AMERICAS": 0.45, "EMEA": 0.35, "APAC": 0.20}
DEPARTMENTS = [
    "Engineering", "Product", "Design", "Data", "Marketing", "Sales", "Customer Success", "Finance", "Legal",
    "People", "Operations", "Security", "Infrastructure", "Research", "Support", "Partnerships", "Procurement",
    "Communications", "Strategy", "Quality",
]  # fmt: skip
SKILL_CATEGORIES = ["Technical", "Leadership", "Communication", "Domain", "Craft", "Business"]
LANGUAGES = ["en", "es", "pt", "fr", "de", "ja", "zh", "hi", "ko", "pl", "sv", "ar"]
REGION_LANGUAGES = {
    "AMERICAS": ["es", "pt", "fr"],
    "EMEA": ["fr", "de", "es", "pl", "sv", "ar"],
    "APAC": ["ja", "zh", "hi", "ko"],
}
FORMATS = ["VIDEO", "AUDIO", "IN_PERSON", "ASYNC"]
SHIFTS = [(9 * 60, 17 * 60), (8 * 60, 16 * 60), (10 * 60, 18 * 60), (9 * 60, 17 * 60 + 30), (7 * 60, 15 * 60)]
GENDERS = ["WOMAN", "MAN", "NON_BINARY", "PREFER_NOT_TO_SAY", None]
AGE_BANDS = ["UNDER_25", "FROM_25_TO_34", "FROM_35_TO_44", "FROM_45_TO_54", "FROM_55_TO_64", None]
ETHNICITIES = ["Group A", "Group B", "Group C", "Group D", None]


@dataclass(frozen=True)
class OrgSpec:
    people: int = 12_500
    skills: int = 300
    departments: int = 20
    zipf: float = 0.75  # skill popularity: the k-th skill is chosen in proportion to 1 / k**zipf
    seed: int = 7


@dataclass(frozen=True)
class OrgSkill:
    id: int
    name: str
    category: str


@dataclass
class OrgPerson:
    id: int
    email: str
    name: str
    department: str
    level: int
    manager_id: int | None
    time_zone: str
    region: str
    languages: list[str]
    formats: list[str]
    hours: list[tuple[int, int, int]]  # (weekday, start minute, end minute), local
    teaches: dict[int, int] = field(default_factory=dict)  # skill id -> proficiency
    learns: dict[int, int] = field(default_factory=dict)
    demographics: dict[str, str | None] = field(default_factory=dict)


@dataclass
class Organisation:
    spec: OrgSpec
    skills: list[OrgSkill]
    people: list[OrgPerson]


def _weighted_sample(rng: random.Random, population: list[int], weights: list[float], k: int) -> list[int]:
    chosen: set[int] = set()
    while len(chosen) < k:
        chosen.update(rng.choices(population, weights=weights, k=k - len(chosen)))
    return sorted(chosen)


def generate(spec: OrgSpec = OrgSpec()) -> Organisation:
    """The same organisation for the same spec, every time."""
    rng = random.Random(spec.seed)
    skills = [
        OrgSkill(k + 1, f"Skill {k + 1:03d}", SKILL_CATEGORIES[k % len(SKILL_CATEGORIES)]) for k in range(spec.skills)
    ]
    skill_ids = [skill.id for skill in skills]
    popularity = [1 / (rank + 1) ** spec.zipf for rank in range(spec.skills)]
    departments = DEPARTMENTS[: spec.departments]
    people: list[OrgPerson] = []
    # Each department is a reporting tree: a head at level 10, managers above their reports.
    by_department: dict[str, list[OrgPerson]] = {name: [] for name in departments}
    for index in range(spec.people):
        department = departments[index % len(departments)] if index < len(departments) else rng.choice(departments)
        tree = by_department[department]
        manager = rng.choice(tree[: max(1, len(tree) // 4)]) if tree else None
        level = 10 if manager is None else max(1, min(manager.level - 1, rng.choice(range(1, 10))))
        region = rng.choices(list(REGION_SHARE), weights=list(REGION_SHARE.values()))[0]
        start, end = rng.choice(SHIFTS)
        workdays = range(5) if rng.random() > 0.1 else range(4)
        person = OrgPerson(
            id=index + 1,
            email=f"person{index + 1}@org.example",
            name=f"Person {index + 1}",
            department=department,
            level=level,
            manager_id=manager.id if manager else None,
            time_zone=rng.choice(REGIONS[region]),
            region=region,
            languages=sorted({"en", *rng.sample(REGION_LANGUAGES[region], rng.randint(0, 1))}),
            formats=sorted(rng.sample(FORMATS, rng.randint(1, 3))),
            hours=[(day, start, end) for day in workdays],
            demographics={
                "gender": rng.choice(GENDERS),
                "age_band": rng.choice(AGE_BANDS),
                "ethnicity": rng.choice(ETHNICITIES),
            },
        )
        taught = _weighted_sample(rng, skill_ids, popularity, rng.randint(2, 6))
        person.teaches = {skill: rng.randint(3, 5) for skill in taught}
        wanted = [s for s in _weighted_sample(rng, skill_ids, popularity, rng.randint(1, 4)) if s not in person.teaches]
        person.learns = {skill: rng.randint(1, 3) for skill in wanted}
        tree.append(person)
        people.append(person)
    return Organisation(spec=spec, skills=skills, people=people)


def profile(person: OrgPerson, *, on: date) -> Profile:
    """The matching engine's view of a person (their demographics stay behind)."""
    monday = reference_week(on)
    return Profile(
        person_id=person.id,
        department=person.department,
        level=person.level,
        manager_id=person.manager_id,
        utc_offset_minutes=utc_offset_minutes(person.time_zone, datetime(on.year, on.month, on.day, 12)),
        week=week_mask(person.time_zone, local_hours(person.hours), monday),
        languages=frozenset(person.languages),
        formats=frozenset(person.formats),
        teaches=person.teaches,
        learns=person.learns,
    )


def pair_cohort(
    org: Organisation, *, mentors: int, mentees: int, on: date = date(2026, 3, 2), seed: int = 11
) -> tuple[list[Mentor], list[Profile], list[OrgPerson], list[OrgPerson]]:
    """The most senior `mentors` people (capacities 1-4) and `mentees` others, as matching input and rows."""
    rng = random.Random(seed)
    ranked = sorted(org.people, key=lambda person: (-person.level, rng.random()))
    mentor_rows, mentee_rows = ranked[:mentors], ranked[mentors : mentors + mentees]
    mentor_input = [Mentor(profile(person, on=on), capacity=rng.randint(1, 4)) for person in mentor_rows]
    return mentor_input, [profile(person, on=on) for person in mentee_rows], mentor_rows, mentee_rows


async def write_organisation(org: Organisation) -> dict[str, int]:
    """Stores skills, people (with managers), working hours, skills and demographics; returns rows per table."""
    from domain.people.models import Demographics, Person, WorkingHours
    from domain.skills.models import PersonSkill, Skill, SkillDirection

    await Skill.bulk_create(
        [Skill(id=s.id, name=s.name, slug=s.name.lower(), category=s.category) for s in org.skills], batch_size=1000
    )
    await Person.bulk_create(
        [
            Person(
                id=p.id, email=p.email, name=p.name, department=p.department, level=p.level, time_zone=p.time_zone,
                languages=p.languages, meeting_formats=p.formats,
            )
            for p in org.people
        ],
        batch_size=1000,
    )  # fmt: skip
    managed = [Person(id=p.id, manager_id=p.manager_id) for p in org.people if p.manager_id is not None]
    await Person.bulk_update(managed, fields=["manager_id"], batch_size=1000)
    hours = [
        WorkingHours(person_id=p.id, weekday=d, start_minute=s, end_minute=e) for p in org.people for d, s, e in p.hours
    ]
    await WorkingHours.bulk_create(hours, batch_size=2000)
    skills = [
        PersonSkill(person_id=p.id, skill_id=skill, direction=direction, proficiency=level)
        for p in org.people
        for direction, held in ((SkillDirection.TEACH, p.teaches), (SkillDirection.LEARN, p.learns))
        for skill, level in held.items()
    ]
    await PersonSkill.bulk_create(skills, batch_size=2000)
    demographics = [
        Demographics(person_id=p.id, gender=p.demographics["gender"], age_band=p.demographics["age_band"],
                     ethnicity=p.demographics["ethnicity"])
        for p in org.people
    ]  # fmt: skip
    await Demographics.bulk_create(demographics, batch_size=2000)
    return {"skill": len(org.skills), "person": len(org.people), "working_hours": len(hours),
            "person_skill": len(skills), "demographics": len(demographics)}  # fmt: skip


async def write_pair_program(
    *, name: str, kind: str, mentors: list[tuple[int, int]], mentees: list[int], status: str = "MATCHING"
) -> int:
    """A tier-1 program with APPROVED enrollments: mentors as (person id, capacity), mentees as ids."""
    from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, Program, ProgramKind, ProgramStatus

    program = await Program.create(name=name, kind=ProgramKind(kind), tier=1, status=ProgramStatus(status))
    rows = [
        Enrollment(person_id=person_id, program_id=program.id, role=EnrollmentRole.MENTOR, capacity=capacity,
                   status=EnrollmentStatus.APPROVED)
        for person_id, capacity in mentors
    ] + [
        Enrollment(person_id=person_id, program_id=program.id, role=EnrollmentRole.MENTEE,
                   status=EnrollmentStatus.APPROVED)
        for person_id in mentees
    ]  # fmt: skip
    await Enrollment.bulk_create(rows, batch_size=2000)
    return program.id


# Generations follow the self-reported age band; people who gave none give no generation either.
GENERATION_OF_AGE_BAND = {
    "UNDER_25": "GEN_Z",
    "FROM_25_TO_34": "MILLENNIAL",
    "FROM_35_TO_44": "MILLENNIAL",
    "FROM_45_TO_54": "GEN_X",
    "FROM_55_TO_64": "BABY_BOOMER",
}


@dataclass(frozen=True)
class OrgRelationship:
    id: int
    mentor_id: int
    mentee_id: int
    kind: str
    started_at: datetime
    # (start, minutes, held) of each meeting so far
    meetings: list[tuple[datetime, int, bool]]


def mentoring_history(
    org: Organisation, *, relationships: int, start: datetime, seed: int = 11
) -> list[OrgRelationship]:
    """Mentor-mentee pairs (senior mentors, a tenth of them reverse), each with monthly meetings since its start."""
    from datetime import timedelta

    rng = random.Random(seed)
    people = org.people
    history = []
    for number in range(1, relationships + 1):
        first, second = rng.sample(people, 2)
        reverse = rng.random() < 0.1
        mentor, mentee = sorted((first, second), key=lambda p: p.level, reverse=not reverse)
        started = start + timedelta(days=rng.randint(0, 150), hours=rng.randint(0, 23))
        meetings = [
            (started + timedelta(days=7 + 30 * k), rng.choice((30, 45, 60)), rng.random() > 0.15)
            for k in range(rng.randint(0, 5))
        ]
        history.append(
            OrgRelationship(number, mentor.id, mentee.id, "REVERSE" if reverse else "ONE_ON_ONE", started, meetings)
        )
    return history


async def write_mentoring_history(org: Organisation, history: list[OrgRelationship], *, program_id: int) -> None:
    """Stores the relationships of one program with their members and meetings, and everyone's generation."""
    from domain.meetings.models import Meeting, MeetingStatus
    from domain.people.models import Demographics
    from domain.relationships.models import MemberRole, Relationship, RelationshipMember

    for person in org.people:
        generation = GENERATION_OF_AGE_BAND.get(person.demographics.get("age_band"))
        person.demographics["generation"] = generation
    by_generation: dict[str, list[int]] = {}
    for person in org.people:
        if person.demographics["generation"]:
            by_generation.setdefault(person.demographics["generation"], []).append(person.id)
    for generation, ids in by_generation.items():
        await Demographics.filter(person_id__in=ids).update(generation=generation)
    await Relationship.bulk_create(
        [
            Relationship(id=r.id, program_id=program_id, kind=r.kind, status="ACTIVE", origin="MATCHING",
                         started_at=r.started_at, last_activity_at=r.started_at)
            for r in history
        ],
        batch_size=1000,
    )  # fmt: skip
    await RelationshipMember.bulk_create(
        [
            RelationshipMember(relationship_id=r.id, person_id=person_id, role=role)
            for r in history
            for person_id, role in ((r.mentor_id, MemberRole.MENTOR), (r.mentee_id, MemberRole.MENTEE))
        ],
        batch_size=2000,
    )
    from datetime import timedelta

    await Meeting.bulk_create(
        [
            Meeting(relationship_id=r.id, organizer_id=r.mentor_id, starts_at=at, ends_at=at + timedelta(minutes=m),
                    format="VIDEO", title="Catch-up", status=MeetingStatus.HELD if held else MeetingStatus.MISSED)
            for r in history
            for at, m, held in r.meetings
        ],
        batch_size=2000,
    )  # fmt: skip
