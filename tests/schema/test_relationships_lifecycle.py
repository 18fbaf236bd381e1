"""pause/resume/complete/endRelationship: every mutation from every status, and who may call them."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.relationships.models import ClosureReason, Relationship, RelationshipStatus
from tests.domain.relationships.scenario import mentoring_pair, program_run_by
from tests.factories import make_person
from tests.support import assert_unchanged, gid

S = RelationshipStatus

MUTATION = """
mutation Step($input: {input_type}!) {{
  {name}(input: $input) {{
    __typename
    ... on RelationshipPayload {{
      relationship {{ status closureReason closureNote pausedAt endedAt allowedTransitions }}
    }}
    ... on Error {{ message code field }}
  }}
}}
"""

STEPS = {
    "pauseRelationship": ("PauseRelationshipInput", {}),
    "resumeRelationship": ("ResumeRelationshipInput", {}),
    "completeRelationship": ("CompleteRelationshipInput", {"note": "Goals met."}),
    "endRelationship": ("EndRelationshipInput", {"reason": "LACK_OF_TIME", "note": "New role."}),
}

# (mutation, from) -> the status it leads to; every pair not listed is an InvalidTransitionError.
LEGAL = {
    ("pauseRelationship", S.ACTIVE): S.PAUSED,
    ("resumeRelationship", S.PAUSED): S.ACTIVE,
    ("completeRelationship", S.ACTIVE): S.COMPLETED,
    ("completeRelationship", S.PAUSED): S.COMPLETED,
    ("endRelationship", S.PROPOSED): S.ENDED_EARLY,
    ("endRelationship", S.ACTIVE): S.ENDED_EARLY,
    ("endRelationship", S.PAUSED): S.ENDED_EARLY,
}


async def step(gql, name: str, relationship, *, as_, role=Role.PARTICIPANT, **extra) -> dict:
    input_type, defaults = STEPS[name]
    variables = {"input": {"relationshipId": gid("Relationship", relationship.id), **defaults, **extra}}
    data = await gql(MUTATION.format(input_type=input_type, name=name), variables, as_=as_, role=role)
    return data[name]


@pytest.mark.parametrize("start", list(S))
@pytest.mark.parametrize("name", list(STEPS))
async def test_transition_table(gql, name, start):
    relationship, mentor, _ = await mentoring_pair(await program_run_by(), status=start)
    target = LEGAL.get((name, start))
    if target is None:
        async with assert_unchanged():
            result = await step(gql, name, relationship, as_=mentor)
        assert result["__typename"] == "InvalidTransitionError"
        assert result["field"] == "relationshipId"
        return
    result = await step(gql, name, relationship, as_=mentor)
    assert result["__typename"] == "RelationshipPayload", result
    assert result["relationship"]["status"] == target.value
    await relationship.refresh_from_db()
    assert relationship.status is target


async def test_a_completed_relationship_never_becomes_active_again(gql):
    relationship, mentor, _ = await mentoring_pair(await program_run_by(), status=S.COMPLETED)
    async with assert_unchanged():
        result = await step(gql, "resumeRelationship", relationship, as_=mentor)
    assert result["code"] == "INVALID_TRANSITION"
    assert result["message"] == "Only a PAUSED relationship can become ACTIVE this way; this one is COMPLETED."
    assert result["field"] == "relationshipId"


async def test_ending_early_records_reason_note_and_time_and_keeps_the_row(gql):
    relationship, _, mentee = await mentoring_pair(await program_run_by())
    result = await step(gql, "endRelationship", relationship, as_=mentee, reason="LEFT_COMPANY", note="Moved on.")
    assert result["relationship"]["closureReason"] == "LEFT_COMPANY"
    assert result["relationship"]["closureNote"] == "Moved on."
    assert result["relationship"]["endedAt"] is not None
    assert result["relationship"]["allowedTransitions"] == []
    row = await Relationship.get(id=relationship.id)
    assert row.closure_reason is ClosureReason.LEFT_COMPANY


async def test_pausing_and_resuming_record_the_pause_and_restart_the_activity_clock(gql):
    relationship, mentor, _ = await mentoring_pair(await program_run_by())
    paused = await step(gql, "pauseRelationship", relationship, as_=mentor)
    assert paused["relationship"]["pausedAt"] is not None
    resumed = await step(gql, "resumeRelationship", relationship, as_=mentor)
    assert resumed["relationship"]["pausedAt"] is None
    await relationship.refresh_from_db()
    assert relationship.last_activity_at > relationship.created_at


@pytest.mark.parametrize(
    ("who", "role", "outcome"),
    [
        ("member", Role.PARTICIPANT, "RelationshipPayload"),
        ("coordinator", Role.COORDINATOR, "RelationshipPayload"),
        ("admin", Role.ADMIN, "RelationshipPayload"),
        ("coordinator named on the program, signed in as participant", Role.PARTICIPANT, "NotFoundError"),
        ("other participant", Role.PARTICIPANT, "NotFoundError"),
        ("coordinator of another program", Role.COORDINATOR, "NotFoundError"),
        ("analyst", Role.ANALYST, "NotFoundError"),
    ],
)
async def test_members_and_the_programs_coordinators_may_pause_outsiders_learn_nothing(gql, who, role, outcome):
    coordinator = await make_person()
    relationship, mentor, _ = await mentoring_pair(await program_run_by(coordinator))
    other_coordinator = await make_person()
    await program_run_by(other_coordinator)
    actor = {
        "member": mentor,
        "coordinator": coordinator,
        "coordinator named on the program, signed in as participant": coordinator,
        "coordinator of another program": other_coordinator,
    }.get(who) or await make_person()
    if outcome == "RelationshipPayload":
        result = await step(gql, "pauseRelationship", relationship, as_=actor, role=role)
    else:
        async with assert_unchanged():
            result = await step(gql, "pauseRelationship", relationship, as_=actor, role=role)
        assert result["message"] == "No such relationship."
    assert result["__typename"] == outcome


@pytest.mark.parametrize(
    ("extra", "typename", "field"),
    [
        ({"relationshipId": gid("Relationship", 999)}, "NotFoundError", "relationshipId"),
        ({"relationshipId": gid("Program", 1)}, "ValidationError", "relationshipId"),
        ({"note": "x" * 2001}, "ValidationError", "note"),
    ],
)
async def test_bad_input_to_a_lifecycle_step_writes_nothing(gql, extra, typename, field):
    relationship, mentor, _ = await mentoring_pair(await program_run_by())
    async with assert_unchanged():
        result = await step(gql, "completeRelationship", relationship, as_=mentor, **extra)
    assert (result["__typename"], result["field"]) == (typename, field)
