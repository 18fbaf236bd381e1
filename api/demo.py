"""A small demo organisation for `make run`: people on three continents, a skill taxonomy, two programs.

Idempotent: everything is looked up by its natural key first, so a second run writes nothing.
"""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from api.demo_relationships import seed_active_pair, seed_reverse_pair
from domain.people.models import MeetingFormat, Person, WorkingHours
from domain.programs.models import (
    Cadence,
    CrossDepartmentPolicy,
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    Program,
    ProgramCoordinator,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
)
from domain.skills.models import PersonSkill, Skill, SkillAlias, SkillDirection
from domain.skills.taxonomy import slugify

DEMO_COORDINATOR = "coordinator@demo.mentorgraph.dev"
DEMO_MENTEE = "mentee@demo.mentorgraph.dev"

SKILLS = {
    # name: (category, aliases)
    "Python": ("Engineering", ["py"]),
    "Generative AI": ("Technology", ["genai", "llms"]),
    "Stakeholder management": ("Leadership", ["stakeholders"]),
    "Public speaking": ("Communication", ["presenting"]),
    "Product discovery": ("Product", []),
    "Data analysis": ("Data", ["analytics"]),
    "Figma": ("Design", []),
    "Financial modelling": ("Finance", ["financial modeling"]),
    "People management": ("Leadership", ["managing people"]),
}

# email, name, department, title, level, manager, zone, teaches, learns
PEOPLE = [
    (
        "vp.eng@demo.mentorgraph.dev",
        "Grace Okafor",
        "Engineering",
        "VP Engineering",
        9,
        None,
        "America/New_York",
        {"People management": 5, "Stakeholder management": 5},
        {"Generative AI": 1},
    ),
    (
        DEMO_COORDINATOR,
        "Carmen Ruiz",
        "People",
        "Mentoring Program Lead",
        6,
        None,
        "Europe/London",
        {"Public speaking": 4},
        {},
    ),
    (
        "ana@demo.mentorgraph.dev",
        "Ana Lima",
        "Engineering",
        "Staff Engineer",
        7,
        "vp.eng@demo.mentorgraph.dev",
        "Europe/London",
        {"Python": 5, "Stakeholder management": 3},
        {"Financial modelling": 2},
    ),
    (
        "ben@demo.mentorgraph.dev",
        "Ben Tan",
        "Data",
        "Data Scientist",
        3,
        None,
        "Asia/Singapore",
        {"Generative AI": 4, "Data analysis": 4},
        {"Stakeholder management": 1},
    ),
    (
        DEMO_MENTEE,
        "Maya Chen",
        "Product",
        "Associate Product Manager",
        2,
        None,
        "America/New_York",
        {"Figma": 3},
        {"Product discovery": 2, "Public speaking": 1},
    ),
    (
        "li@demo.mentorgraph.dev",
        "Li Wei",
        "Finance",
        "Finance Manager",
        6,
        None,
        "Asia/Singapore",
        {"Financial modelling": 5},
        {"Python": 1},
    ),
    (
        "sam@demo.mentorgraph.dev",
        "Sam Patel",
        "Engineering",
        "Software Engineer",
        3,
        "ana@demo.mentorgraph.dev",
        "Europe/London",
        {"Python": 3},
        {"People management": 1},
    ),
    (
        "olivia@demo.mentorgraph.dev",
        "Olivia Brown",
        "Product",
        "Director of Product",
        8,
        None,
        "America/New_York",
        {"Product discovery": 5, "Stakeholder management": 4},
        {"Data analysis": 2},
    ),
]

PROGRAMS = [
    dict(
        name="Leadership mentoring 2027",
        kind=ProgramKind.ONE_ON_ONE,
        tier=ProgramTier.FORMAL,
        status=ProgramStatus.ACTIVE,
        cadence=Cadence.BIWEEKLY,
        meeting_minutes=45,
        duration_months=9,
        cross_department=CrossDepartmentPolicy.REQUIRED,
        mentor_training_required=True,
        description="Tier-1 mentoring for new managers and high-potential staff.",
    ),
    dict(
        name="AI reverse mentoring",
        kind=ProgramKind.REVERSE,
        tier=ProgramTier.SELF_SERVICE,
        status=ProgramStatus.RECRUITING,
        cadence=Cadence.MONTHLY,
        meeting_minutes=60,
        duration_months=6,
        cross_department=CrossDepartmentPolicy.PREFERRED,
        max_time_zone_gap_hours=9,
        description="Junior staff teach generative AI; senior leaders teach stakeholder management.",
    ),
]

