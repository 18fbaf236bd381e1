"""programInsights' figures, computed over plain facts: pure functions a test can check by hand.

Numbers about groups of people (participation breakdowns, satisfaction) go through the one suppression rule.
The relationship figures (active relationships, time to first meeting, cadence, goals, rematches) count only
what happened by the period's end, so an answer about past days never changes; quarterly.py computes them
over whole quarters and withholds them where a quarter's changes would single out a pair (`suppressed`).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum

from domain.analytics.facts import PersonFacts, ProgramFacts, RelationshipFacts
from domain.analytics.period import Period
from domain.analytics.suppression import blocks_are_safe, is_small

JOINED = frozenset({"APPROVED", "MATCHED", "ACTIVE", "COMPLETED"})
# The guide: "a 10-15% rematch rate is normal".
REMATCH_BAND = (0.10, 0.15)
UNSPECIFIED = "UNSPECIFIED"
NOT_SHOWN_GENERATIONS = frozenset({None, "PREFER_NOT_TO_SAY"})
# Groups anyone may know a person's place in; the others are self-reported.
PUBLIC_DIMENSIONS = frozenset({"department", "level"})


class BandPosition(str, Enum):
    BELOW = "BELOW"
    WITHIN = "WITHIN"
    ABOVE = "ABOVE"
    NO_DATA = "NO_DATA"


@dataclass(frozen=True)
class GroupRate:
    """`part` of `whole` people in one group; every number is None when the group is suppressed."""

    group: str
    whole: int | None
    part: int | None
    rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class TimeToFirstMeeting:
    measured: int | None
    waiting: int | None
    median_days: float | None
    mean_days: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Ratio:
    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool = False


@dataclass(frozen=True)
class Satisfaction:
    respondents: int | None
    mean_rating: float | None
    suppressed: bool


@dataclass(frozen=True)
class RematchRate:
    relationships: int | None
    rematched: int | None
    rate: float | None
    band_low: float
    band_high: float
    position: BandPosition | None
    suppressed: bool = False


WITHHELD_WAIT = TimeToFirstMeeting(None, None, None, None, True)
WITHHELD_RATIO = Ratio(None, None, None, True)
WITHHELD_REMATCH = RematchRate(None, None, None, *REMATCH_BAND, None, True)


@dataclass(frozen=True)
class MentorHours:
    person_id: int
    hours: float
    # Filled in only where the mentor is named (they share their recognition).
    name: str = ""
    email: str = ""


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def group_of_person(dimension: str) -> Callable[[PersonFacts], str | None]:
    """A person's group in a programInsights breakdown (None: they gave no answer)."""
    if dimension == "department":
        return lambda p: p.department or UNSPECIFIED
    if dimension == "level":
        return lambda p: UNSPECIFIED if p.level is None else str(p.level)
    # Self-reported: only those who said, and never "prefer not to say", form a group.
    return lambda p: None if p.generation in NOT_SHOWN_GENERATIONS else p.generation


def employed_during(people: Iterable[PersonFacts], period: Period) -> list[PersonFacts]:
    return [p for p in people if p.joined_on <= period.end and (p.left_on is None or p.left_on >= period.start)]


def running_in(relationship: RelationshipFacts, period: Period) -> bool:
    if relationship.started_at is None or relationship.started_at >= period.ends_at:
        return False
    return relationship.ended_at is None or relationship.ended_at >= period.starts_at


def participants(facts: ProgramFacts, period: Period) -> set[int]:
    """Enrolled (and let in) by the period's end, or a member of one of its relationships during it."""
    enrolled = {e.person_id for e in facts.enrollments if e.status in JOINED and e.created_at < period.ends_at}
    members = {p for r in facts.relationships if running_in(r, period) for p in r.people()}
    return enrolled | members


def active_relationships(facts: ProgramFacts, period: Period) -> int:
    return sum(running_in(r, period) for r in facts.relationships)


def first_held(facts: ProgramFacts) -> dict[int, datetime.datetime]:
    first: dict[int, datetime.datetime] = {}
    for meeting in facts.meetings:
        known = first.get(meeting.relationship_id)
        if meeting.held and (known is None or meeting.starts_at < known):
            first[meeting.relationship_id] = meeting.starts_at
    return first


def started_in(facts: ProgramFacts, period: Period) -> list[RelationshipFacts]:
    return [r for r in facts.relationships if period.contains(r.started_at)]


