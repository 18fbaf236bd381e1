"""What relationship health is judged on, read in one aggregate statement: a row per relationship, no models.

Per relationship: its status and start, the cadence in force (the agreement's current version, else the
program's), its latest held meeting and how many missed meetings followed that one (the missed streak).
A program's whole check-in list used to load every active relationship as a model plus every held or missed
meeting of them; this reads one small row each and lets the database do the counting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from tortoise import connections

from domain.meetings.models import Meeting
from domain.programs.models import Cadence
from domain.relationships.models import RelationshipStatus

# Correlated per relationship: both use the meeting (relationship_id) index, whatever the table's size.
_LAST_HELD = "(SELECT MAX(h.starts_at) FROM meeting h WHERE h.relationship_id = r.id AND h.status = 'HELD')"
_FACTS = f"""
SELECT r.id, r.status, r.started_at, r.created_at, COALESCE(v.cadence, p.cadence) AS cadence,
       {_LAST_HELD} AS last_held,
       (SELECT COUNT(*) FROM meeting m WHERE m.relationship_id = r.id AND m.status = 'MISSED'
         AND ({_LAST_HELD} IS NULL OR m.starts_at > {_LAST_HELD})) AS missed_streak
FROM relationship r
JOIN program p ON p.id = r.program_id
LEFT JOIN agreement a ON a.relationship_id = r.id
LEFT JOIN agreement_version v ON v.agreement_id = a.id AND v.number = a.current_version
WHERE {{where}}
ORDER BY r.id
"""


@dataclass(frozen=True)
class HealthFacts:
    id: int
    status: RelationshipStatus
    started_at: datetime | None
    created_at: datetime
    cadence: Cadence
    last_held_at: datetime | None
    missed_streak: int


def _instant(value: datetime | str | None) -> datetime | None:
    """SQLite hands datetimes back as the stored text; the model's field parses it as the ORM would."""
    return Meeting._meta.fields_map["starts_at"].to_python_value(value)


def _ids(values: Iterable[int]) -> str:
    # Integers only (int() refuses anything else), so the list can be written into the statement.
    return ", ".join(str(int(value)) for value in values) or "NULL"


async def _facts(where: str) -> list[HealthFacts]:
    rows = await connections.get("default").execute_query_dict(_FACTS.format(where=where))
    return [
        HealthFacts(
            id=row["id"],
            status=RelationshipStatus(row["status"]),
            started_at=_instant(row["started_at"]),
            created_at=_instant(row["created_at"]),
            cadence=Cadence(row["cadence"]),
            last_held_at=_instant(row["last_held"]),
            missed_streak=row["missed_streak"],
        )
        for row in rows
    ]


async def facts_of(relationship_ids: Iterable[int]) -> list[HealthFacts]:
    """The given relationships' facts (a page of them), in id order."""
    return await _facts(f"r.id IN ({_ids(set(relationship_ids))})")


async def active_facts_in_program(program_id: int) -> list[HealthFacts]:
    """Every ACTIVE relationship of the program: the ones health judges."""
    return await _facts(f"r.program_id = {int(program_id)} AND r.status = '{RelationshipStatus.ACTIVE.value}'")
