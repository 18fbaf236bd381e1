"""Who reads and writes what around one relationship: every sensitive field and mutation x every role.

One world per test: Maria mentors Ben in a program Cora coordinates. Ben owns a goal (with a milestone and
progress) and wrote a private and a shared reflection. Around them: another participant, the coordinator of
another program, an analyst and an admin — none of them members. Reads run per role; writes per mutation,
denied roles first (each inside assert_unchanged), then the allowed ones, which must write something.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from domain.access import Role, Viewer
from domain.agreements.service import amend_agreement
from domain.goals.models import Goal, Milestone, Reflection
from domain.meetings.feed import rotate_feed
from domain.people.models import Person
from domain.relationships.models import Relationship, RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_relationships import make_goal, make_milestone, make_pair, make_progress, make_reflection
from tests.schema.authorization import (
    MEMBERS,
    OVERSEERS,
    OWNER,
    PARTNER,
    ROLES,
    Read,
    Write,
    assert_write_matrix,
    cast_around,
    overseers_see,
    wrong_reads,
)
from tests.support import gid

FEED_MADE = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)


@dataclass
class World:
    people: dict[str, tuple[Person, Role]]
    relationship: Relationship
    goal: Goal
    milestone: Milestone
    private_reflection: Reflection
    shared_reflection: Reflection

    @property
    def owner(self) -> Person:
        return self.people[OWNER][0]


async def build_world() -> World:
    mentee, mentor = await make_person(name="Ben"), await make_person(name="Maria")
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    program = await make_program(coordinators=[cora])
    await make_program(coordinators=[dan])
    relationship, _ = await make_pair(mentor, mentee, program=program, status=RelationshipStatus.ACTIVE)
    await amend_agreement(
        Viewer(email=mentor.email, role=Role.PARTICIPANT, person_id=mentor.id),
        relationship_id=relationship.id,
        expected_version=1,
        changes={"confidentiality": "Stays between us."},
    )
    goal = await make_goal(mentee, relationship=relationship, title="Negotiate a raise", description="By Q3")
    milestone = await make_milestone(goal, title="Research pay bands")
    await make_progress(goal, mentee, note="Talked to HR", percent=30)
    await rotate_feed(Viewer(email=mentee.email, role=Role.PARTICIPANT, person_id=mentee.id), now=FEED_MADE)
    return World(
        people=await cast_around(owner=mentee, partner=mentor, coordinator=cora, other_coordinator=dan),
        relationship=relationship,
        goal=goal,
        milestone=milestone,
        private_reflection=await make_reflection(mentee, relationship=relationship, body="Nervous about it."),
        shared_reflection=await make_reflection(mentee, relationship=relationship, body="Great session.", shared=True),
    )


def ids(world: World) -> dict[str, str]:
    return {
        "relationship": gid("Relationship", world.relationship.id),
        "goal": gid("Goal", world.goal.id),
        "milestone": gid("Milestone", world.milestone.id),
        "private": gid("Reflection", world.private_reflection.id),
        "shared": gid("Reflection", world.shared_reflection.id),
        "owner": gid("Person", world.owner.id),
    }


READS = [
    Read(
        "agreement terms",
        "query($relationship: ID!) { agreement(relationshipId: $relationship) { currentVersion cadence endsOn } }",
        MEMBERS | OVERSEERS,
        {"agreement": {"currentVersion": 2, "cadence": "MONTHLY", "endsOn": "2026-09-02"}},
        {"agreement": None},
    ),
    Read(
        "agreement wording",
        "query($relationship: ID!) { agreement(relationshipId: $relationship) { confidentiality topics { topic } } }",
        MEMBERS,
        {"agreement": {"confidentiality": "Stays between us.", "topics": []}},
        {"agreement": None},
        partial=overseers_see({"agreement": {"confidentiality": None, "topics": None}}),
    ),
    Read(
        "goal title and description",
        "query($goal: ID!) { goal(id: $goal) { title description successCriteria } }",
        MEMBERS,
        {"goal": {"title": "Negotiate a raise", "description": "By Q3", "successCriteria": "Team signs off"}},
        {"goal": None},
    ),
    Read(
        "goal through node",
        "query($goal: ID!) { node(id: $goal) { ... on Goal { title } } }",
        MEMBERS,
        {"node": {"title": "Negotiate a raise"}},
        {"node": None},
    ),
    Read(
        "milestone titles",
        "query($goal: ID!, $milestone: ID!) { goal(id: $goal) { milestones { title } }"
        " node(id: $milestone) { ... on Milestone { title } } }",
        MEMBERS,
        {"goal": {"milestones": [{"title": "Research pay bands"}]}, "node": {"title": "Research pay bands"}},
        {"goal": None, "node": None},
    ),
    Read(
        "progress notes",
        "query($goal: ID!) { goal(id: $goal) { progress { note percent } } }",
        MEMBERS,
        {"goal": {"progress": [{"note": "Talked to HR", "percent": 30}]}},
        {"goal": None},
    ),
    Read(
        "relationship goals with texts",
        "query($relationship: ID!) { relationship(id: $relationship) { goals { title } } }",
        MEMBERS,
        {"relationship": {"goals": [{"title": "Negotiate a raise"}]}},
        {"relationship": None},
        partial=overseers_see({"relationship": {"goals": None}}),
    ),
    Read(
        "goal summary",
        "query($relationship: ID!) { relationship(id: $relationship) { goalSummary { total notStarted inProgress } } }",
        MEMBERS | OVERSEERS,
        {"relationship": {"goalSummary": {"total": 1, "notStarted": 1, "inProgress": 0}}},
        {"relationship": None},
    ),
    Read(
        "private reflection body",
        "query($private: ID!) { reflection(id: $private) { body } node(id: $private) { ... on Reflection { body } } }",
        {OWNER},
        {"reflection": {"body": "Nervous about it."}, "node": {"body": "Nervous about it."}},
        {"reflection": None, "node": None},
    ),
    Read(
        "shared reflection body",
        "query($shared: ID!, $relationship: ID!) { reflection(id: $shared) { body }"
        " relationship(id: $relationship) { sharedReflections { body } } }",
        MEMBERS,
        {"reflection": {"body": "Great session."}, "relationship": {"sharedReflections": [{"body": "Great session."}]}},
        {"reflection": None, "relationship": None},
        partial=overseers_see({"reflection": None, "relationship": {"sharedReflections": None}}),
    ),
    Read(
        "a person's goals and reflections",
        "query($owner: ID!) { person(id: $owner) { goals { title } reflections { body } } }",
        {OWNER},
        {
            "person": {
                "goals": [{"title": "Negotiate a raise"}],
                "reflections": [{"body": "Nervous about it."}, {"body": "Great session."}],
            }
        },
        {"person": {"goals": None, "reflections": None}},
    ),
    Read(
        "a person's calendar feed",
        "query($owner: ID!) { person(id: $owner) { calendarFeed { createdAt } } }",
        {OWNER},
        {"person": {"calendarFeed": {"createdAt": FEED_MADE.isoformat()}}},
        {"person": {"calendarFeed": None}},
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may(gql, db, role):
    world = await build_world()
    wrong = await wrong_reads(gql, READS, ids(world), role, world.people)
    assert not wrong, "\n".join(wrong)


async def _fresh_milestone(world: World) -> str:
    return gid("Milestone", (await make_milestone(world.goal, title="Another step")).id)


async def _fresh_private_reflection(world: World) -> str:
    reflection = await make_reflection(world.owner, relationship=world.relationship)
    return gid("Reflection", reflection.id)


async def _current_version(world: World) -> int:
    from domain.agreements.models import Agreement

    return (await Agreement.get(relationship_id=world.relationship.id)).current_version


async def _input_for(mutation: str, world: World) -> dict:
    relationship, goal = gid("Relationship", world.relationship.id), gid("Goal", world.goal.id)
    match mutation:
        case "amendAgreement":
            return {
                "relationshipId": relationship,
                "expectedVersion": await _current_version(world),
                "meetingMinutes": 30,
            }
        case "signAgreement":
            return {"relationshipId": relationship, "version": await _current_version(world)}
        case "createGoal":
            return {"title": "Mentor a new hire", "relationshipId": relationship}
        case "updateGoal":
            return {"goalId": goal, "title": "Negotiate a bigger raise"}
        case "addMilestone":
            return {"goalId": goal, "title": "Practise the pitch", "dueOn": datetime.date(2026, 6, 1).isoformat()}
        case "completeMilestone":
            return {"milestoneId": await _fresh_milestone(world)}
        case "recordGoalProgress":
            return {"goalId": goal, "percent": 50, "note": "Pitch drafted"}
        case "writeReflection":
            return {"body": "Noted.", "relationshipId": relationship}
        case "shareReflection":
            return {"reflectionId": await _fresh_private_reflection(world)}
    raise AssertionError(mutation)


def goal_write(
    mutation: str, input_type: str, allowed: tuple[str, ...], denied: str, denied_as: dict[str, str] | None = None
) -> Write:
    """One of this matrix's writes, its fresh input made by `_input_for`."""
    return Write(
        mutation,
        input_type,
        allowed,
        prepare=lambda world: _input_for(mutation, world),
        denied=denied,
        denied_as=denied_as or {},
    )


BOTH = (OWNER, PARTNER)
WRITES = [
    goal_write("amendAgreement", "AmendAgreementInput", BOTH, "PermissionDeniedError"),
    goal_write("signAgreement", "SignAgreementInput", BOTH, "PermissionDeniedError"),
    goal_write("createGoal", "CreateGoalInput", BOTH, "PermissionDeniedError"),
    goal_write("updateGoal", "UpdateGoalInput", (OWNER,), "NotFoundError", {PARTNER: "PermissionDeniedError"}),
    goal_write("addMilestone", "AddMilestoneInput", BOTH, "NotFoundError"),
    goal_write("completeMilestone", "CompleteMilestoneInput", BOTH, "NotFoundError"),
    goal_write("recordGoalProgress", "RecordGoalProgressInput", BOTH, "NotFoundError"),
    goal_write("writeReflection", "WriteReflectionInput", BOTH, "PermissionDeniedError"),
    goal_write("shareReflection", "ShareReflectionInput", (OWNER,), "NotFoundError"),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.mutation)
async def test_each_mutation_is_open_to_its_roles_only_and_a_denial_writes_nothing(gql, db, write):
    await assert_write_matrix(gql, write, await build_world())
