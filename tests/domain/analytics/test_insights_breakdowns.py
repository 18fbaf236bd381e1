"""programInsights' participation breakdowns at the edge: a department of four is withheld, of five shown.

Over the first quarter of 2026, everyone employed since 2025: Engineering of ten (five taking part, enrolled
in December 2025) and Sales of `sales` (none taking part); nothing changes in the quarter.
"""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.analytics.equity import participation_tally
from domain.analytics.facts import EnrollmentFacts, PersonFacts, ProgramFacts
from domain.analytics.insights import participation_breakdowns
from domain.analytics.period import Period
from domain.analytics.program_figures import GroupRate

QUARTER = Period(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
ENROLLED = datetime.datetime(2025, 12, 1, tzinfo=UTC)


def organisation(sales: int) -> ProgramFacts:
    people = {pid: PersonFacts(pid, "Engineering", 3, datetime.date(2025, 1, 1), None) for pid in range(1, 11)}
    people.update({pid: PersonFacts(pid, "Sales", 4, datetime.date(2025, 1, 1), None) for pid in range(11, 11 + sales)})
    enrollments = [EnrollmentFacts(p, "MENTEE", "ACTIVE", ENROLLED) for p in range(1, 6)]
    return ProgramFacts(people=people, enrollments=enrollments)


@pytest.mark.parametrize("sales", [4, 5])
def test_a_department_of_four_is_withheld_with_its_complement_and_of_five_shown(sales):
    facts = organisation(sales)
    by_department = participation_breakdowns(participation_tally(facts, QUARTER), facts)["department"]

    if sales == 4:
        # Sales alone hidden would be the total less Engineering: both go
        assert by_department == [
            GroupRate("Engineering", None, None, None, True),
            GroupRate("Sales", None, None, None, True),
        ]
    else:
        assert by_department == [
            GroupRate("Engineering", 10, 5, 0.5, False),
            GroupRate("Sales", 5, 0, 0.0, False),
        ]
