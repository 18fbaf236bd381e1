"""When a template's survey falls due for a relationship: pure date arithmetic over plain values."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from domain.feedback.models import SurveySchedule
from domain.relationships.models import RelationshipStatus

TWO_WEEKS = datetime.timedelta(days=14)
THREE_MONTHS = datetime.timedelta(days=91)
QUARTER = datetime.timedelta(days=91)
# A survey is opened only while its occasion is recent: a template added today does not ask about a start
# two years ago, and a sweep that was down for a while does not send a backlog of stale quarters.
OPEN_WINDOW = datetime.timedelta(days=30)

CLOSED = frozenset({RelationshipStatus.COMPLETED, RelationshipStatus.ENDED_EARLY, RelationshipStatus.AUTO_CONCLUDED})
RUNNING = frozenset({RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED})


@dataclass(frozen=True)
class Occasion:
    number: int
    due_at: datetime.datetime


def due_occasion(
    schedule: SurveySchedule,
    *,
    status: RelationshipStatus,
    started_at: datetime.datetime | None,
    ended_at: datetime.datetime | None,
    now: datetime.datetime,
) -> Occasion | None:
    """The occasion of this schedule that is due now for a relationship, or None."""
    if started_at is None:
        return None
    if schedule is SurveySchedule.AT_CLOSURE:
        if status not in CLOSED or ended_at is None:
            return None
        occasion = Occasion(0, ended_at)
    elif status not in RUNNING:
        return None
    elif schedule is SurveySchedule.QUARTERLY:
        number = (now - started_at) // QUARTER
        if number < 1:
            return None
        occasion = Occasion(number, started_at + number * QUARTER)
    else:
        offset = TWO_WEEKS if schedule is SurveySchedule.TWO_WEEKS_AFTER_START else THREE_MONTHS
        occasion = Occasion(0, started_at + offset)
    if occasion.due_at > now or now - occasion.due_at > OPEN_WINDOW:
        return None
    return occasion


def started_since(schedule: SurveySchedule, now: datetime.datetime) -> datetime.datetime | None:
    """The earliest start a relationship may have to be due under a one-off schedule (None: any start)."""
    if schedule is SurveySchedule.TWO_WEEKS_AFTER_START:
        return now - TWO_WEEKS - OPEN_WINDOW
    if schedule is SurveySchedule.THREE_MONTH_CHECK_IN:
        return now - THREE_MONTHS - OPEN_WINDOW
    return None
