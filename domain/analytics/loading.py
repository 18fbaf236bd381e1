"""Loading the facts analytics compute over: a handful of column-only queries, however large the program."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from enum import Enum

import ciso8601
from tortoise import connections
from tortoise.queryset import QuerySet, ValuesListQuery

from domain.agreements.models import Agreement, AgreementVersion
from domain.analytics.facts import (
    EnrollmentFacts,
    GoalFacts,
    MeetingFacts,
    PersonFacts,
    ProgramFacts,
    PulseFacts,
    RelationshipFacts,
)
from domain.analytics.models import LevelChange, RecognitionSharing
from domain.analytics.period import Period
from domain.feedback.models import SurveyAnswer
from domain.goals.models import Goal
from domain.meetings.health import CADENCE_DAYS
from domain.meetings.models import Meeting, MeetingStatus
from domain.people.models import Demographics, Person
from domain.programs.models import Cadence, Enrollment, Program
from domain.relationships.models import Relationship, RelationshipMember, RelationshipStatus


def _plain(value: object) -> str:
    """An enum column's value as its plain string (str() of a str-enum gives 'Class.MEMBER')."""
    return value.value if isinstance(value, Enum) else str(value)


async def _rows(query: QuerySet | ValuesListQuery) -> list[tuple]:
    """The query's rows as the driver returns them: the ORM writes the SQL (every value in it is a key or a
    date of ours), and tens of thousands of rows skip its per-value conversion, which was most of the time."""
    _, rows = await connections.get("default").execute_query(query.sql(params_inline=True))
    return [tuple(row.values()) if hasattr(row, "values") else tuple(row) for row in rows]


def _instant(value: object) -> datetime.datetime | None:
    """SQLite hands back ISO-8601 text (parsed in C by ciso8601), PostgreSQL a datetime."""
    if value is None or isinstance(value, datetime.datetime):
        return value
    return ciso8601.parse_datetime(value)


def _day(value: object) -> datetime.date | None:
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


async def load_people(*, demographics: bool) -> dict[int, PersonFacts]:
    """Everyone, with their self-reported demographics only when an aggregate by them is asked for."""
    rows = await _rows(Person.all().values_list("id", "department", "level", "created_at", "left_on", "is_active"))
    reported: dict[int, tuple] = {}
    if demographics:
        columns = ("person_id", "generation", "age_band", "gender", "ethnicity")
        reported = {row[0]: row[1:] for row in await _rows(Demographics.all().values_list(*columns))}
    people = {}
    for person_id, department, level, created, left_on, is_active in rows:
        created_at, left_on = _instant(created), _day(left_on)
        generation, age_band, gender, ethnicity = reported.get(person_id, (None, None, None, None))
        # An inactive person without a leaving date cannot be placed in time: taken as gone from their first
        # day, so no report counts them as present (nor as retained).
        left = left_on if left_on is not None or is_active else created_at.date()
        people[person_id] = PersonFacts(
            person_id, department, level, created_at.date(), left, generation, age_band, gender, ethnicity
        )
    return people


async def _cadence_days(relationships: list[tuple], program_cadence: Cadence) -> dict[int, int]:
    ids = [row[0] for row in relationships]
    agreements = await Agreement.filter(relationship_id__in=ids).values_list("id", "relationship_id", "current_version")
    versions = {
        (agreement_id, number): cadence
        for agreement_id, number, cadence in await AgreementVersion.filter(
            agreement_id__in=[a[0] for a in agreements]
        ).values_list("agreement_id", "number", "cadence")
    }
    agreed = {rel: versions.get((agreement, current)) for agreement, rel, current in agreements}
    return {rel: CADENCE_DAYS[Cadence(agreed.get(rel) or program_cadence)] for rel in ids}


async def load_relationships(program_ids: Iterable[int] | None = None) -> list[RelationshipFacts]:
    """The program's relationships (every program's when None), proposals aside."""
    query = Relationship.exclude(status=RelationshipStatus.PROPOSED)
    member_query = RelationshipMember.exclude(relationship__status=RelationshipStatus.PROPOSED)
    if program_ids is not None:
        query = query.filter(program_id__in=list(program_ids))
        member_query = member_query.filter(relationship__program_id__in=list(program_ids))
    rows = await _rows(
        query.values_list("id", "program_id", "kind", "status", "origin", "started_at", "ended_at", "previous_id")
    )
    members: dict[int, list] = defaultdict(list)
    for relationship_id, person_id, role in await _rows(
        member_query.values_list("relationship_id", "person_id", "role")
    ):
        members[relationship_id].append((person_id, _plain(role)))
    cadences = dict(await Program.all().values_list("id", "cadence"))
    days: dict[int, int] = {}
    for program_id in {row[1] for row in rows}:
        days.update(await _cadence_days([r for r in rows if r[1] == program_id], Cadence(cadences[program_id])))
    return [
        RelationshipFacts(
            id=rid,
            kind=_plain(kind),
            status=_plain(status),
            origin=_plain(origin),
            started_at=_instant(started),
            ended_at=_instant(ended),
            cadence_days=days[rid],
            members=tuple(members[rid]),
            previous_id=previous,
        )
        for rid, _, kind, status, origin, started, ended, previous in rows
    ]


async def load_program(
    program_id: int, period: Period, *, demographics: bool = False, meetings: bool = True
) -> ProgramFacts:
    """The program's facts; a report that counts no meeting says `meetings=False` and skips the largest read."""
    relationships = await load_relationships([program_id])
    meeting_rows = []
    if meetings:
        meeting_rows = await _rows(
            Meeting.filter(
                relationship__program_id=program_id,
                status__in=[MeetingStatus.HELD, MeetingStatus.MISSED, MeetingStatus.SCHEDULED],
            ).values_list("relationship_id", "starts_at", "ends_at", "status")
        )
    goals = await Goal.filter(relationship__program_id=program_id).values_list(
        "relationship_id", "owner_id", "created_at", "status", "achieved_at"
    )
    enrollments = await Enrollment.filter(program_id=program_id).values_list(
        "person_id", "role", "status", "created_at"
    )
    pulses = await SurveyAnswer.filter(
        question__is_pulse=True,
        rating__isnull=False,
        response__template__program_id=program_id,
        response__month__gte=period.start.replace(day=1),
        response__month__lte=period.end,
    ).values_list("response__month", "rating", "response__respondent_id")
    sharing = await RecognitionSharing.all().values_list("person_id", flat=True)
    promotions: dict[int, list[datetime.date]] = defaultdict(list)
    for person_id, before, after, day in await _rows(
        LevelChange.filter(from_level__isnull=False, changed_on__lte=period.end).values_list(
            "person_id", "from_level", "to_level", "changed_on"
        )
    ):
        if after > before:
            promotions[person_id].append(_day(day))
    return ProgramFacts(
        people=await load_people(demographics=demographics),
        enrollments=[EnrollmentFacts(p, _plain(role), _plain(status), at) for p, role, status, at in enrollments],
        relationships=relationships,
        meetings=[
            MeetingFacts(r, _instant(s), _instant(e), _plain(status) == MeetingStatus.HELD.value)
            for r, s, e, status in meeting_rows
        ],
        goals=[GoalFacts(r, o, c, _plain(status), a) for r, o, c, status, a in goals],
        pulses=[PulseFacts(month, rating, respondent) for month, rating, respondent in pulses],
        sharing_mentors=frozenset(sharing),
        promotions=dict(promotions),
    )