def first_met_by_end(facts: ProgramFacts, period: Period) -> dict[int, datetime.datetime]:
    """Each relationship's first held meeting, where it came before the period's end."""
    return {r: met for r, met in first_held(facts).items() if met < period.ends_at}


def time_to_first_meeting(facts: ProgramFacts, period: Period) -> TimeToFirstMeeting:
    """Over relationships that started in the period: days from the start to the first held meeting, where that
    came by the period's end (the others are still waiting at its end)."""
    first = first_met_by_end(facts, period)
    started = started_in(facts, period)
    days = [(first[r.id] - r.started_at).total_seconds() / 86400 for r in started if r.id in first]
    return TimeToFirstMeeting(
        measured=len(days),
        waiting=len(started) - len(days),
        median_days=round(statistics.median(days), 2) if days else None,
        mean_days=round(statistics.fmean(days), 2) if days else None,
    )


def cadence_adherence(facts: ProgramFacts, period: Period) -> Ratio:
    """Meetings held in the period against those the agreed cadence planned for the days each ran in it."""
    planned = sum(
        int(period.overlap_days(r.started_at, r.ended_at) // r.cadence_days)
        for r in facts.relationships
        if running_in(r, period)
    )
    held = sum(1 for m in facts.meetings if m.held and period.contains(m.starts_at))
    return Ratio(of=planned, count=held, rate=rate(held, planned))


def counted_goals(facts: ProgramFacts, period: Period) -> list:
    """Goals set in the period, dropped ones aside (as in the equity report)."""
    return [g for g in facts.goals if period.contains(g.created_at) and g.status != "DROPPED"]


def goal_completion(facts: ProgramFacts, period: Period) -> Ratio:
    """Goals set in the period (dropped ones aside) and how many were achieved by its end."""
    goals = counted_goals(facts, period)
    achieved = sum(1 for g in goals if g.achieved_at is not None and g.achieved_at < period.ends_at)
    return Ratio(of=len(goals), count=achieved, rate=rate(achieved, len(goals)))


def satisfaction(ratings_by_month: dict, period: Period) -> Satisfaction:
    """The mean pulse rating over the period's months; suppressed under five answers or when any month holds
    one to four (so two overlapping periods never differ by fewer than five answers)."""
    months = period.months()
    counts = [len(ratings_by_month.get(month, ())) for month in months]
    ratings = [r for month in months for r in ratings_by_month.get(month, ())]
    if is_small(len(ratings)) or not blocks_are_safe(counts):
        return Satisfaction(None, None, True)
    return Satisfaction(len(ratings), round(statistics.fmean(ratings), 2) if ratings else None, False)


def program_satisfaction(facts: ProgramFacts, period: Period) -> Satisfaction:
    by_month: dict = defaultdict(list)
    for pulse in facts.pulses:
        by_month[pulse.month].append(pulse.rating)
    return satisfaction(by_month, period)


def rematches_by_end(facts: ProgramFacts, period: Period) -> dict[int, datetime.datetime]:
    """Each relationship a rematch replaced by the period's end, with the day the replacement started."""
    return {
        r.previous_id: r.started_at
        for r in facts.relationships
        if r.origin == "REMATCH" and r.previous_id and r.started_at is not None and r.started_at < period.ends_at
    }


def rematch_rate(facts: ProgramFacts, period: Period) -> RematchRate:
    """Of the relationships that started in the period, how many a rematch had replaced by its end."""
    replaced = rematches_by_end(facts, period)
    started = started_in(facts, period)
    rematched = sum(1 for r in started if r.id in replaced)
    value = rate(rematched, len(started))
    low, high = REMATCH_BAND
    if value is None:
        position = BandPosition.NO_DATA
    elif value < low:
        position = BandPosition.BELOW
    elif value > high:
        position = BandPosition.ABOVE
    else:
        position = BandPosition.WITHIN
    return RematchRate(len(started), rematched, value, low, high, position)


def mentor_hours(facts: ProgramFacts, period: Period) -> list[MentorHours]:
    """Hours of held meetings in the period per mentor, most first."""
    mentors = {r.id: r.people("MENTOR") for r in facts.relationships}
    hours: dict[int, float] = defaultdict(float)
    for meeting in facts.meetings:
        if meeting.held and period.contains(meeting.starts_at):
            for mentor in mentors.get(meeting.relationship_id, ()):
                hours[mentor] += (meeting.ends_at - meeting.starts_at).total_seconds() / 3600
    return sorted((MentorHours(p, round(h, 2)) for p, h in hours.items()), key=lambda m: (-m.hours, m.person_id))
