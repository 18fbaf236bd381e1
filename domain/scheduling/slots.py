"""Slot search: every free start on a step grid in a window, ranked by who it inconveniences and how much.

Rank: slots inside everyone's working hours first, then lower largest personal cost, then lower total,
then earlier. The search is tiered by interval arithmetic so costs are computed only where needed:
(1) the intersection of everyone's working hours (cost 0, no evaluation), (2) free time outside
everyone's night, (3) all free time. Because NIGHT_PENALTY dominates any non-night cost, a lower tier
is only read when the higher ones hold fewer than ``limit`` slots, and the ranking stays exact.
Slot starts sit on a ``step`` grid aligned to the Unix epoch (so 15-minute steps give :00/:15/:30/:45 UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from heapq import nsmallest
from itertools import chain

from domain.errors import ValidationFailed
from domain.scheduling.attendees import Attendee
from domain.scheduling.availability import expand, free_time, horizon
from domain.scheduling.calendar_math import from_micros, is_aware, load_zone, to_micros
from domain.scheduling.costs import COST_DECIMALS, CostModel
from domain.scheduling.intervals import Interval, count_grid_starts, grid_starts, intersect, merge, subtract

DEFAULT_STEP = timedelta(minutes=15)


@dataclass(frozen=True)
class AttendeeTime:
    """How one slot looks to one attendee, in their own zone.

    ``local_start``/``local_end`` carry ``fold`` in a repeated hour; compare them through UTC, since
    Python treats an inter-zone ``==`` on an ambiguous time as unequal.
    """

    key: str
    local_start: datetime
    local_end: datetime
    inside_working_hours: bool
    in_night: bool
    cost: float


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    attendees: tuple[AttendeeTime, ...]
    total_cost: float
    max_cost: float

    @property
    def inside_everyones_working_hours(self) -> bool:
        return all(person.inside_working_hours for person in self.attendees)


# (outside_someones_hours, max_cost, total_cost, start_us, ((cost, inside, in_night), ...)); sorting the
# tuple is the ranking, and start_us is unique so the per-person part is never compared.
Candidate = tuple[int, float, float, int, tuple[tuple[float, bool, bool], ...]]


def validate_attendees(attendees: Sequence[Attendee]) -> tuple[Attendee, ...]:
    people = tuple(attendees)
    if not people or not all(isinstance(person, Attendee) for person in people):
        raise ValidationFailed("Give at least one attendee.", field="attendees")
    if len({person.key for person in people}) != len(people):
        raise ValidationFailed("Attendee keys must be unique.", field="attendees")
    return people


def validate_duration(attendees: Sequence[Attendee], duration: object) -> int:
    if not isinstance(duration, timedelta) or duration <= timedelta(0):
        raise ValidationFailed("Duration must be positive.", field="duration")
    if duration > max(person.longest_working_interval for person in attendees):
        raise ValidationFailed("Duration is longer than anyone's longest working interval.", field="duration")
    return duration // timedelta(microseconds=1)


def validate_step(step: object) -> int:
    if not isinstance(step, timedelta) or step <= timedelta(0):
        raise ValidationFailed("Step must be positive.", field="step")
    return step // timedelta(microseconds=1)


def validate_window(window_start: object, window_end: object, now: object = None) -> tuple[int, int]:
    if not is_aware(window_start):
        raise ValidationFailed("Window start must be an aware datetime.", field="from")
    if not is_aware(window_end):
        raise ValidationFailed("Window end must be an aware datetime.", field="to")
    start_us, end_us = to_micros(window_start), to_micros(window_end)
    if end_us <= start_us:
        raise ValidationFailed("Window must end after it starts.", field="to")
    if now is not None:
        if not is_aware(now):
            raise ValidationFailed("Now must be an aware datetime.", field="now")
        now_us = to_micros(now)
        if end_us <= now_us:
            raise ValidationFailed("Window lies entirely in the past.", field="from")
        start_us = max(start_us, now_us)  # a partly past window is searched from now on
    return start_us, end_us


class SlotSearch:
    """The interval sets and cost models for one window; shared by find_slots and the series planner."""

    def __init__(self, attendees: Sequence[Attendee], start_us: int, end_us: int, duration_us: int, step_us: int):
        self.attendees = tuple(attendees)
        self.window = (start_us, end_us)
        self.duration = duration_us
        self.step = step_us
        origin, until = horizon(start_us, end_us)
        self.free = free_time(self.attendees, start_us, end_us)
        # People with the same zone, hours and night cost the same: expand and evaluate them once.
        profiles: dict[tuple, int] = {}
        for person in self.attendees:
            profiles.setdefault(
                (person.zone, person.working_hours, person.night_start, person.night_end), len(profiles)
            )
        self.profile_of = [profiles[(p.zone, p.working_hours, p.night_start, p.night_end)] for p in self.attendees]
        representatives: dict[int, Attendee] = {}
        for person, index in zip(self.attendees, self.profile_of, strict=True):
            representatives.setdefault(index, person)
        expanded = [expand(representatives[index], origin, until) for index in range(len(profiles))]
        self.models = [CostModel(working, nights, origin) for working, nights in expanded]
        common: list[Interval] = self.free
        for working, _ in expanded:
            common = intersect(common, working)
        self.everyone_working = common
        self.nobody_asleep = subtract(self.free, merge(chain.from_iterable(nights for _, nights in expanded)))

    def count(self, intervals: list[Interval]) -> int:
        return count_grid_starts(intervals, self.duration, self.step)

    def candidates(self, intervals: list[Interval]) -> list[Candidate]:
        duration, models, profile_of = self.duration, self.models, self.profile_of
        found: list[Candidate] = []
        for start in grid_starts(intervals, duration, self.step):
            end = start + duration
            by_profile = [model.evaluate(start, end) for model in models]
            people = tuple([by_profile[index] for index in profile_of])
            worst = total = 0.0
            outside = 0
            for cost, inside, _ in people:
                total += cost
                if cost > worst:
                    worst = cost
                if not inside:
                    outside = 1
            found.append((outside, worst, round(total, COST_DECIMALS), start, people))
        return found

    def evaluate(self, start: int) -> tuple[tuple[float, bool, bool], ...]:
        """(cost, inside_working_hours, in_night) per attendee for the slot starting at ``start``."""
        by_profile = [model.evaluate(start, start + self.duration) for model in self.models]
        return tuple([by_profile[index] for index in self.profile_of])

    def zero_cost(self, limit: int) -> list[Candidate]:
        """The earliest ``limit`` slots inside everyone's hours; their costs are known to be zero."""
        everyone_fine = tuple((0.0, True, False) for _ in self.attendees)
        found: list[Candidate] = []
        for start in grid_starts(self.everyone_working, self.duration, self.step):
            if len(found) == limit:
                break
            found.append((0, 0.0, 0.0, start, everyone_fine))
        return found

    def ranked(self, limit: int | None) -> list[Candidate]:
        if limit is None:
            return sorted(self.candidates(self.free))
        if self.count(self.everyone_working) >= limit:
            return self.zero_cost(limit)
        tier = self.nobody_asleep if self.count(self.nobody_asleep) >= limit else self.free
        return nsmallest(limit, self.candidates(tier))

    def to_slot(self, candidate: Candidate) -> Slot:
        _, worst, total, start_us, people = candidate
        start, end = from_micros(start_us), from_micros(start_us + self.duration)
        times = tuple(
            AttendeeTime(
                key=person.key,
                local_start=start.astimezone(load_zone(person.zone)),
                local_end=end.astimezone(load_zone(person.zone)),
                inside_working_hours=inside,
                in_night=in_night,
                cost=cost,
            )
            for person, (cost, inside, in_night) in zip(self.attendees, people, strict=True)
        )
        return Slot(start=start, end=end, attendees=times, total_cost=total, max_cost=worst)


def find_slots(
    attendees: Sequence[Attendee],
    window_start: datetime,
    window_end: datetime,
    duration: timedelta,
    *,
    step: timedelta = DEFAULT_STEP,
    limit: int | None = None,
    now: datetime | None = None,
) -> list[Slot]:
    """Ranked slots of ``duration`` in [window_start, window_end] that are free for every attendee."""
    people = validate_attendees(attendees)
    start_us, end_us = validate_window(window_start, window_end, now)
    duration_us = validate_duration(people, duration)
    step_us = validate_step(step)
    if limit is not None and (not isinstance(limit, int) or limit < 1):
        raise ValidationFailed("Limit must be a positive integer.", field="limit")
    search = SlotSearch(people, start_us, end_us, duration_us, step_us)
    return [search.to_slot(candidate) for candidate in search.ranked(limit)]
