"""Checks every path into a relationship runs (proposal, self-service request, rematch): they read, never write."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Sequence

from domain.errors import Conflict, NotFound, ValidationFailed
from domain.people.models import Person
from domain.programs.models import Enrollment
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import (
    MatchExclusion,
    MemberRole,
    MentorRequest,
    MentorRequestStatus,
    RelationshipMember,
)
from domain.relationships.rules import check_reporting_lines

PersonField = tuple[int, str]  # a person's id and the input path that names them


async def load_people(people: Sequence[PersonField]) -> dict[int, Person]:
    """The people by id; a missing or deactivated one is refused, naming their input field."""
    rows = {row.id: row for row in await Person.filter(id__in=[person_id for person_id, _ in people])}
    for person_id, field in people:
        row = rows.get(person_id)
        if row is None:
            raise NotFound("No such person.", field=field)
        if not row.is_active:
            raise ValidationFailed("This person's profile is deactivated.", field=field)
    return rows


async def check_no_reporting_line(people: Sequence[PersonField]) -> None:
    """The manager rule, for every path: no two of `people` may be manager and direct report."""
    rows = await load_people(people)
    check_reporting_lines([(rows[person_id], field) for person_id, field in people])


async def check_not_excluded(program_id: int, people: Sequence[PersonField]) -> None:
    """A pair a rematch separated is not put together again in the same program."""
    ids = [person_id for person_id, _ in people]
    excluded = await MatchExclusion.filter(program_id=program_id, person_id__in=ids, excluded_person_id__in=ids)
    pairs = {(row.person_id, row.excluded_person_id) for row in excluded}
    for later, (person_id, field) in enumerate(people):
        for other_id, _ in people[:later]:
            if (person_id, other_id) in pairs or (other_id, person_id) in pairs:
                raise Conflict("These two were separated by a rematch and are not paired again.", field=field)


async def check_not_paired(program_id: int, people: Sequence[PersonField]) -> None:
    """Two people share at most one open relationship in a program."""
    ids = [person_id for person_id, _ in people]
    rows = await RelationshipMember.filter(
        person_id__in=ids, relationship__program_id=program_id, relationship__status__in=list(OPEN)
    ).values_list("relationship_id", "person_id")
    together: dict[int, set[int]] = {}
    for relationship_id, person_id in rows:
        together.setdefault(relationship_id, set()).add(person_id)
    for later, (person_id, field) in enumerate(people):
        for other_id, _ in people[:later]:
            if any({person_id, other_id} <= members for members in together.values()):
                raise Conflict("These people already share an open relationship in this program.", field=field)


async def lock_enrollments(program_id: int, person_ids: Sequence[int]) -> dict[int, Enrollment]:
    """The people's enrollments in the program, row-locked until the transaction ends (in id order: no deadlocks).

    On PostgreSQL this serialises concurrent accepts and proposals for the same mentor. SQLite ignores
    FOR UPDATE, but there every transaction holds the database's single write connection, so they run one at a time.
    """
    rows = (
        await Enrollment.filter(program_id=program_id, person_id__in=list(person_ids))
        .order_by("id")
        .select_for_update()
    )
    return {row.person_id: row for row in rows}


async def open_mentee_count(program_id: int, mentor_id: int) -> int:
    """Open relationships in which the person holds the MENTOR seat in this program."""
    return await RelationshipMember.filter(
        person_id=mentor_id,
        role=MemberRole.MENTOR,
        relationship__program_id=program_id,
        relationship__status__in=list(OPEN),
    ).count()


async def check_capacity(enrollment: Enrollment, *, field: str) -> None:
    """A mentor with a declared capacity takes no mentee beyond it; call with the enrollment locked."""
    if enrollment.capacity is None:
        return
    if await open_mentee_count(enrollment.program_id, enrollment.person_id) >= enrollment.capacity:
        raise Conflict(f"This mentor is at capacity ({enrollment.capacity} mentee(s)).", field=field)


async def open_mentee_counts(keys: Sequence[tuple[int, int]]) -> list[int]:
    """Per (program id, mentor id): open relationships in which they hold the MENTOR seat; one query."""
    rows = await RelationshipMember.filter(
        person_id__in={person_id for _, person_id in keys},
        role=MemberRole.MENTOR,
        relationship__program_id__in={program_id for program_id, _ in keys},
        relationship__status__in=list(OPEN),
    ).values_list("relationship__program_id", "person_id")
    counts = Counter(rows)
    return [counts[tuple(key)] for key in keys]


MENTOR_FULL_MESSAGE = "The mentor's places are all taken; you can ask another mentor."


async def close_requests_if_full(enrollment: Enrollment, *, now: datetime.datetime) -> int:
    """When a mentor's last place is taken, their other pending requests are closed as MENTOR_FULL, so the
    mentees can ask someone else instead of waiting for an answer that cannot come; returns how many."""
    if enrollment.capacity is None:
        return 0
    if await open_mentee_count(enrollment.program_id, enrollment.person_id) < enrollment.capacity:
        return 0
    return await MentorRequest.filter(
        program_id=enrollment.program_id, mentor_id=enrollment.person_id, status=MentorRequestStatus.PENDING
    ).update(status=MentorRequestStatus.MENTOR_FULL, responded_at=now, response_message=MENTOR_FULL_MESSAGE)
