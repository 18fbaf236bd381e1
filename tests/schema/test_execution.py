"""The executor's direct completion (schema/execution.py) answers exactly what graphql-core's own path answers.

Each document runs twice on the same data, once as served and once with every field sent down graphql-core's
path, and the two response bodies must be byte-for-byte equal. The documents mix what may be completed
directly (attributes, ids, planned lists, __typename, aliases, fragments) with what may not (async resolvers
inside a planned list, @include/@skip, arguments, unions), at every role that reads them.
"""

from __future__ import annotations

import json

import pytest
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from bench.api import DASHBOARD, HOME
from bench.orggen import OrgSpec, generate, write_organisation
from bench.orggen_activity import ActivitySpec, write_program_activity
from domain.access import Role
from schema import execution
from tests.support import gid

HOME_MIXED = """query Mixed($all: Boolean!) {
  me { __typename name relationships {
    __typename key: id status kind startedAt allowedTransitions
    members { role joinedAt person { id name timeZone department } }
    ... on Relationship { agreement { cadence meetingMinutes signedByAll versions { number } } }
    goals { ...goal milestones { title dueOn completedAt goal @include(if: $all) { title } } }
    meetings { id start end status title location format organizer { name }
               attendees { rsvp respondedAt person { name } } }
    nextMeeting { start title }
    health { status dueBy }
    program { name }
  } }
}
fragment goal on Goal { id title status targetDate relationshipId allowedTransitions }"""

NODE_DOCUMENT = """query Node($id: ID!) {
  node(id: $id) { __typename id ... on Relationship { status members { person { name } } meetings { title } } }
}"""


@pytest.fixture
async def activity(db):
    org = generate(OrgSpec(people=60, skills=20, departments=4))
    await write_organisation(org)
    return await write_program_activity(
        org, ActivitySpec(relationships=20, home_relationships=3, meetings_per_relationship=4)
    )


async def both_ways(gql, monkeypatch, document: str, variables: dict, *, as_: str, role: Role) -> tuple[bytes, int]:
    """(the response body, how many fields took graphql-core's path) once as served; then asserts that the body
    is the same with every field on graphql-core's path."""
    token = gql.token(as_, role)
    headers = {"Authorization": f"Bearer {token}"}
    full_path = StrawberryGraphQLCoreExecutionContext.execute_field
    fallbacks = []

    def counted(self, *args):
        fallbacks.append(args[2][0].node.name.value)
        return full_path(self, *args)

    monkeypatch.setattr(StrawberryGraphQLCoreExecutionContext, "execute_field", counted)
    served = (await gql.raw(document, variables, headers=headers)).content
    monkeypatch.setattr(execution.MentorgraphExecution, "execute_field", full_path)
    assert (await gql.raw(document, variables, headers=headers)).content == served
    monkeypatch.undo()
    return served, len(fallbacks)


async def test_the_home_and_the_dashboard_answer_the_same_completed_directly(gql, monkeypatch, activity):
    home, home_fallbacks = await both_ways(gql, monkeypatch, HOME, {}, as_=activity.participant_email,
                                           role=Role.PARTICIPANT)  # fmt: skip
    relationships = json.loads(home)["data"]["me"]["relationships"]
    assert len(relationships) >= 3 and relationships[0]["meetings"]
    # Only `me` and `relationships` (async resolvers) take graphql-core's path: the rest is completed directly.
    assert home_fallbacks == 2
    variables = {"program": gid("Program", activity.program_id)}
    dashboard, _ = await both_ways(gql, monkeypatch, DASHBOARD, variables, as_=activity.coordinator_email,
                                   role=Role.COORDINATOR)  # fmt: skip
    assert json.loads(dashboard)["data"]["relationships"]["edges"]


@pytest.mark.parametrize("include", [True, False])
async def test_a_planned_list_with_fields_not_planned_answers_the_same(gql, monkeypatch, activity, include):
    body, fallbacks = await both_ways(gql, monkeypatch, HOME_MIXED, {"all": include}, as_=activity.participant_email,
                                      role=Role.PARTICIPANT)  # fmt: skip
    data = json.loads(body)
    assert "errors" not in data, data
    mine = data["data"]["me"]["relationships"][0]
    assert mine["__typename"] == "Relationship" and mine["meetings"][0]["organizer"]["name"]
    assert ("goal" in mine["goals"][0]["milestones"][0]) is include
    assert fallbacks > 2, "organizer, program and the @include field go down graphql-core's path"


async def test_what_a_coordinator_sees_in_a_member_home_document_is_the_same(gql, monkeypatch, activity):
    # A coordinator reading a relationship through node(): not planned, masked fields (titles) null.
    member = {"Authorization": f"Bearer {gql.token(activity.participant_email)}"}
    home = json.loads((await gql.raw(HOME, {}, headers=member)).content)
    relationship_id = home["data"]["me"]["relationships"][0]["id"]
    for who, role in ((activity.coordinator_email, Role.COORDINATOR), (activity.participant_email, Role.PARTICIPANT)):
        body, _ = await both_ways(gql, monkeypatch, NODE_DOCUMENT, {"id": relationship_id}, as_=who, role=role)
        node = json.loads(body)["data"]["node"]
        assert node is None or node["__typename"] == "Relationship"