ENROLLMENTS = [
    # program, email, role, capacity, status
    (
        "Leadership mentoring 2027",
        "olivia@demo.mentorgraph.dev",
        EnrollmentRole.MENTOR,
        2,
        EnrollmentStatus.APPROVED,
    ),
    (
        "Leadership mentoring 2027",
        "ana@demo.mentorgraph.dev",
        EnrollmentRole.MENTOR,
        1,
        EnrollmentStatus.APPROVED,
    ),
    ("Leadership mentoring 2027", DEMO_MENTEE, EnrollmentRole.MENTEE, None, EnrollmentStatus.APPROVED),
    (
        "Leadership mentoring 2027",
        "sam@demo.mentorgraph.dev",
        EnrollmentRole.MENTEE,
        None,
        EnrollmentStatus.APPLIED,
    ),
    ("AI reverse mentoring", "ben@demo.mentorgraph.dev", EnrollmentRole.MENTOR, 2, EnrollmentStatus.APPROVED),
    (
        "AI reverse mentoring",
        "vp.eng@demo.mentorgraph.dev",
        EnrollmentRole.MENTEE,
        None,
        EnrollmentStatus.APPROVED,
    ),
]

NINE_TO_FIVE = (9 * 60, 17 * 60)


async def seed_demo() -> str:
    created = 0
    async with in_transaction():
        skills: dict[str, Skill] = {}
        for name, (category, aliases) in SKILLS.items():
            skill, made = await Skill.get_or_create(slug=slugify(name), defaults={"name": name, "category": category})
            created += made
            skills[name] = skill
            for alias in aliases:
                _, made = await SkillAlias.get_or_create(slug=slugify(alias), defaults={"skill": skill})
                created += made

        people: dict[str, Person] = {}
        for email, name, department, title, level, _, zone, teaches, learns in PEOPLE:
            person, made = await Person.get_or_create(
                email=email,
                defaults=dict(
                    name=name,
                    department=department,
                    job_title=title,
                    level=level,
                    time_zone=zone,
                    languages=["en"],
                    meeting_formats=[MeetingFormat.VIDEO.value, MeetingFormat.AUDIO.value],
                ),
            )
            people[email] = person
            if not made:
                continue
            created += 1
            for weekday in range(5):
                await WorkingHours.create(
                    person=person, weekday=weekday, start_minute=NINE_TO_FIVE[0], end_minute=NINE_TO_FIVE[1]
                )
            for direction, levels in ((SkillDirection.TEACH, teaches), (SkillDirection.LEARN, learns)):
                for skill_name, proficiency in levels.items():
                    await PersonSkill.create(
                        person=person, skill=skills[skill_name], direction=direction, proficiency=proficiency
                    )
        for email, *_, manager_email, _zone, _t, _l in PEOPLE:
            person = people[email]
            if manager_email and person.manager_id is None:
                person.manager = people[manager_email]
                await person.save(update_fields=["manager_id"])
                created += 1

        programs: dict[str, Program] = {}
        for spec in PROGRAMS:
            program, made = await Program.get_or_create(name=spec["name"], defaults=spec)
            programs[spec["name"]] = program
            if made:
                created += 1
                await ProgramCoordinator.create(program=program, person=people[DEMO_COORDINATOR])
        for program_name, email, role, capacity, status in ENROLLMENTS:
            _, made = await Enrollment.get_or_create(
                person=people[email],
                program=programs[program_name],
                defaults=dict(
                    role=role,
                    capacity=capacity,
                    status=status,
                    mentor_training_completed_on=datetime.date(2026, 10, 1) if role is EnrollmentRole.MENTOR else None,
                ),
            )
            created += made

    coordinator = people[DEMO_COORDINATOR]
    pairs = await seed_active_pair(
        programs["Leadership mentoring 2027"], coordinator, people["olivia@demo.mentorgraph.dev"], people[DEMO_MENTEE]
    )
    pairs += await seed_reverse_pair(
        programs["AI reverse mentoring"],
        coordinator,
        people["ben@demo.mentorgraph.dev"],
        people["vp.eng@demo.mentorgraph.dev"],
    )
    return (
        f"demo organisation ready: {len(people)} people, {len(programs)} programs, "
        f"{created} rows written, {pairs} relationships started"
    )
