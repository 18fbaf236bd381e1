"""Goal, reflection and agreement lists cost the same number of SQL statements however many rows they hold."""

from __future__ import annotations

import contextlib
import logging

from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_relationships import (
    make_goal,
    make_milestone,
    make_pair,
    make_progress,
    make_reflection,
)
from tests.support import gid

MY_GOALS = """
{
  me {
    goals { title relationshipId owner { name } milestones { title } progress { note author { name } } percent }
    reflections { body author { name } }
  }
}
"""
AGREEMENT_FIELDS = """
  cadence confidentiality signedByAll awaitingSignatureFrom { name }
  topics { topic teacher { name } } goals { title }
  versions { number signatures { person { name } } }
"""


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.statements = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.statements += 1


@contextlib.contextmanager
def counting_statements():
    """Counts the statements Tortoise sends (it logs each one at DEBUG on 'tortoise.db_client')."""
    logger = logging.getLogger("tortoise.db_client")
    counter, level = _Counter(), logger.level
    logger.addHandler(counter)
    logger.setLevel(logging.DEBUG)
    try:
        yield counter
    finally:
        logger.removeHandler(counter)
        logger.setLevel(level)


async def _mentee_with_relationships(count: int):
    mentee = await make_person(name="Ben")
    program = await make_program()
    relationships = []
    for n in range(count):
        relationship, _ = await make_pair(
            await make_person(name=f"Mentor {n}"), mentee, program=program, status=RelationshipStatus.ACTIVE
        )
        goal = await make_goal(mentee, relationship=relationship, title=f"Goal {n}")
        await make_milestone(goal)
        await make_milestone(goal, title="Second step")
        await make_progress(goal, mentee)
        await make_reflection(mentee, relationship=relationship, shared=n % 2 == 0)
        relationships.append(relationship)
    return mentee, relationships


async def _statements(gql, query: str, who) -> int:
    with counting_statements() as counter:
        await gql(query, as_=who)
    return counter.statements


async def test_my_goals_and_reflections_cost_the_same_for_2_and_20_relationships(gql, db):
    few, _ = await _mentee_with_relationships(2)
    few_count = await _statements(gql, MY_GOALS, few)
    many, _ = await _mentee_with_relationships(20)

    many_count = await _statements(gql, MY_GOALS, many)

    assert 0 < few_count == many_count
    data = await gql(MY_GOALS, as_=many)
    assert len(data["me"]["goals"]) == 20 and len(data["me"]["reflections"]) == 20


async def test_agreements_of_many_relationships_in_one_request_are_loaded_in_batches(gql, db):
    mentee, relationships = await _mentee_with_relationships(10)

    def query(count: int) -> str:
        fields = "".join(
            f' a{n}: agreement(relationshipId: "{gid("Relationship", r.id)}") {{ {AGREEMENT_FIELDS} }}'
            for n, r in enumerate(relationships[:count])
        )
        return "{" + fields + "}"

    two, ten = await _statements(gql, query(2), mentee), await _statements(gql, query(10), mentee)
    assert 0 < two == ten
