"""A small cohort to match over GraphQL, and the documents the matching tests send."""

from __future__ import annotations

from dataclasses import dataclass

from domain.matching import service
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, Program, ProgramStatus
from domain.skills.models import PersonSkill, SkillDirection
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person, make_skill, make_working_week

RUN = """
mutation Run($input: RunMatchingInput!) {
  runMatching(input: $input) {
    __typename
    ... on RunMatchingPayload { run { id status } }
    ... on Error { message field code }
  }
}
"""

RUN_DETAIL = """
query Run($id: ID!) {
  node(id: $id) {
    ... on MatchRun {
      status totalScore matchedCount failure
      certificate { primal dual provenOptimal rounds }
      inputs
      unmatched { person { name } role reason }
      proposals { id status score locked mentor { name } mentee { name } breakdown { name value points } }
      audit { groups { group } dimensions { dimension role reportedGroups suppressedGroups } }
    }
  }
}
"""

DECIDE = """
mutation Decide($input: ProposalInput!) {
  approveProposal(input: $input) {
    __typename
    ... on ProposalPayload { proposal { id status } }
    ... on Error { message field }
  }
}
"""

PUBLISH = """
mutation Publish($input: PublishMatchRunInput!) {
  publishMatchRun(input: $input) {
    __typename
    ... on PublishMatchRunPayload {
      published { id status mentor { name } mentee { name } relationship { id status } }
      refused { id status refusalReason mentee { name } }
    }
    ... on Error { message field }
  }
}
"""


@dataclass
class Cohort:
    coordinator: Person
    program: Program
    people: dict[str, Person]


async def teaches(person: Person, skill, proficiency: int) -> None:
    await PersonSkill.create(person=person, skill=skill, direction=SkillDirection.TEACH, proficiency=proficiency)


async def learns(person: Person, skill, proficiency: int) -> None:
    await PersonSkill.create(person=person, skill=skill, direction=SkillDirection.LEARN, proficiency=proficiency)


async def cohort(status: ProgramStatus = ProgramStatus.MATCHING) -> Cohort:
    """Mara teaches Python (1 place), Mo teaches negotiation (2 places); Milo and Ola want Python, Nia
    negotiation. Mara has one place for two Python learners: someone is left out."""
    cora = await make_person(name="Cora")
    program = await program_run_by(cora, status=status)
    python, negotiation = await make_skill("Python"), await make_skill("Negotiation")
    people = {
        "Mara": await enrolled(program, EnrollmentRole.MENTOR, capacity=1, name="Mara", level=6, department="Data"),
        "Mo": await enrolled(program, EnrollmentRole.MENTOR, capacity=2, name="Mo", level=7, department="Sales"),
        "Milo": await enrolled(program, name="Milo", level=2, department="Design"),
        "Ola": await enrolled(program, name="Ola", level=3, department="Data"),
        "Nia": await enrolled(program, name="Nia", level=2, department="Legal"),
    }
    for person in people.values():
        await make_working_week(person)
    await teaches(people["Mara"], python, 5)
    await teaches(people["Mo"], negotiation, 4)
    await learns(people["Milo"], python, 1)
    await learns(people["Ola"], python, 2)
    await learns(people["Nia"], negotiation, 2)
    return Cohort(cora, program, people)


async def finished_run(gql, run_id: str, coordinator: Person) -> dict:
    """The run once its background work is done, as its coordinator reads it."""
    from domain.access import Role

    await service.wait_for_runs()
    return (await gql(RUN_DETAIL, {"id": run_id}, as_=coordinator, role=Role.COORDINATOR))["node"]
