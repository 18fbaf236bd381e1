"""Reads a program's cohort from the database into the matching engine's plain profiles."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from domain.matching.models import MatchBlock
from domain.matching.profiles import Mentor, Profile, Rules
from domain.matching.working_week import local_hours, reference_week, utc_offset_minutes, week_mask
from domain.people.models import Person, WorkingHours
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentTopic, Program, TopicDirection
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import MatchExclusion, MemberRole, RelationshipMember
from domain.relationships.rules import ELIGIBLE_ENROLLMENT
from domain.skills.models import PersonSkill, SkillDirection

DEFAULT_CAPACITY = 1  # a mentor who named no capacity takes one mentee


@dataclass
class CohortInputs:
    mentors: list[Mentor]
    mentees: list[Profile]
    rules: Rules
    reference_monday: datetime.date
    kept: list[tuple[int, int]] = field(default_factory=list)  # (mentor, mentee) pairs carried over

    def snapshot(self) -> dict:
        """What the run matched, stored with it: who, with how many places, kept apart from whom."""
        return {
            "referenceWeek": self.reference_monday.isoformat(),
            "mentors": [
                {"personId": m.profile.person_id, "placesLeft": m.capacity, "trained": m.trained} for m in self.mentors
            ],
            "mentees": [p.person_id for p in self.mentees],
            "keptPairs": [list(pair) for pair in self.kept],
            "separatedPairs": sorted(list(pair) for pair in self.rules.separated),
            "blockedPairs": sorted(list(pair) for pair in self.rules.blocked),
            "rules": {
                "kind": self.rules.kind.value,
                "crossDepartment": self.rules.cross_department.value,
                "maxTimeZoneGapHours": self.rules.max_time_zone_gap_hours,
                "trainingRequired": self.rules.training_required,
            },
        }


async def pair_rules(program: Program) -> Rules:
    separated = await MatchExclusion.filter(program_id=program.id).values_list("person_id", "excluded_person_id")
    blocked = await MatchBlock.filter(program_id=program.id).values_list("person_id", "other_person_id")
    return Rules(
        kind=program.kind,
        cross_department=program.cross_department,
        max_time_zone_gap_hours=program.max_time_zone_gap_hours,
        training_required=program.mentor_training_required,
        separated=frozenset(tuple(pair) for pair in separated),
        blocked=frozenset(tuple(pair) for pair in blocked),
    )


async def profiles_of(person_ids: Collection[int], program_id: int, *, now: datetime.datetime) -> dict[int, Profile]:
    """Each person's profile: their reporting line, zone and week, languages, formats, skills and topics."""
    ids = list(person_ids)
    monday = reference_week(now.date())
    hours: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for person_id, weekday, start, end in await WorkingHours.filter(person_id__in=ids).values_list(
        "person_id", "weekday", "start_minute", "end_minute"
    ):
        hours[person_id].append((weekday, start, end))
    teaches: dict[int, dict[int, int]] = defaultdict(dict)
    learns: dict[int, dict[int, int]] = defaultdict(dict)
    for person_id, skill_id, direction, proficiency in await PersonSkill.filter(person_id__in=ids).values_list(
        "person_id", "skill_id", "direction", "proficiency"
    ):
        (teaches if direction == SkillDirection.TEACH else learns)[person_id][skill_id] = proficiency
    offers: dict[int, set[int]] = defaultdict(set)
    wants: dict[int, set[int]] = defaultdict(set)
    for person_id, skill_id, direction in await EnrollmentTopic.filter(
        enrollment__program_id=program_id, enrollment__person_id__in=ids
    ).values_list("enrollment__person_id", "skill_id", "direction"):
        (offers if direction == TopicDirection.OFFERED else wants)[person_id].add(skill_id)
    rows = await Person.filter(id__in=ids).values_list(
        "id", "department", "level", "manager_id", "time_zone", "languages", "meeting_formats"
    )
    return {
        person_id: Profile(
            person_id=person_id,
            department=department,
            level=level,
            manager_id=manager_id,
            utc_offset_minutes=utc_offset_minutes(zone, now),
            week=week_mask(zone, local_hours(hours[person_id]), monday),
            languages=frozenset(languages or ()),
            formats=frozenset(formats or ()),
            teaches=teaches[person_id],
            learns=learns[person_id],
            offers=frozenset(offers[person_id]),
            wants=frozenset(wants[person_id]),
        )
        for person_id, department, level, manager_id, zone, languages, formats in rows
    }


async def load_pair_cohort(
    program: Program, *, now: datetime.datetime, kept: list[tuple[int, int]] = ()
) -> CohortInputs:
    """Approved mentors with places left and mentees not yet in an open relationship here; `kept` pairs
    (locked proposals carried into this run) hold their mentor's place and take their mentee out."""
    enrollments = await Enrollment.filter(
        program_id=program.id, status__in=list(ELIGIBLE_ENROLLMENT), person__is_active=True
    ).values_list("person_id", "role", "capacity", "mentor_training_completed_on")
    open_seats = await RelationshipMember.filter(
        relationship__program_id=program.id, relationship__status__in=list(OPEN)
    ).values_list("person_id", "role")
    mentoring: dict[int, int] = defaultdict(int)
    placed: set[int] = set()
    for person_id, role in open_seats:
        if role == MemberRole.MENTOR:
            mentoring[person_id] += 1
        elif role == MemberRole.MENTEE:
            placed.add(person_id)
    for mentor_id, mentee_id in kept:
        mentoring[mentor_id] += 1
        placed.add(mentee_id)
    mentor_rows = [row for row in enrollments if row[1] == EnrollmentRole.MENTOR]
    mentee_ids = [row[0] for row in enrollments if row[1] == EnrollmentRole.MENTEE and row[0] not in placed]
    profiles = await profiles_of([row[0] for row in mentor_rows] + mentee_ids, program.id, now=now)
    mentors = [
        Mentor(
            profiles[person_id],
            capacity=(DEFAULT_CAPACITY if capacity is None else capacity) - mentoring[person_id],
            trained=trained_on is not None,
        )
        for person_id, _, capacity, trained_on in mentor_rows
        if person_id in profiles
    ]
    return CohortInputs(
        mentors=mentors,
        mentees=[profiles[person_id] for person_id in mentee_ids if person_id in profiles],
        rules=await pair_rules(program),
        reference_monday=reference_week(now.date()),
        kept=list(kept),
    )


async def load_peer_cohort(program: Program, *, now: datetime.datetime, kept: Collection[int] = ()) -> CohortInputs:
    """Approved peers not yet in an open relationship here (nor in a kept proposal), as profiles."""
    enrolled = await Enrollment.filter(
        program_id=program.id, role=EnrollmentRole.PEER, status__in=list(ELIGIBLE_ENROLLMENT), person__is_active=True
    ).values_list("person_id", flat=True)
    placed = set(
        await RelationshipMember.filter(
            relationship__program_id=program.id, relationship__status__in=list(OPEN)
        ).values_list("person_id", flat=True)
    ) | set(kept)
    ids = [person_id for person_id in enrolled if person_id not in placed]
    profiles = await profiles_of(ids, program.id, now=now)
    return CohortInputs(
        mentors=[],
        mentees=[profiles[person_id] for person_id in ids if person_id in profiles],
        rules=await pair_rules(program),
        reference_monday=reference_week(now.date()),
    )
