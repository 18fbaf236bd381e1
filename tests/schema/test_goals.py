"""createGoal, updateGoal, addMilestone, completeMilestone, recordGoalProgress, and goal reads, over HTTP."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role, Viewer
from domain.agreements.service import amend_agreement
from domain.goals.models import Goal, GoalStatus, Milestone
from domain.relationships.models import Relationship, RelationshipStatus
from tests.factories import make_person
from tests.factories_relationships import NOW, make_goal, make_milestone, make_pair
from tests.support import assert_unchanged, gid

GOAL_FIELDS = "id title description successCriteria targetDate status achievedAt relationshipId owner { name }"
RESULT = """
    __typename
    ... on Error { message code field }
"""

CREATE = f"""
mutation Create($input: CreateGoalInput!) {{
  createGoal(input: $input) {{ {RESULT} ... on GoalPayload {{ goal {{ {GOAL_FIELDS} }} }} }}
}}
"""
UPDATE = f"""
mutation Update($input: UpdateGoalInput!) {{
  updateGoal(input: $input) {{ {RESULT} ... on GoalPayload {{ goal {{ {GOAL_FIELDS} allowedTransitions }} }} }}
}}
"""
ADD_MILESTONE = f"""
mutation Add($input: AddMilestoneInput!) {{
  addMilestone(input: $input) {{
    {RESULT} ... on MilestonePayload {{ milestone {{ id title dueOn completedAt }} goal {{ milestones {{ title }} }} }}
  }}
}}
"""
COMPLETE_MILESTONE = f"""
mutation Complete($input: CompleteMilestoneInput!) {{
  completeMilestone(input: $input) {{
    {RESULT} ... on MilestonePayload {{ milestone {{ completedAt }} goal {{ status }} }}
  }}
}}
"""
RECORD = f"""
mutation Record($input: RecordGoalProgressInput!) {{
  recordGoalProgress(input: $input) {{
    {RESULT}
    ... on RecordGoalProgressPayload {{
      progress {{ note percent author {{ name }} }}
      goal {{ status percent progress {{ percent }} }}
    }}
  }}
}}
"""
GOAL = """
query Goal($id: ID!) {
  goal(id: $id) { title milestones { title dueOn } progress { note percent author { name } } percent }
}
"""
MY_GOALS = "query Mine($id: ID!) { me { goals { title } } person(id: $id) { goals { title } } }"


@pytest.fixture
async def pair(db):
    mentor, mentee = await make_person(name="Maria"), await make_person(name="Ben")
    relationship, _ = await make_pair(mentor, mentee, status=RelationshipStatus.ACTIVE)
    return mentor, mentee, relationship


async def call(gql, document, who, **input):
    data = await gql(document, {"input": input}, as_=who)
    return next(iter(data.values()))


async def test_a_personal_goal_belongs_to_its_author_and_shows_in_their_own_list_only(gql, db):
    ana, ben = await make_person(name="Ana"), await make_person(name="Ben")

    result = await call(
        gql, CREATE, ana, title="  Learn   Rust ", targetDate="2026-12-31", successCriteria="Ship a CLI"
    )

    goal = result["goal"]
    assert (goal["title"], goal["status"], goal["relationshipId"]) == ("Learn Rust", "NOT_STARTED", None)
    assert (goal["targetDate"], goal["successCriteria"], goal["owner"]) == ("2026-12-31", "Ship a CLI", {"name": "Ana"})
    mine = await gql(MY_GOALS, {"id": gid("Person", ana.id)}, as_=ana)
    assert mine["me"]["goals"] == mine["person"]["goals"] == [{"title": "Learn Rust"}]
    theirs = await gql(MY_GOALS, {"id": gid("Person", ana.id)}, as_=ben)
    assert theirs["me"]["goals"] == [] and theirs["person"]["goals"] is None


async def test_a_member_sets_a_goal_in_the_relationship_and_the_partner_reads_it(gql, pair):
    mentor, mentee, relationship = pair

    result = await call(
        gql, CREATE, mentee, title="Run a design review", relationshipId=gid("Relationship", relationship.id)
    )

    assert result["goal"]["relationshipId"] == gid("Relationship", relationship.id)
    data = await gql(GOAL, {"id": result["goal"]["id"]}, as_=mentor)
    assert data["goal"]["title"] == "Run a design review"


async def test_creating_a_goal_in_someone_elses_relationship_is_denied(gql, pair):
    *_, relationship = pair
    stranger = await make_person()
    async with assert_unchanged():
        result = await call(
            gql, CREATE, stranger, title="Sneak in", relationshipId=gid("Relationship", relationship.id)
        )
    assert (result["__typename"], result["field"]) == ("PermissionDeniedError", "relationshipId")


async def test_creating_a_goal_in_an_ended_relationship_is_a_conflict(gql, db):
    mentor, mentee = await make_person(), await make_person()
    relationship, _ = await make_pair(mentor, mentee, status=RelationshipStatus.COMPLETED)
    async with assert_unchanged():
        result = await call(gql, CREATE, mentee, title="Too late", relationshipId=gid("Relationship", relationship.id))
    assert (result["__typename"], result["field"]) == ("ConflictError", "relationshipId")


@pytest.mark.parametrize(
    ("input", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"title": "Fine", "description": "x" * 4001}, "description"),
    ],
)
async def test_bad_goal_texts_are_refused_naming_the_field(gql, db, input, field):
    ana = await make_person()
    async with assert_unchanged():
        result = await call(gql, CREATE, ana, **input)
    assert (result["__typename"], result["field"]) == ("ValidationError", field)


async def test_the_owner_moves_a_goal_to_achieved_and_can_reopen_it(gql, pair):
    _, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    goal_id = gid("Goal", goal.id)

    started = await call(gql, UPDATE, mentee, goalId=goal_id, status="IN_PROGRESS", title="Lead two reviews")
    assert (started["goal"]["status"], started["goal"]["title"]) == ("IN_PROGRESS", "Lead two reviews")
    assert started["goal"]["description"] == goal.description

    achieved = await call(gql, UPDATE, mentee, goalId=goal_id, status="ACHIEVED")
    assert achieved["goal"]["achievedAt"] is not None
    assert achieved["goal"]["allowedTransitions"] == ["IN_PROGRESS"]

    reopened = await call(gql, UPDATE, mentee, goalId=goal_id, status="IN_PROGRESS")
    assert (reopened["goal"]["status"], reopened["goal"]["achievedAt"]) == ("IN_PROGRESS", None)


async def test_a_goal_cannot_jump_from_not_started_to_achieved(gql, pair):
    _, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    async with assert_unchanged():
        result = await call(gql, UPDATE, mentee, goalId=gid("Goal", goal.id), status="ACHIEVED", title="Changed")
    assert (result["__typename"], result["field"]) == ("InvalidTransitionError", "status")


async def test_only_the_owner_changes_a_goal_and_outsiders_do_not_learn_it_exists(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    stranger = await make_person()

    async with assert_unchanged():
        by_partner = await call(gql, UPDATE, mentor, goalId=gid("Goal", goal.id), title="Mine now")
        by_stranger = await call(gql, UPDATE, stranger, goalId=gid("Goal", goal.id), title="Mine now")

    assert (by_partner["__typename"], by_partner["field"]) == ("PermissionDeniedError", "goalId")
    assert (by_stranger["__typename"], by_stranger["field"]) == ("NotFoundError", "goalId")


async def test_a_milestone_due_by_the_agreements_end_is_added(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)

    result = await call(
        gql, ADD_MILESTONE, mentor, goalId=gid("Goal", goal.id), title="Shadow a review", dueOn="2026-09-02"
    )

    assert result["milestone"]["dueOn"] == "2026-09-02"
    assert result["goal"]["milestones"] == [{"title": "Shadow a review"}]


async def test_a_milestone_due_after_the_relationship_ends_is_refused(gql, pair):
    _, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    async with assert_unchanged():
        result = await call(gql, ADD_MILESTONE, mentee, goalId=gid("Goal", goal.id), title="Late", dueOn="2026-09-03")
    assert (result["__typename"], result["field"]) == ("ValidationError", "dueOn")
    assert "2026-09-02" in result["message"]


async def test_the_milestone_deadline_follows_the_current_agreement_version(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    await amend_agreement(
        Viewer(email=mentor.email, role=Role.PARTICIPANT, person_id=mentor.id),
        relationship_id=relationship.id,
        expected_version=1,
        changes={"ends_on": datetime.date(2026, 12, 31)},
    )

    result = await call(gql, ADD_MILESTONE, mentee, goalId=gid("Goal", goal.id), title="Later", dueOn="2026-12-01")
    assert result["__typename"] == "MilestonePayload"


async def test_a_personal_goals_milestones_have_no_deadline_limit(gql, db):
    ana = await make_person()
    goal = await make_goal(ana)
    result = await call(gql, ADD_MILESTONE, ana, goalId=gid("Goal", goal.id), title="Someday", dueOn="2031-01-01")
    assert result["__typename"] == "MilestonePayload"


async def test_completing_the_last_milestone_leaves_the_goal_for_its_owner_to_call_achieved(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship, status=GoalStatus.IN_PROGRESS)
    first, last = await make_milestone(goal), await make_milestone(goal, title="Lead a review")
    await call(gql, COMPLETE_MILESTONE, mentee, milestoneId=gid("Milestone", first.id))

    result = await call(gql, COMPLETE_MILESTONE, mentor, milestoneId=gid("Milestone", last.id))

    assert result["milestone"]["completedAt"] is not None
    assert result["goal"]["status"] == "IN_PROGRESS"
    assert (await Goal.get(id=goal.id)).achieved_at is None


async def test_completing_a_milestone_again_keeps_the_first_completion(gql, pair):
    _, mentee, relationship = pair
    milestone = await make_milestone(await make_goal(mentee, relationship=relationship), completed_at=NOW)
    async with assert_unchanged():
        result = await call(gql, COMPLETE_MILESTONE, mentee, milestoneId=gid("Milestone", milestone.id))
    assert result["milestone"]["completedAt"].startswith("2026-03-02T09:30:00")


async def test_milestones_of_a_goal_you_cannot_read_are_not_found(gql, pair):
    _, mentee, relationship = pair
    milestone = await make_milestone(await make_goal(mentee, relationship=relationship))
    stranger = await make_person()
    async with assert_unchanged():
        completed = await call(gql, COMPLETE_MILESTONE, stranger, milestoneId=gid("Milestone", milestone.id))
        added = await call(gql, ADD_MILESTONE, stranger, goalId=gid("Goal", milestone.goal_id), title="Mine")
    assert (completed["__typename"], completed["field"]) == ("NotFoundError", "milestoneId")
    assert (added["__typename"], added["field"]) == ("NotFoundError", "goalId")
    assert await Milestone.filter(goal_id=milestone.goal_id).count() == 1


async def test_progress_by_owner_and_partner_builds_the_history_and_starts_the_goal(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)

    first = await call(gql, RECORD, mentee, goalId=gid("Goal", goal.id), percent=20, note="Booked the room")
    assert first["goal"]["status"] == "IN_PROGRESS"
    second = await call(gql, RECORD, mentor, goalId=gid("Goal", goal.id), percent=45, note="Ran the dry run")

    assert second["progress"] == {"note": "Ran the dry run", "percent": 45, "author": {"name": "Maria"}}
    assert second["goal"]["percent"] == 45
    assert second["goal"]["progress"] == [{"percent": 20}, {"percent": 45}]
    assert (await Relationship.get(id=relationship.id)).last_activity_at > NOW


@pytest.mark.parametrize("percent", [-1, 101])
async def test_progress_outside_0_to_100_percent_is_refused(gql, pair, percent):
    _, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship)
    async with assert_unchanged():
        result = await call(gql, RECORD, mentee, goalId=gid("Goal", goal.id), percent=percent)
    assert (result["__typename"], result["field"]) == ("ValidationError", "percent")


@pytest.mark.parametrize("status", [GoalStatus.ACHIEVED, GoalStatus.DROPPED])
async def test_progress_on_a_closed_goal_waits_for_the_owner_to_reopen_it(gql, pair, status):
    _, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship, status=status)
    async with assert_unchanged():
        result = await call(gql, RECORD, mentee, goalId=gid("Goal", goal.id), percent=90)
    assert (result["__typename"], result["field"]) == ("ConflictError", "goalId")


async def test_a_goal_is_read_with_its_milestones_and_progress_by_members_and_null_for_others(gql, pair):
    mentor, mentee, relationship = pair
    goal = await make_goal(mentee, relationship=relationship, title="Public speaking")
    await make_milestone(goal, title="Undated", due_on=None)
    await make_milestone(goal, title="Talk at guild", due_on=NOW.date())

    read = (await gql(GOAL, {"id": gid("Goal", goal.id)}, as_=mentor))["goal"]

    assert read["title"] == "Public speaking"
    assert [m["title"] for m in read["milestones"]] == ["Talk at guild", "Undated"]
    assert (read["progress"], read["percent"]) == ([], None)
    assert (await gql(GOAL, {"id": gid("Goal", goal.id)}, as_=await make_person()))["goal"] is None
