"""Every analytics table as CSV, written by the csv module (quoting, line endings) rather than by hand.

Each table carries the days its figures cover (`start`, `end` columns), so an exported file read on its own
still says which whole quarters a breakdown covers and which days the rest do."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from domain.analytics import program_figures as figures
from domain.analytics.equity import EquityDimension, EquityReport
from domain.analytics.insights import ProgramInsights
from domain.analytics.intergenerational import IntergenerationalReport
from domain.analytics.network import NetworkReport
from domain.analytics.period import Period
from domain.analytics.recognition import Recognition
from domain.analytics.roi import ProgramRoi


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


def _relationship_rows(insights: ProgramInsights) -> list[tuple[str, object, bool]]:
    """(figure, value, withheld) for the relationship figures, which cover the breakdowns' quarters."""
    ttfm, cadence, goals, rematch = (
        insights.time_to_first_meeting,
        insights.cadence_adherence,
        insights.goal_completion,
        insights.rematch_rate,
    )
    position = rematch.position.value if rematch.position else None
    return [
        ("active_relationships", insights.active_relationships, insights.active_relationships is None),
        *((f"time_to_first_meeting_{name}", value, ttfm.suppressed) for name, value in (
            ("median_days", ttfm.median_days), ("mean_days", ttfm.mean_days),
            ("measured", ttfm.measured), ("waiting", ttfm.waiting))),
        *((name, value, cadence.suppressed) for name, value in (
            ("meetings_planned", cadence.of), ("meetings_held", cadence.count), ("cadence_adherence", cadence.rate))),
        *((name, value, goals.suppressed) for name, value in (
            ("goals", goals.of), ("goals_achieved", goals.count), ("goal_completion_rate", goals.rate))),
        *((name, value, rematch.suppressed) for name, value in (
            ("relationships_started", rematch.relationships), ("rematched", rematch.rematched),
            ("rematch_rate", rematch.rate), ("rematch_band", f"{rematch.band_low}-{rematch.band_high}"),
            ("rematch_position", position))),
    ]  # fmt: skip


def insights_tables(insights: ProgramInsights) -> list[CsvTable]:
    satisfaction = insights.satisfaction
    days, quarters = _days(insights.period), _days(insights.breakdowns_period)
    summary = [
        ("period_start", days[0]),
        ("period_end", days[1]),
        # The participation breakdowns, retention, mentor-hours totals and relationship figures cover these quarters.
        ("quarters_start", quarters[0]),
        ("quarters_end", quarters[1]),
        ("satisfaction_mean_rating", satisfaction.mean_rating),
        ("satisfaction_respondents", satisfaction.respondents),
        ("satisfaction_suppressed", satisfaction.suppressed),
        ("mentor_hours_total", insights.mentor_hours_total),
        ("mentors_with_hours", insights.mentors_with_hours),
    ]
    relationships = [(name, value, withheld, *quarters) for name, value, withheld in _relationship_rows(insights)]
    by = ("people", "participants", insights.breakdowns_period)
    hours = [(m.name, m.email, m.hours, *days) for m in insights.mentor_hours]
    return [
        table("summary", ("figure", "value"), summary),
        table("relationships", ("figure", "value", "suppressed", "start", "end"), relationships),
        _groups("participation_by_department", "department", insights.participation_by_department, *by),
        _groups("participation_by_level", "level", insights.participation_by_level, *by),
        _groups("participation_by_generation", "generation", insights.participation_by_generation, *by),
        _groups("retention", "group", insights.retention, "employed_at_start", "retained", insights.breakdowns_period),
        table("mentor_hours", ("mentor", "email", "hours", "start", "end"), hours),
    ]


def dimension_tables(prefix: str, dimensions: Iterable[EquityDimension], quarters: Period) -> list[CsvTable]:
    """One table per dimension: a row per shown group and figure (the equity report, intergenerational insights)."""
    header = ("group", "figure", "people", "of", "count", "value", "impact_ratio", "flagged", "suppressed", "start",
              "end")  # fmt: skip
    days = _days(quarters)
    return [
        table(
            f"{prefix}_by_{dimension.dimension}",
            header,
            [
                (row.group, name, m.people, m.of, m.count, m.value, m.impact_ratio, m.flagged, m.suppressed, *days)
                for row in dimension.groups
                for name, m in row.measures.items()
            ],
        )
        for dimension in dimensions
    ]


