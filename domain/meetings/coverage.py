"""What the agreement covers: meetings start on or before its last day, in the organiser's time zone.

A relationship meets under its agreement, so nothing is booked, planned or moved past the agreement's end
date. Before an agreement is drafted the end is the one a draft would get: the program's duration from the
day the relationship started (or today, for a pair not yet started).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.agreements.queries import current_terms
from domain.agreements.terms import add_months
from domain.errors import ValidationFailed
from domain.people.models import Person
from domain.programs.models import Program
from domain.relationships.models import Relationship
from domain.scheduling.calendar_math import load_zone, wall_to_utc


@dataclass(frozen=True)
class Coverage:
    """The agreement's last day, and the UTC instant that day ends in the organiser's zone."""

    ends_on: date
    until: datetime

    def refuse_after(self, start: datetime, *, field: str) -> None:
        if start >= self.until:
            raise ValidationFailed(
                f"The agreement ends on {self.ends_on.isoformat()}; meetings start on or before that day.",
                field=field,
            )


async def agreement_end(relationship: Relationship, *, today: date) -> date:
    terms = await current_terms(relationship.id)
    if terms is not None:
        return terms.ends_on
    duration = await Program.filter(id=relationship.program_id).values_list("duration_months", flat=True)
    started = relationship.started_at.date() if relationship.started_at else today
    return add_months(started, duration[0])


async def coverage(relationship: Relationship, *, zone: str, now: datetime) -> Coverage:
    ends_on = await agreement_end(relationship, today=now.date())
    return Coverage(ends_on, wall_to_utc(ends_on + timedelta(days=1), time(0, 0), load_zone(zone), edge="start"))


async def refuse_past_agreement(
    relationship: Relationship, start: datetime, *, organizer_id: int, now: datetime, field: str = "start"
) -> None:
    """A single meeting booked or moved past the agreement's last day is refused, naming `field`."""
    zone = await Person.filter(id=organizer_id).values_list("time_zone", flat=True)
    (await coverage(relationship, zone=zone[0], now=now)).refuse_after(start, field=field)
