"""intergenerationalInsights on a hand-computed reverse-mentoring program, and the level history behind promotion.

Employed since June 2025: Gen Z g0-g9, Baby Boomers b0-b9, and five who gave no generation (the coordinator
among them). In the REVERSE program since December 2025: g0-g9 and b0-b4. In the first quarter of 2026
g0-g4 leave (15 February) and b0-b4 rise a level (1 February). Five answers to the guide's question, four yes.
- participation: Gen Z 10/10, Boomers 5/10 (0.5, flagged)
- retention: Gen Z 5/10 (0.5, flagged), Boomers 5/5
- promotion: Gen Z 0/10 (0.0, flagged), Boomers 5/5
"""

from __future__ import annotations

import csv
import datetime
import io
from datetime import UTC

import pytest

from domain.access import Role
from domain.analytics.models import LevelChange
from domain.feedback.models import SurveyAnswer, SurveyResponse
from domain.feedback.templates import intergenerational_question
from domain.people.importer import import_people_csv
from domain.people.models import Demographics, Generation, Person
from domain.programs.models import Enrollment, EnrollmentStatus, ProgramKind
from tests.factories import make_enrollment, make_person, make_program
from tests.factories_feedback import make_template
from tests.support import gid

INSIGHTS = """
query I($program: ID!, $period: PeriodInput!) {
  intergenerationalInsights(programId: $program, period: $period) {
    __typename
    ... on IntergenerationalInsights {
      programKind start end
      dimensions {
        dimension suppressedGroups
        groups {
          group
          participation { people of count value impactRatio flagged suppressed }
          retention { people of count value impactRatio flagged suppressed }
          promotion { people of count value impactRatio flagged suppressed }
        }
      }
      viewsChanged { of count rate suppressed }
      csv { name content }
    }
    ... on Error { code field }
  }
}
"""
QUARTER = {"start": "2026-01-01", "end": "2026-03-31"}


def measure(people, count, value, ratio, flagged):
    return dict(people=people, of=people, count=count, value=value, impactRatio=ratio, flagged=flagged,
                suppressed=False)  # fmt: skip


@pytest.fixture
async def program(db):
    cora = await make_person(name="Cora")
    gen_z = [await make_person(name=f"g{i}") for i in range(10)]
    boomers = [await make_person(name=f"b{i}") for i in range(10)]
    for i in range(4):
        await make_person(name=f"u{i}")
    await Person.all().update(created_at=datetime.datetime(2025, 6, 1, tzinfo=UTC))
    for people, generation in ((gen_z, Generation.GEN_Z), (boomers, Generation.BABY_BOOMER)):
        for person in people:
            await Demographics.create(person=person, generation=generation)
    await Person.filter(id__in=[p.id for p in gen_z[:5]]).update(is_active=False, left_on=datetime.date(2026, 2, 15))
    for person in boomers[:5]:
        await LevelChange.create(person=person, from_level=3, to_level=4, changed_on=datetime.date(2026, 2, 1))
    program = await make_program(coordinators=[cora], kind=ProgramKind.REVERSE)
    for person in (*gen_z, *boomers[:5]):
        await make_enrollment(person, program, status=EnrollmentStatus.ACTIVE)
    await Enrollment.all().update(created_at=datetime.datetime(2025, 12, 15, tzinfo=UTC))
    template = await make_template(program, questions=[intergenerational_question()])
    question = await template.questions.all().first()
    for yes in (True, True, False, True, True):
        response = await SurveyResponse.create(template=template, month=datetime.date(2026, 2, 1))
        await SurveyAnswer.create(response=response, question=question, yes=yes)
    return dict(program=program, cora=cora)


async def _insights(gql, program, role=Role.ANALYST):
    variables = {"program": gid("Program", program["program"].id), "period": QUARTER}
    return (await gql(INSIGHTS, variables, as_=program["cora"], role=role))["intergenerationalInsights"]


async def test_participation_retention_and_promotion_by_generation_match_the_hand_computed_quarter(gql, program):
    insights = await _insights(gql, program)

    assert (insights["programKind"], insights["start"], insights["end"]) == ("REVERSE", "2026-01-01", "2026-03-31")
    dimensions = {d["dimension"]: d for d in insights["dimensions"]}
    assert dimensions["AGE_BAND"] == {"dimension": "AGE_BAND", "suppressedGroups": 0, "groups": []}
    assert dimensions["GENERATION"]["groups"] == [
        {
            "group": "BABY_BOOMER",
            "participation": measure(10, 5, 0.5, 0.5, True),
            "retention": measure(5, 5, 1.0, 1.0, False),
            "promotion": measure(5, 5, 1.0, 1.0, False),
        },
        {
            "group": "GEN_Z",
            "participation": measure(10, 10, 1.0, 1.0, False),
            "retention": measure(10, 5, 0.5, 0.5, True),
            "promotion": measure(10, 0, 0.0, 0.0, True),
        },
    ]
    assert insights["viewsChanged"] == {"of": 5, "count": 4, "rate": 0.8, "suppressed": False}


async def test_every_table_exports_as_csv_with_its_quarters(gql, program):
    tables = {t["name"]: t["content"] for t in (await _insights(gql, program))["csv"]}

    assert sorted(tables) == [
        "intergenerational_by_age_band",
        "intergenerational_by_generation",
        "intergenerational_summary",
    ]
    summary = dict(csv.reader(io.StringIO(tables["intergenerational_summary"])))
    assert (summary["start"], summary["end"], summary["views_changed_rate"]) == ("2026-01-01", "2026-03-31", "0.8")
    rows = list(csv.reader(io.StringIO(tables["intergenerational_by_generation"])))
    assert rows[0][-2:] == ["start", "end"]
    assert ["GEN_Z", "retention", "10", "10", "5", "0.5", "0.5", "True", "False", "2026-01-01", "2026-03-31"] in rows


async def test_four_answers_to_the_views_question_are_suppressed(gql, program):
    last = await SurveyResponse.all().order_by("-id").first()
    await SurveyAnswer.filter(response=last).delete()
    await last.delete()

    views = (await _insights(gql, program))["viewsChanged"]

    assert views == {"of": None, "count": None, "rate": None, "suppressed": True}


async def test_a_participant_may_not_read_them(gql, program):
    result = await _insights(gql, program, role=Role.PARTICIPANT)

    assert (result["__typename"], result["field"]) == ("PermissionDeniedError", "programId")


async def test_the_people_import_records_each_level_change_it_makes(db):
    await import_people_csv("email,name,level\nana@acme.example,Ana,3\nben@acme.example,Ben,\n")
    # a new person's first level is no change; a rise and an unchanged level
    assert await LevelChange.all().count() == 0

    await import_people_csv("email,level\nana@acme.example,5\nben@acme.example,2\n")
    await import_people_csv("email,level\nana@acme.example,5\n")

    rows = await LevelChange.all().order_by("id").values_list("person__email", "from_level", "to_level", "changed_on")
    today = datetime.datetime.now(UTC).date()
    assert rows == [("ana@acme.example", 3, 5, today), ("ben@acme.example", None, 2, today)]
