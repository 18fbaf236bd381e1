"""Intergenerational impact, for reverse-mentoring programs above all (the guide: "participation by age group,
retention rates by age, promotion rates"), from self-reported age bands and generations only.

Per age band and generation, over whole calendar quarters:
- participation: of those employed in the period, how many took part in the program;
- retention: of the participants employed on the period's first day, how many were still employed after it;
- promotion: of the same participants, how many rose a level during it. Levels rise when the people
  upsert (CSV import, directory sync) changes them; each change is kept as a LevelChange from the day that
  table began, so a rate covers only rises recorded since then.
And the guide's survey question "Has this mentoring relationship changed your views about people from a
different generation?": the share of yes answers over the period's months, for the program as a whole.

Everything goes through the equity report's suppression: groups under 5, their complements, and quarters
in which 1 to 4 of a figure's people changed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from domain.access import Viewer
from domain.analytics.access import require_program_reader
from domain.analytics.equity import (
    EquityDimension,
    Tally,
    dimension_of,
    group_of,
    participation_tally,
    rate_figures,
    whole_quarters,
)
from domain.analytics.facts import ProgramFacts
from domain.analytics.loading import load_program
from domain.analytics.period import Period
from domain.analytics.program_figures import rate
from domain.analytics.suppression import blocks_are_safe, is_small
from domain.feedback.models import SurveyAnswer
from domain.feedback.templates import INTERGENERATIONAL_PROMPT
from domain.programs.models import Program

DIMENSIONS = ("age_band", "generation")
MEASURES = ("participation", "retention", "promotion")


@dataclass(frozen=True)
class ViewsChanged:
    """Yes answers (count) of the answers given (of) to the guide's question; None when suppressed."""

    of: int | None
    count: int | None
    rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class IntergenerationalReport:
    program_id: int
    program_kind: str
    period: Period
    dimensions: list[EquityDimension]
    views_changed: ViewsChanged


def _staying_and_rising(facts: ProgramFacts, period: Period, taking_part: Tally) -> tuple[Tally, Tally]:
    """Participants employed on the first day (whole) and those still employed after it, or promoted in it."""
    retention, promotion = Tally(), Tally()
    for person in facts.people.values():
        if person.id not in taking_part.part or not person.employed_on(period.start):
            continue
        for tally in (retention, promotion):
            tally.whole.add(person.id)
            tally.changed(person.id, "left", person.left_on, period)
        if person.left_on is None or person.left_on > period.end:
            retention.part.add(person.id)
        else:
            retention.changed(person.id, "left", person.left_on, period, part=True)
        for day in facts.promotions.get(person.id, ()):
            if period.start <= day <= period.end:
                promotion.part.add(person.id)
                promotion.changed(person.id, "promoted", day, period, part=True)
    # Who counts also moves with the participants' own arrivals and departures in the period.
    for tally in (retention, promotion):
        for person in tally.whole:
            tally.changes[person] |= taking_part.part_changes.get(person, set())
    return retention, promotion


def intergenerational_dimensions(facts: ProgramFacts, period: Period) -> list[EquityDimension]:
    participation = participation_tally(facts, period)
    retention, promotion = _staying_and_rising(facts, period, participation)
    tallies = {"participation": (participation, None), "retention": (retention, None), "promotion": (promotion, None)}
    return [
        dimension_of(dimension, rate_figures(tallies, group_of(dimension, facts.people)), MEASURES)
        for dimension in DIMENSIONS
    ]


async def _views_changed(program_id: int, period: Period) -> ViewsChanged:
    answers = await SurveyAnswer.filter(
        question__prompt=INTERGENERATIONAL_PROMPT,
        yes__isnull=False,
        response__template__program_id=program_id,
        response__month__gte=period.start.replace(day=1),
        response__month__lte=period.end,
    ).values_list("response__month", "yes")
    per_month = Counter(month for month, _ in answers)
    if is_small(len(answers)) or not blocks_are_safe(per_month.values()):
        return ViewsChanged(None, None, None, True)
    yes = sum(1 for _, said_yes in answers if said_yes)
    return ViewsChanged(len(answers), yes, rate(yes, len(answers)), False)


async def intergenerational_report(viewer: Viewer, *, program_id: int, period: Period) -> IntergenerationalReport:
    """For analysts, admins and the program's coordinators; aggregates only."""
    await require_program_reader(viewer, program_id)
    quarters = whole_quarters(period)
    facts = await load_program(program_id, quarters, demographics=True, meetings=False)
    kind = await Program.get(id=program_id).values_list("kind", flat=True)
    return IntergenerationalReport(
        program_id=program_id,
        program_kind=getattr(kind, "value", kind),
        period=quarters,
        dimensions=intergenerational_dimensions(facts, quarters),
        views_changed=await _views_changed(program_id, quarters),
    )
