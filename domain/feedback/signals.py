"""Warning signs beyond the cadence check: a low pulse score and a streak of missed meetings.

Only named (non-anonymous) pulse answers are read here: an anonymous answer has no relationship to
point at, which is the point. The signal says what triggered it, never what anyone wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from domain.feedback.models import SurveyAnswer

LOW_PULSE_AT_MOST = 2
MISSED_STREAK = 2


class RiskSignalKind(str, Enum):
    NO_RECENT_MEETING = "NO_RECENT_MEETING"
    MISSED_MEETING_STREAK = "MISSED_MEETING_STREAK"
    LOW_PULSE = "LOW_PULSE"


@dataclass(frozen=True)
class RiskSignal:
    kind: RiskSignalKind
    # The streak's length for MISSED_MEETING_STREAK, the (lowest recent) rating for LOW_PULSE.
    value: int | None = None


def streak_signals(streak: int) -> list[RiskSignal]:
    """A missed-meeting streak (missed meetings since the latest held one) long enough to worry about."""
    return [RiskSignal(RiskSignalKind.MISSED_MEETING_STREAK, streak)] if streak >= MISSED_STREAK else []


async def _latest_pulses(**where) -> dict[int, int]:
    """Per relationship, the lowest pulse rating among its members' latest named answers."""
    rows = (
        await SurveyAnswer.filter(**where, question__is_pulse=True, rating__isnull=False)
        .order_by("-response_id")
        .values_list("response__relationship_id", "response__respondent_id", "rating")
    )
    latest: dict[tuple[int, int], int] = {}
    for relationship_id, respondent_id, rating in rows:
        latest.setdefault((relationship_id, respondent_id), rating)
    lowest: dict[int, int] = {}
    for (relationship_id, _), rating in latest.items():
        lowest[relationship_id] = min(rating, lowest.get(relationship_id, rating))
    return lowest


def _low(lowest: dict[int, int]) -> dict[int, list[RiskSignal]]:
    return {
        relationship_id: [RiskSignal(RiskSignalKind.LOW_PULSE, rating)]
        for relationship_id, rating in lowest.items()
        if rating <= LOW_PULSE_AT_MOST
    }


async def pulse_signals(relationship_ids: Sequence[int]) -> dict[int, list[RiskSignal]]:
    """LOW_PULSE per relationship whose members' latest named pulse answers include a low rating."""
    if not relationship_ids:
        return {}
    return _low(await _latest_pulses(response__relationship_id__in=list(relationship_ids)))


async def pulse_signals_in_program(program_id: int) -> dict[int, list[RiskSignal]]:
    """pulse_signals for every relationship of a program, joined there rather than sent as a list of ids."""
    return _low(await _latest_pulses(response__relationship__program_id=program_id))
