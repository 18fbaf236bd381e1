"""Every analytics table as CSV, written by the csv module (quoting, line endings) rather than by hand.

Each table carries the days its figures cover (`start`, `end` columns), so an exported file read on its own
still says which whole quarters a breakdown covers and which days the rest do."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.analytics import program_figures as figures
from domain.analytics.equity import EquityReport
from domain.analytics.insights import ProgramInsights
from domain.analytics.period import Period
from domain.analytics.recognition import Recognition


@dataclass(frozen=True)
class CsvTable:
    name: str
    content: str


def table(name: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> CsvTable:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return CsvTable(name, buffer.getvalue())


def _days(period: Period) -> tuple[str, str]:
    return period.start.isoformat(), period.end.isoformat()


def _groups(
    name: str, dimension: str, rows: list[figures.GroupRate], whole: str, part: str, period: Period
) -> CsvTable:
    header = (dimension, whole, part, "rate", "suppressed", "start", "end")
    return table(name, header, [(r.group, r.whole, r.part, r.rate, r.suppressed, *_days(period)) for r in rows])


def insights_tables(insights: ProgramInsights) -> list[CsvTable]:
    ttfm, cadence, goals = insights.time_to_first_meeting, insights.cadence_adherence, insights.goal_completion
    satisfaction, rematch = insights.satisfaction, insights.rematch_rate
    days, quarters = _days(insights.period), _days(insights.breakdowns_period)
    summary = [
        ("period_start", days[0]),
        ("period_end", days[1]),
        # The participation breakdowns, retention and mentor-hours totals cover these whole quarters.
        ("quarters_start", quarters[0]),
        ("quarters_end", quarters[1]),
        ("active_relationships", insights.active_relationships),
        ("time_to_first_meeting_median_days", ttfm.median_days),
        ("time_to_first_meeting_mean_days", ttfm.mean_days),
        ("time_to_first_meeting_measured", ttfm.measured),
        ("time_to_first_meeting_waiting", ttfm.waiting),
        ("meetings_planned", cadence.of),
        ("meetings_held", cadence.count),
        ("cadence_adherence", cadence.rate),
        ("goals", goals.of),
        ("goals_achieved", goals.count),
        ("goal_completion_rate", goals.rate),
        ("satisfaction_mean_rating", satisfaction.mean_rating),
        ("satisfaction_respondents", satisfaction.respondents),
        ("satisfaction_suppressed", satisfaction.suppressed),
        ("relationships_started", rematch.relationships),
        ("rematched", rematch.rematched),
        ("rematch_rate", rematch.rate),
        ("rematch_band", f"{rematch.band_low}-{rematch.band_high}"),
        ("rematch_position", rematch.position.value),
        ("mentor_hours_total", insights.mentor_hours_total),
        ("mentors_with_hours", insights.mentors_with_hours),
    ]
    by = ("people", "participants", insights.breakdowns_period)
    hours = [(m.name, m.email, m.hours, *days) for m in insights.mentor_hours]
    return [
        table("summary", ("figure", "value"), summary),
        _groups("participation_by_department", "department", insights.participation_by_department, *by),
        _groups("participation_by_level", "level", insights.participation_by_level, *by),
        _groups("participation_by_generation", "generation", insights.participation_by_generation, *by),
        _groups("retention", "group", insights.retention, "employed_at_start", "retained", insights.breakdowns_period),
        table("mentor_hours", ("mentor", "email", "hours", "start", "end"), hours),
    ]


def equity_tables(report: EquityReport) -> list[CsvTable]:
    """One table per dimension: a row per shown group and figure."""
    header = ("group", "figure", "people", "of", "count", "value", "impact_ratio", "flagged", "suppressed", "start",
              "end")  # fmt: skip
    quarters = _days(report.period)
    return [
        table(
            f"equity_by_{dimension.dimension}",
            header,
            [
                (row.group, name, m.people, m.of, m.count, m.value, m.impact_ratio, m.flagged, m.suppressed, *quarters)
                for row in dimension.groups
                for name, m in row.measures.items()
            ],
        )
        for dimension in report.dimensions
    ]


def recognition_table(value: Recognition) -> CsvTable:
    """A mentor's figures per program and in total, headed by who and when, for a performance review."""
    header = ("mentor", "email", "start", "end", "program", "hours_mentored", "relationships_completed",
              "mentee_goals_met")  # fmt: skip
    who = (value.name, value.email, value.period.start.isoformat(), value.period.end.isoformat())
    rows = [
        (*who, p.program_name, p.hours_mentored, p.relationships_completed, p.mentee_goals_met) for p in value.programs
    ]
    rows.append((*who, "ALL", value.hours_mentored, value.relationships_completed, value.mentee_goals_met))
    return table("mentor_recognition", header, rows)