def equity_tables(report: EquityReport) -> list[CsvTable]:
    return dimension_tables("equity", report.dimensions, report.period)


def intergenerational_tables(report: IntergenerationalReport) -> list[CsvTable]:
    views = report.views_changed
    summary = [
        ("start", report.period.start.isoformat()),
        ("end", report.period.end.isoformat()),
        ("program_kind", report.program_kind),
        ("views_changed_answers", views.of),
        ("views_changed_yes", views.count),
        ("views_changed_rate", views.rate),
        ("views_changed_suppressed", views.suppressed),
    ]
    return [
        table("intergenerational_summary", ("figure", "value"), summary),
        *dimension_tables("intergenerational", report.dimensions, report.period),
    ]


def network_tables(report: NetworkReport) -> list[CsvTable]:
    """The network's aggregates; bridges are figures about one person each and stay out of the export."""
    days = _days(report.period) if report.period else ("", "")
    summary = [
        ("start", days[0]),
        ("end", days[1]),
        ("withheld", report.withheld),
        ("people_in_network", report.people_in_network),
        ("relationships", report.relationships),
        ("cross_department", report.cross_department),
        ("cross_department_share", report.cross_department_share),
        ("silos", "" if report.silos is None else "; ".join(report.silos)),
        ("reverse_program_relationships", report.reverse_program_relationships),
    ]
    for name, coverage in (("intergenerational", report.intergenerational), ("reverse", report.reverse)):
        summary += [(f"{name}_of", coverage.of), (f"{name}_count", coverage.count), (f"{name}_rate", coverage.rate),
                    (f"{name}_suppressed", coverage.suppressed)]  # fmt: skip
    header = ("department", "other", "relationships", "suppressed", "start", "end")
    matrix = [(m.department, m.other, m.relationships, m.suppressed, *days) for m in report.matrix]
    return [table("network_summary", ("figure", "value"), summary), table("department_matrix", header, matrix)]


def roi_table(roi: ProgramRoi) -> CsvTable:
    """The business case as figure-value rows, the assumptions first, as the answer echoes them."""
    a, costs = roi.assumptions, roi.costs
    rows: list[tuple[str, object]] = [("start", roi.period.start.isoformat()), ("end", roi.period.end.isoformat())]
    for level in a.levels:
        rows += [(f"level_{level.level}_average_annual_salary", level.average_annual_salary),
                 (f"level_{level.level}_replacement_cost_percent", level.replacement_cost_percent)]  # fmt: skip
    rows += [
        ("coordination_fte", a.coordination_fte),
        ("coordinator_annual_cost", a.coordinator_annual_cost),
        ("training_cost", a.training_cost),
        ("platform_annual_cost", a.platform_annual_cost),
        ("mentor_hourly_cost", a.mentor_hourly_cost),
    ]
    for name, turnover in (("participants", roi.participants), ("comparison", roi.comparison)):
        rows += [(f"{name}_people", turnover.people), (f"{name}_leavers", turnover.leavers),
                 (f"{name}_turnover_rate", turnover.rate), (f"{name}_suppressed", turnover.suppressed)]  # fmt: skip
    rows += [
        ("avoided_leavers", roi.avoided_leavers),
        ("savings", roi.savings),
        ("cost_coordination", costs.coordination),
        ("cost_training", costs.training),
        ("cost_platform", costs.platform),
        ("mentor_hours", costs.mentor_hours),
        ("cost_mentor_time", costs.mentor_time),
        ("cost_total", costs.total),
        ("net_benefit", roi.net_benefit),
        ("roi", roi.roi),
        ("unpriced_levels", "; ".join("none" if level is None else str(level) for level in roi.unpriced_levels)),
    ]
    return table("program_roi", ("figure", "value"), rows)


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
