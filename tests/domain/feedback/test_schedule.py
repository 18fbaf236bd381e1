"""When a survey falls due: pure date arithmetic per schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from domain.feedback.models import SurveySchedule
from domain.feedback.schedule import OPEN_WINDOW, due_occasion
from domain.relationships.models import RelationshipStatus

START = datetime(2026, 1, 5, 9, tzinfo=UTC)


def due(schedule, now, *, status=RelationshipStatus.ACTIVE, ended_at=None):
    return due_occasion(schedule, status=status, started_at=START, ended_at=ended_at, now=now)


def test_two_weeks_after_start_is_due_from_day_fourteen_until_the_window_closes():
    assert due(SurveySchedule.TWO_WEEKS_AFTER_START, START + timedelta(days=13)) is None
    occasion = due(SurveySchedule.TWO_WEEKS_AFTER_START, START + timedelta(days=14))
    assert (occasion.number, occasion.due_at) == (0, START + timedelta(days=14))
    assert due(SurveySchedule.TWO_WEEKS_AFTER_START, START + timedelta(days=14) + OPEN_WINDOW + timedelta(1)) is None


def test_three_month_check_in_waits_ninety_one_days():
    assert due(SurveySchedule.THREE_MONTH_CHECK_IN, START + timedelta(days=90)) is None
    assert due(SurveySchedule.THREE_MONTH_CHECK_IN, START + timedelta(days=91)).due_at == START + timedelta(days=91)


def test_quarterly_numbers_each_quarter_since_the_start():
    assert due(SurveySchedule.QUARTERLY, START + timedelta(days=60)) is None
    second = due(SurveySchedule.QUARTERLY, START + timedelta(days=2 * 91 + 3))
    assert (second.number, second.due_at) == (2, START + timedelta(days=182))


def test_at_closure_is_due_when_the_relationship_ended_and_not_while_it_runs():
    ended = START + timedelta(days=100)
    assert due(SurveySchedule.AT_CLOSURE, ended + timedelta(days=1)) is None
    occasion = due(
        SurveySchedule.AT_CLOSURE, ended + timedelta(days=1), status=RelationshipStatus.COMPLETED, ended_at=ended
    )
    assert occasion.due_at == ended


def test_a_closed_or_proposed_relationship_gets_no_running_survey():
    now = START + timedelta(days=15)
    assert due(SurveySchedule.TWO_WEEKS_AFTER_START, now, status=RelationshipStatus.ENDED_EARLY) is None
    proposed = dict(status=RelationshipStatus.PROPOSED, started_at=None, ended_at=None, now=now)
    assert due_occasion(SurveySchedule.TWO_WEEKS_AFTER_START, **proposed) is None
