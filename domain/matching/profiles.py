"""What the matching engine knows about each person and program: plain data, no I/O, no demographics."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from domain.errors import ValidationFailed
from domain.programs.models import CrossDepartmentPolicy, ProgramKind


class Objective(str, Enum):
    BEST_SCORE = "BEST_SCORE"
    MOST_PARTICIPATION = "MOST_PARTICIPATION"


@dataclass(frozen=True)
class Profile:
    """One person as the scorer sees them. There is deliberately no field for demographics."""

    person_id: int
    department: str | None = None
    level: int | None = None
    manager_id: int | None = None
    # The UTC offset at the run's reference instant, for the program's maximum time-zone gap.
    utc_offset_minutes: int = 0
    # Bit k set: the person works during the k-th half hour of the reference UTC week (see working_week).
    week: int = 0
    languages: frozenset[str] = frozenset()
    formats: frozenset[str] = frozenset()
    teaches: Mapping[int, int] = field(default_factory=dict)  # skill id -> proficiency 1..5
    learns: Mapping[int, int] = field(default_factory=dict)  # skill id -> current proficiency 1..5
    offers: frozenset[int] = frozenset()  # enrollment topics offered (skill ids)
    wants: frozenset[int] = frozenset()  # enrollment topics wanted (skill ids)


@dataclass(frozen=True)
class Mentor:
    profile: Profile
    capacity: int  # places left: the enrollment's capacity minus open relationships as mentor
    trained: bool = True


@dataclass(frozen=True)
class Rules:
    """A program's hard rules for pairs. `separated` and `blocked` hold person-id pairs, either order."""

    kind: ProgramKind = ProgramKind.ONE_ON_ONE  # ONE_ON_ONE or REVERSE
    cross_department: CrossDepartmentPolicy = CrossDepartmentPolicy.PREFERRED
    max_time_zone_gap_hours: int | None = None
    training_required: bool = False
    separated: frozenset[tuple[int, int]] = frozenset()
    blocked: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class Weights:
    """Relative weight of each score component; the score is normalised by their sum."""

    skills: int = 40
    topics: int = 15
    cross_department: int = 10
    seniority: int = 10
    working_hours: int = 15
    language: int = 5
    formats: int = 5

    def __post_init__(self) -> None:
        for name, value in self.items():
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValidationFailed(f"Weight {name} must be a whole number of at least 0.", field=f"weights.{name}")
            if value > 1000:
                raise ValidationFailed(f"Weight {name} must be at most 1000.", field=f"weights.{name}")
        if self.total == 0:
            raise ValidationFailed("At least one weight must be above 0.", field="weights")

    def items(self) -> list[tuple[str, int]]:
        return [(name, getattr(self, name)) for name in COMPONENTS]

    @property
    def total(self) -> int:
        return sum(value for _, value in self.items())


COMPONENTS: tuple[str, ...] = (
    "skills",
    "topics",
    "cross_department",
    "seniority",
    "working_hours",
    "language",
    "formats",
)
