"""Fair series planning: one slot per occurrence window so that out-of-hours inconvenience is shared.

Each person has a ledger of cumulative cost (see ``costs``). Plans are compared lexicographically:
(1) the largest ledger, (2) the sum of ledgers, (3) alternation: at each occurrence the burden goes
to whoever suffered least recently. Night slots are used in a window only when it has no other free slot.

(1) and (2) are exact (see ``series_search``). Per window, candidate slots are reduced to distinct cost
vectors (many slots share one; the earliest is kept) and strictly dominated vectors are dropped, since
using one can only raise the total. Costs are integers in micro-units inside, so equal ledgers merge
exactly. If the search exceeds its state budget (large circles where every slot is someone's night),
the best plan found is returned with ``proven_optimal`` False rather than running for minutes.
(3) picks, among the plans optimal for (1) and (2), each occurrence's option in turn: people are
ordered from most recently burdened to least, and the option lightest on that order wins.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.errors import ValidationFailed
from domain.scheduling.attendees import Attendee
from domain.scheduling.costs import COST_DECIMALS
from domain.scheduling.series_search import Front, Ledger, pareto_front, score, search_fronts
from domain.scheduling.slots import (
    DEFAULT_STEP,
    Candidate,
    Slot,
    SlotSearch,
    validate_attendees,
    validate_duration,
    validate_step,
    validate_window,
)

_SCALE = 10**COST_DECIMALS


@dataclass(frozen=True)
class PlannedOccurrence:
    slot: Slot
    # Everyone's running totals once this occurrence is held: cost, times out of hours, times in the night.
    ledger_after: dict[str, float]
    out_of_hours_after: dict[str, int]
    nights_after: dict[str, int]


@dataclass(frozen=True)
class SeriesPlan:
    occurrences: list[PlannedOccurrence]
    ledger: dict[str, float]
    out_of_hours_counts: dict[str, int]
    night_counts: dict[str, int]
    # False only when the search hit its state budget and returned its best plan found instead.
    proven_optimal: bool = True

    @property
    def max_cost(self) -> float:
        return max(self.ledger.values())

    @property
    def total_cost(self) -> float:
        return round(sum(self.ledger.values()), COST_DECIMALS)


@dataclass(frozen=True)
class _Option:
    vector: Ledger
    candidate: Candidate


def validate_windows(windows: Sequence[tuple[datetime, datetime]]) -> list[tuple[int, int]]:
    if not windows:
        raise ValidationFailed("Give at least one occurrence window.", field="windows")
    checked = []
    for window in windows:
        if not isinstance(window, tuple | list) or len(window) != 2:
            raise ValidationFailed("Each window is a (start, end) pair.", field="windows")
        checked.append(validate_window(window[0], window[1]))
    return checked


def window_searches(
    attendees: Sequence[Attendee],
    windows: Sequence[tuple[datetime, datetime]],
    duration: timedelta,
    step: timedelta,
) -> list[SlotSearch]:
    people = validate_attendees(attendees)
    bounds = validate_windows(windows)
    duration_us = validate_duration(people, duration)
    step_us = validate_step(step)
    return [SlotSearch(people, start, end, duration_us, step_us) for start, end in bounds]


def _options(search: SlotSearch, index: int) -> list[_Option]:
    """Non-dominated distinct cost vectors of one window, nights only if nothing else is free."""
    if search.count(search.everyone_working):
        candidate = search.zero_cost(1)[0]
        return [_Option(tuple(0 for _ in search.attendees), candidate)]
    tier = search.nobody_asleep if search.count(search.nobody_asleep) else search.free
    earliest: dict[Ledger, Candidate] = {}
    for candidate in search.candidates(tier):
        vector = tuple(round(cost * _SCALE) for cost, _, _ in candidate[4])
        earliest.setdefault(vector, candidate)
    if not earliest:
        raise ValidationFailed(f"Occurrence window {index + 1} has no slot free for everyone.", field="windows")
    vectors = pareto_front(list(earliest))
    return [_Option(vector, earliest[vector]) for vector in sorted(vectors, key=lambda v: earliest[v][3])]


def _choose_path(options: list[list[_Option]], fronts: list[Front], size: int) -> list[int]:
    final = fronts[-1]
    best = min(score(ledger) for ledger in final)
    marked = {ledger for ledger in final if score(ledger) == best}
    # Walk back to keep, per stage, only the moves that still lead to an optimal final ledger.
    moves: list[dict[Ledger, list[tuple[int, Ledger]]]] = [{} for _ in options]
    for stage in range(len(options), 0, -1):
        previous: set[Ledger] = set()
        for ledger in marked:
            for before, index in fronts[stage][ledger]:
                moves[stage - 1].setdefault(before, []).append((index, ledger))
                previous.add(before)
        marked = previous
    ledger: Ledger = (0,) * size
    last_burdened = [-1] * size
    path: list[int] = []
    for stage, choices in enumerate(options):
        order = sorted(range(size), key=lambda p: (-last_burdened[p], -ledger[p], p))

        def lightest_on_recent(move: tuple[int, Ledger], order: list[int] = order, choices: list = choices):
            vector = choices[move[0]].vector
            return tuple(vector[p] for p in order), choices[move[0]].candidate[3]

        index, ledger = min(moves[stage][ledger], key=lightest_on_recent)
        for person, cost in enumerate(choices[index].vector):
            if cost > 0:
                last_burdened[person] = stage
        path.append(index)
    return path


def plan_series(
    attendees: Sequence[Attendee],
    windows: Sequence[tuple[datetime, datetime]],
    duration: timedelta,
    *,
    step: timedelta = DEFAULT_STEP,
) -> SeriesPlan:
    """One slot per window minimising the largest cumulative cost, then the total, then alternating."""
    searches = window_searches(attendees, windows, duration, step)
    people = searches[0].attendees
    size = len(people)
    options = [_options(search, index) for index, search in enumerate(searches)]
    fronts, fallback = search_fronts([[option.vector for option in choices] for choices in options], size)
    path = fallback if fronts is None else _choose_path(options, fronts, size)

    ledger = [0] * size
    out_of_hours = dict.fromkeys((p.key for p in people), 0)
    nights = dict.fromkeys((p.key for p in people), 0)
    occurrences: list[PlannedOccurrence] = []
    for search, choices, index in zip(searches, options, path, strict=True):
        option = choices[index]
        ledger = [a + b for a, b in zip(ledger, option.vector, strict=True)]
        for person, (_, inside, in_night) in zip(people, option.candidate[4], strict=True):
            out_of_hours[person.key] += not inside
            nights[person.key] += in_night
        snapshot = {p.key: amount / _SCALE for p, amount in zip(people, ledger, strict=True)}
        occurrences.append(
            PlannedOccurrence(
                slot=search.to_slot(option.candidate),
                ledger_after=snapshot,
                out_of_hours_after=dict(out_of_hours),
                nights_after=dict(nights),
            )
        )
    final = {p.key: amount / _SCALE for p, amount in zip(people, ledger, strict=True)}
    return SeriesPlan(
        occurrences=occurrences,
        ledger=final,
        out_of_hours_counts=out_of_hours,
        night_counts=nights,
        proven_optimal=fronts is not None,
    )
