"""Plain facts the analytics compute over, loaded once per report; no ORM objects past this point."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class PersonFacts:
    id: int
    department: str | None
    level: int | None
    joined_on: datetime.date
    left_on: datetime.date | None
    # Self-reported, and only ever used inside suppressed aggregates.
    generation: str | None = None
    age_band: str | None = None
    gender: str | None = None
    ethnicity: str | None = None

    def employed_on(self, day: datetime.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


@dataclass(frozen=True)
class RelationshipFacts:
    id: int
    kind: str
    status: str
    origin: str
    started_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    cadence_days: int
    members: tuple[tuple[int, str], ...]  # (person id, member role)
    previous_id: int | None = None

    def people(self, role: str | None = None) -> list[int]:
        return [person for person, member_role in self.members if role is None or member_role == role]


@dataclass(frozen=True)
class MeetingFacts:
    relationship_id: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    held: bool


@dataclass(frozen=True)
class GoalFacts:
    relationship_id: int
    owner_id: int
    created_at: datetime.datetime
    status: str
    achieved_at: datetime.datetime | None


@dataclass(frozen=True)
class PulseFacts:
    month: datetime.date
    rating: int
    respondent_id: int | None  # None for anonymous answers


@dataclass(frozen=True)
class EnrollmentFacts:
    person_id: int
    role: str
    status: str
    created_at: datetime.datetime


@dataclass
class ProgramFacts:
    people: dict[int, PersonFacts]
    enrollments: list[EnrollmentFacts] = field(default_factory=list)
    relationships: list[RelationshipFacts] = field(default_factory=list)
    meetings: list[MeetingFacts] = field(default_factory=list)
    goals: list[GoalFacts] = field(default_factory=list)
    pulses: list[PulseFacts] = field(default_factory=list)
    # Mentors who let coordinators see their recognition figures.
    sharing_mentors: frozenset[int] = frozenset()
    # The days each person's level rose (LevelChange), for promotion rates.
    promotions: dict[int, list[datetime.date]] = field(default_factory=dict)
