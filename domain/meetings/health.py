"""Relationship health from meetings: no held meeting within twice the cadence means AT_RISK.

The guide's "checking in if someone misses a meeting": coordinators get the list of active
relationships whose meetings have stopped, measured against the cadence they agreed (the current
agreement version's, else the program's). Paused, proposed and closed relationships are not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import Enum

from tortoise.functions import Min

from domain.access import Viewer
from domain.errors import NotFound, PermissionDenied
from domain.feedback.signals import RiskSignal, RiskSignalKind, pulse_signals, pulse_signals_in_program, streak_signals
from domain.meetings.health_facts import HealthFacts, active_facts_in_program, facts_of
from domain.meetings.models import Meeting, MeetingStatus
from domain.programs import policy
from domain.programs.models import Cadence, Program, ProgramCoordinator
from domain.relationships.access import relationship_access
from domain.relationships.models import Relationship, RelationshipStatus

CADENCE_DAYS = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14, Cadence.MONTHLY: 30}


class HealthStatus(str, Enum):
    ON_TRACK = "ON_TRACK"
    AT_RISK = "AT_RISK"
    NOT_TRACKED = "NOT_TRACKED"


@dataclass(frozen=True)
class RelationshipHealth:
    relationship_id: int
    status: HealthStatus
    cadence: Cadence
    last_held_at: datetime | None
    # When the relationship turns (or turned) AT_RISK without another held meeting; None when not tracked.
    due_by: datetime | None
    # What put it AT_RISK: the cadence check's NO_RECENT_MEETING and any signal from feedback.
    signals: tuple[RiskSignal, ...] = field(default=())


def assess(
    relationship: Relationship | HealthFacts, cadence: Cadence, last_held_at: datetime | None, now: datetime
) -> RelationshipHealth:
    """Pure: the health of one relationship given its cadence and latest held meeting."""
    if relationship.status is not RelationshipStatus.ACTIVE:
        return RelationshipHealth(relationship.id, HealthStatus.NOT_TRACKED, cadence, last_held_at, None)
    since = last_held_at or relationship.started_at or relationship.created_at
    due_by = since + 2 * timedelta(days=CADENCE_DAYS[cadence])
    if now > due_by:
        signals = (RiskSignal(RiskSignalKind.NO_RECENT_MEETING),)
        return RelationshipHealth(relationship.id, HealthStatus.AT_RISK, cadence, last_held_at, due_by, signals)
    return RelationshipHealth(relationship.id, HealthStatus.ON_TRACK, cadence, last_held_at, due_by)


def with_signals(health: RelationshipHealth, signals: list[RiskSignal]) -> RelationshipHealth:
    """A tracked relationship with feedback signals is AT_RISK whatever its cadence says."""
    if not signals or health.status is HealthStatus.NOT_TRACKED:
        return health
    return replace(health, status=HealthStatus.AT_RISK, signals=(*health.signals, *signals))


def _instant(value: datetime | str) -> datetime:
    """An aggregate's datetime: SQLite hands MIN/MAX back as the stored text, which the field parses."""
    return Meeting._meta.fields_map["starts_at"].to_python_value(value)


async def _judged(
    facts: list[HealthFacts], now: datetime, pulses: dict[int, list[RiskSignal]] | None = None
) -> list[RelationshipHealth]:
    pulses = await pulse_signals([f.id for f in facts]) if pulses is None else pulses
    return [
        with_signals(
            assess(f, f.cadence, f.last_held_at, now), [*streak_signals(f.missed_streak), *pulses.get(f.id, [])]
        )
        for f in facts
    ]


async def health_by_id(relationship_ids: Sequence[int], now: datetime) -> list[RelationshipHealth]:
    """Health per relationship id, for a page of relationships: two statements however many."""
    found = {h.relationship_id: h for h in await _judged(await facts_of(relationship_ids), now)}
    return [found[relationship_id] for relationship_id in relationship_ids]


async def next_meetings(relationship_ids: Sequence[int], now: datetime) -> list[Meeting | None]:
    """Per relationship, its next SCHEDULED meeting not yet over (the earliest start; the lowest id on a tie).

    Two statements: the earliest start per relationship in SQL, then those meetings, so a long series
    costs one row per relationship rather than every future occurrence.
    """
    upcoming = Meeting.filter(
        relationship_id__in=list(set(relationship_ids)), status=MeetingStatus.SCHEDULED, ends_at__gt=now
    )
    firsts = (
        await upcoming.group_by("relationship_id")
        .annotate(first=Min("starts_at"))
        .values_list("relationship_id", "first")
    )
    earliest = {relationship_id: _instant(first) for relationship_id, first in firsts}
    chosen: dict[int, Meeting] = {}
    if earliest:
        candidates = await upcoming.filter(starts_at__in=list(set(earliest.values()))).order_by("starts_at", "id")
        for meeting in candidates:
            if meeting.starts_at == earliest.get(meeting.relationship_id):
                chosen.setdefault(meeting.relationship_id, meeting)
    return [chosen.get(relationship_id) for relationship_id in relationship_ids]


async def relationship_health(viewer: Viewer, *, relationship_id: int, now: datetime) -> RelationshipHealth:
    """For the relationship's members and its program's coordinators; others learn nothing."""
    access = await relationship_access(relationship_id)
    if not access.can_see_metadata(viewer):
        raise NotFound("No such relationship.", field="relationship_id")
    return (await health_by_id([relationship_id], now))[0]


async def at_risk_relationships(viewer: Viewer, *, program_id: int, now: datetime) -> list[RelationshipHealth]:
    """The program's AT_RISK relationships, longest overdue first; for its coordinators and admins."""
    if not await Program.exists(id=program_id):
        raise NotFound("No such program.", field="program_id")
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    if not policy.can_manage_program(viewer, coordinators):
        raise PermissionDenied("Only this program's coordinators or an admin can see this.", field="program_id")
    return await check_in_list(program_id, now)


async def check_in_list(program_id: int, now: datetime) -> list[RelationshipHealth]:
    """The program's AT_RISK relationships, longest overdue first, for a caller that checked who may see them."""
    facts = await active_facts_in_program(program_id)
    judged = await _judged(facts, now, await pulse_signals_in_program(program_id))
    at_risk = [h for h in judged if h.status is HealthStatus.AT_RISK]
    return sorted(at_risk, key=lambda h: (h.due_by, h.relationship_id))
