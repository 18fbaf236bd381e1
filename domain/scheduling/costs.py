"""How much a slot inconveniences one person.

cost = 0                                   when the slot lies inside their working hours, otherwise
cost = OUT_OF_HOURS_BASE                    (being pulled out of the working day at all)
     + integral over the minutes outside work of (1 + hours to the nearest working edge), in hours
     + NIGHT_PENALTY                        if any minute falls in their night (outside working hours).

The distance weight makes 06:00 worse than 08:00. It is capped at DISTANCE_CAP_HOURS, so a
non-night cost is below 1 + 24 * 13 = 313 even for a 24h slot, and NIGHT_PENALTY (1000) dominates
any non-night cost: nights are used only when nothing else exists. The fixed base charge makes one
person giving up an hour cheaper than two people each giving up half an hour, which is what lets the
rotation alternate ("one month early morning for one person, next month for the other").

The density is piecewise linear in time, so its running integral is piecewise quadratic; a slot's
cost is two bisections and a subtraction, not a scan of its minutes.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from domain.scheduling.calendar_math import MICROS_PER_HOUR
from domain.scheduling.intervals import Interval

NIGHT_PENALTY = 1000.0
OUT_OF_HOURS_BASE = 1.0
DISTANCE_CAP_HOURS = 12
COST_DECIMALS = 6

_CAP = DISTANCE_CAP_HOURS * MICROS_PER_HOUR
_HOUR = float(MICROS_PER_HOUR)
_CAPPED_DENSITY = 1.0 + DISTANCE_CAP_HOURS

# A piece is (start_us, density_at_start, slope_per_hour, is_working).
_Piece = tuple[int, float, float, bool]


def _gap_pieces(start: int, end: int | None, *, after_work: bool) -> list[_Piece]:
    """Density over a non-working stretch.

    ``end`` None means it never ends (after the last working interval); ``after_work`` False means it
    has no working edge on its left (before the first working interval).
    """
    if end is None:
        return [(start, 1.0, 1.0, False), (start + _CAP, _CAPPED_DENSITY, 0.0, False)]
    length = end - start
    if not after_work:
        if length > _CAP:
            return [(start, _CAPPED_DENSITY, 0.0, False), (end - _CAP, _CAPPED_DENSITY, -1.0, False)]
        return [(start, 1.0 + length / _HOUR, -1.0, False)]
    half = length // 2
    if half > _CAP:
        return [
            (start, 1.0, 1.0, False),
            (start + _CAP, _CAPPED_DENSITY, 0.0, False),
            (end - _CAP, _CAPPED_DENSITY, -1.0, False),
        ]
    return [(start, 1.0, 1.0, False), (start + half, 1.0 + (length - half) / _HOUR, -1.0, False)]


def _density_pieces(working: list[Interval], origin: int) -> list[_Piece]:
    if not working:
        return [(origin, _CAPPED_DENSITY, 0.0, False)]
    pieces: list[_Piece] = []
    previous_end: int | None = None
    for start, end in working:
        gap_start = origin if previous_end is None else previous_end
        if gap_start < start:
            pieces.extend(_gap_pieces(gap_start, start, after_work=previous_end is not None))
        pieces.append((start, 0.0, 0.0, True))
        previous_end = end
    pieces.extend(_gap_pieces(previous_end, None, after_work=True))
    # Drop zero-length pieces (a 1us gap has an empty rising half).
    return [piece for index, piece in enumerate(pieces[:-1]) if pieces[index + 1][0] > piece[0]] + pieces[-1:]


def _split_at(pieces: list[_Piece], boundaries: list[int]) -> list[_Piece]:
    """Insert breakpoints so every night edge starts a piece; the density stays continuous."""
    result: list[_Piece] = []
    k = 0
    for index, (start, density, slope, working) in enumerate(pieces):
        following = pieces[index + 1][0] if index + 1 < len(pieces) else None
        result.append((start, density, slope, working))
        while k < len(boundaries) and boundaries[k] <= start:
            k += 1
        while k < len(boundaries) and (following is None or boundaries[k] < following):
            point = boundaries[k]
            result.append((point, density + slope * (point - start) / _HOUR, slope, working))
            k += 1
    return result


class CostModel:
    """One person's cost function over a horizon; ``evaluate`` answers (cost, inside_working, in_night)."""

    __slots__ = ("_density", "_nights_before", "_prefix", "_slope", "_starts", "_working")

    def __init__(self, working: list[Interval], nights_outside_work: list[Interval], origin: int) -> None:
        boundaries = sorted({edge for interval in nights_outside_work for edge in interval})
        pieces = _split_at(_density_pieces(working, origin), boundaries)
        self._starts = [piece[0] for piece in pieces]
        self._density = [piece[1] for piece in pieces]
        self._slope = [piece[2] for piece in pieces]
        self._working = [piece[3] for piece in pieces]
        night_starts = [start for start, _ in nights_outside_work]
        prefix = [0.0]
        nights_before = [0]
        for index, (start, density, slope, _) in enumerate(pieces):
            if index + 1 < len(pieces):
                length = (pieces[index + 1][0] - start) / _HOUR
                prefix.append(prefix[-1] + density * length + slope * length * length / 2)
            position = bisect_right(night_starts, start) - 1
            is_night = position >= 0 and start < nights_outside_work[position][1]
            nights_before.append(nights_before[-1] + is_night)
        self._prefix = prefix
        self._nights_before = nights_before

    def evaluate(self, start: int, end: int) -> tuple[float, bool, bool]:
        starts = self._starts
        first = bisect_right(starts, start) - 1
        last = bisect_left(starts, end) - 1
        if first == last and self._working[first]:
            return 0.0, True, False
        offset = (start - starts[first]) / _HOUR
        before = self._prefix[first] + offset * (self._density[first] + self._slope[first] * offset * 0.5)
        offset = (end - starts[last]) / _HOUR
        until = self._prefix[last] + offset * (self._density[last] + self._slope[last] * offset * 0.5)
        in_night = self._nights_before[last + 1] > self._nights_before[first]
        cost = OUT_OF_HOURS_BASE + (until - before) + (NIGHT_PENALTY if in_night else 0.0)
        return round(cost, COST_DECIMALS), False, in_night
