"""createProgram, updateProgram and transitionProgram through GraphQL over HTTP."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import Program, ProgramCoordinator, ProgramStatus
from tests.factories import make_person, make_program
from tests.support import assert_unchanged, gid

PROGRAM_FIELDS = """
  name description kind tier status cadence meetingMinutes durationMonths circleSize crossDepartment
  maxTimeZoneGapHours mentorTrainingRequired allowedTransitions coordinators { email }
"""

CREATE = f"""
mutation Create($input: CreateProgramInput!) {{
  createProgram(input: $input) {{
    __typename
    ... on CreateProgramPayload {{ program {{ id {PROGRAM_FIELDS} }} }}
    ... on Error {{ message code field }}
  }}
}}
"""

UPDATE = f"""
mutation Update($input: UpdateProgramInput!) {{
  updateProgram(input: $input) {{
    __typename
    ... on UpdateProgramPayload {{ program {{ {PROGRAM_FIELDS} }} }}
    ... on Error {{ message code field }}
  }}
}}
"""

TRANSITION = """
mutation Transition($input: TransitionProgramInput!) {
  transitionProgram(input: $input) {
    __typename
    ... on TransitionProgramPayload { program { status allowedTransitions } }
    ... on Error { message code field }
  }
}
"""


async def test_create_program_starts_a_draft_run_by_its_creator_and_named_coordinators(gql):
    carmen = await make_person(email="carmen@example.com")
    dev = await make_person(email="dev@example.com")
    data = await gql(
        CREATE,
        {
            "input": {
                "name": "  Women in   Engineering ",
                "kind": "PEER_CIRCLE",
                "tier": "COMMUNITY",
                "circleSize": 5,
                "cadence": "BIWEEKLY",
                "maxTimeZoneGapHours": 6,
                "coordinatorIds": [gid("Person", dev.id), gid("Person", carmen.id)],
            }
        },
        as_=carmen,
        role=Role.COORDINATOR,
    )
    result = data["createProgram"]
    assert result["__typename"] == "CreateProgramPayload"
    program = result["program"]
    assert program["name"] == "Women in Engineering"
    assert program["status"] == "DRAFT"
    assert program["allowedTransitions"] == ["RECRUITING", "CLOSED"]
    assert (program["kind"], program["tier"], program["circleSize"], program["cadence"]) == (
        "PEER_CIRCLE",
        "COMMUNITY",
        5,
        "BIWEEKLY",
    )
    # Unsent settings take the model's defaults.
    assert (program["meetingMinutes"], program["durationMonths"], program["crossDepartment"]) == (45, 6, "PREFERRED")
    assert sorted(c["email"] for c in program["coordinators"]) == ["carmen@example.com", "dev@example.com"]
    assert await ProgramCoordinator.all().count() == 2


async def test_admin_without_a_profile_must_name_a_coordinator(gql):
    dev = await make_person()
    async with assert_unchanged():
        data = await gql(
            CREATE,
            {"input": {"name": "Pilot", "kind": "ONE_ON_ONE", "tier": "FORMAL"}},
            as_="root@x.io",
            role=Role.ADMIN,
        )
    assert data["createProgram"]["field"] == "coordinatorIds"
    data = await gql(
        CREATE,
        {"input": {"name": "Pilot", "kind": "ONE_ON_ONE", "tier": "FORMAL", "coordinatorIds": [gid("Person", dev.id)]}},
        as_="root@x.io",
        role=Role.ADMIN,
    )
    assert data["createProgram"]["program"]["coordinators"] == [{"email": dev.email}]


BAD_CREATE_INPUTS = [
    ({"name": "   "}, "ValidationError", "name"),
    ({"durationMonths": 0}, "ValidationError", "durationMonths"),
    ({"durationMonths": 25}, "ValidationError", "durationMonths"),
    ({"meetingMinutes": 10}, "ValidationError", "meetingMinutes"),
    ({"meetingMinutes": 241}, "ValidationError", "meetingMinutes"),
    ({"maxTimeZoneGapHours": -1}, "ValidationError", "maxTimeZoneGapHours"),
    ({"maxTimeZoneGapHours": 15}, "ValidationError", "maxTimeZoneGapHours"),
    ({"circleSize": 2}, "ValidationError", "circleSize"),
    ({"kind": "PEER_CIRCLE"}, "ValidationError", "circleSize"),
    ({"kind": "PEER_CIRCLE", "circleSize": 3}, "ValidationError", "circleSize"),
    ({"kind": "PEER_CIRCLE", "circleSize": 7}, "ValidationError", "circleSize"),
    ({"kind": "SKILL_SWAP", "circleSize": 4}, "ValidationError", "circleSize"),
    ({"kind": "REVERSE", "circleSize": 2}, "ValidationError", "circleSize"),
    ({"cadence": None}, "ValidationError", "cadence"),
    ({"coordinatorIds": [gid("Person", 999)]}, "NotFoundError", "coordinatorIds[0]"),
    ({"coordinatorIds": [gid("Program", 1)]}, "ValidationError", "coordinatorIds[0]"),
]


@pytest.mark.parametrize(("change", "error_type", "field"), BAD_CREATE_INPUTS)
async def test_bad_create_input_names_its_field_and_writes_nothing(gql, change, error_type, field):
    carmen = await make_person()
    sent = {"name": "Pilot", "kind": "ONE_ON_ONE", "tier": "FORMAL", **change}
    async with assert_unchanged():
        data = await gql(CREATE, {"input": sent}, as_=carmen, role=Role.COORDINATOR)
    result = data["createProgram"]
    assert (result["__typename"], result["field"]) == (error_type, field), result


async def test_skill_swap_takes_pairs_or_trios(gql):
    carmen = await make_person()
    sent = {"name": "Swap", "kind": "SKILL_SWAP", "tier": "COMMUNITY", "circleSize": 3}
    data = await gql(CREATE, {"input": sent}, as_=carmen, role=Role.COORDINATOR)
    assert data["createProgram"]["program"]["circleSize"] == 3


async def test_update_program_changes_only_what_was_sent(gql):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], description="Pairs across offices", meeting_minutes=30)
    data = await gql(
        UPDATE,
        {"input": {"programId": gid("Program", program.id), "durationMonths": 12, "mentorTrainingRequired": True}},
        as_=carmen,
        role=Role.COORDINATOR,
    )
    updated = data["updateProgram"]["program"]
    assert (updated["durationMonths"], updated["mentorTrainingRequired"]) == (12, True)
    assert (updated["description"], updated["meetingMinutes"]) == ("Pairs across offices", 30)
    await program.refresh_from_db()
    assert program.duration_months == 12


async def test_update_program_adds_and_removes_coordinators(gql):
    carmen, dev, ines = await make_person(), await make_person(), await make_person()
    program = await make_program(coordinators=[carmen, dev])
    data = await gql(
        UPDATE,
        {
            "input": {
                "programId": gid("Program", program.id),
                "addCoordinatorIds": [gid("Person", ines.id), gid("Person", carmen.id)],
                "removeCoordinatorIds": [gid("Person", dev.id)],
            }
        },
        as_=carmen,
        role=Role.COORDINATOR,
    )
    emails = sorted(c["email"] for c in data["updateProgram"]["program"]["coordinators"])
    assert emails == sorted([carmen.email, ines.email])


async def test_kind_may_change_in_draft_when_the_rest_fits(gql):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], status=ProgramStatus.DRAFT)
    data = await gql(
        UPDATE,
        {"input": {"programId": gid("Program", program.id), "kind": "PEER_CIRCLE", "circleSize": 4}},
        as_=carmen,
        role=Role.COORDINATOR,
    )
    assert (data["updateProgram"]["program"]["kind"], data["updateProgram"]["program"]["circleSize"]) == (
        "PEER_CIRCLE",
        4,
    )


BAD_UPDATES = [
    # The settings are checked together: a new kind needs a circle size that fits it.
    (ProgramStatus.DRAFT, {"kind": "PEER_CIRCLE"}, "ValidationError", "circleSize"),
    (ProgramStatus.RECRUITING, {"kind": "REVERSE"}, "InvalidTransitionError", "kind"),
    (ProgramStatus.RECRUITING, {"name": ""}, "ValidationError", "name"),
    (ProgramStatus.RECRUITING, {"meetingMinutes": None}, "ValidationError", "meetingMinutes"),
    (ProgramStatus.RECRUITING, {"durationMonths": 30, "name": "Renamed"}, "ValidationError", "durationMonths"),
    (ProgramStatus.RECRUITING, {"addCoordinatorIds": [gid("Person", 999)]}, "NotFoundError", "addCoordinatorIds[0]"),
    (
        ProgramStatus.RECRUITING,
        {"removeCoordinatorIds": [gid("Person", 999)]},
        "NotFoundError",
        "removeCoordinatorIds[0]",
    ),
]


@pytest.mark.parametrize(("status", "change", "error_type", "field"), BAD_UPDATES)
async def test_bad_update_names_its_field_and_writes_nothing(gql, status, change, error_type, field):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], status=status)
    async with assert_unchanged():
        data = await gql(
            UPDATE, {"input": {"programId": gid("Program", program.id), **change}}, as_=carmen, role=Role.COORDINATOR
        )
    result = data["updateProgram"]
    assert (result["__typename"], result["field"]) == (error_type, field), result


async def test_the_last_coordinator_cannot_be_removed(gql):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen])
    async with assert_unchanged():
        data = await gql(
            UPDATE,
            {"input": {"programId": gid("Program", program.id), "removeCoordinatorIds": [gid("Person", carmen.id)]}},
            as_=carmen,
            role=Role.COORDINATOR,
        )
    assert data["updateProgram"]["__typename"] == "ValidationError"
    assert data["updateProgram"]["field"] == "removeCoordinatorIds"


async def test_a_draft_you_do_not_run_is_not_found(gql):
    carmen, other = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], status=ProgramStatus.DRAFT)
    async with assert_unchanged():
        data = await gql(
            UPDATE,
            {"input": {"programId": gid("Program", program.id), "name": "Mine"}},
            as_=other,
            role=Role.COORDINATOR,
        )
    assert data["updateProgram"]["__typename"] == "NotFoundError"
    assert data["updateProgram"]["field"] == "programId"


async def test_a_program_walks_its_lifecycle(gql):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], status=ProgramStatus.DRAFT)
    steps = [("RECRUITING", ["MATCHING", "CLOSED"]), ("MATCHING", ["ACTIVE", "RECRUITING", "CLOSED"])]
    steps += [("RECRUITING", ["MATCHING", "CLOSED"]), ("MATCHING", ["ACTIVE", "RECRUITING", "CLOSED"])]
    steps += [("ACTIVE", ["CLOSED"]), ("CLOSED", [])]
    for target, allowed_next in steps:
        data = await gql(
            TRANSITION,
            {"input": {"programId": gid("Program", program.id), "to": target}},
            as_=carmen,
            role=Role.COORDINATOR,
        )
        assert data["transitionProgram"]["program"] == {"status": target, "allowedTransitions": allowed_next}
    await program.refresh_from_db()
    assert program.status is ProgramStatus.CLOSED


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (ProgramStatus.DRAFT, "ACTIVE"),
        (ProgramStatus.DRAFT, "MATCHING"),
        (ProgramStatus.RECRUITING, "DRAFT"),
        (ProgramStatus.ACTIVE, "RECRUITING"),
        (ProgramStatus.CLOSED, "RECRUITING"),
        (ProgramStatus.CLOSED, "DRAFT"),
        (ProgramStatus.RECRUITING, "RECRUITING"),
    ],
)
async def test_illegal_transition_is_refused_on_field_to_and_writes_nothing(gql, current, target):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], status=current)
    async with assert_unchanged():
        data = await gql(
            TRANSITION,
            {"input": {"programId": gid("Program", program.id), "to": target}},
            as_=carmen,
            role=Role.COORDINATOR,
        )
    result = data["transitionProgram"]
    assert (result["__typename"], result["code"], result["field"]) == (
        "InvalidTransitionError",
        "INVALID_TRANSITION",
        "to",
    )


async def test_an_unknown_program_is_not_found(gql):
    carmen = await make_person()
    async with assert_unchanged():
        data = await gql(
            TRANSITION, {"input": {"programId": gid("Program", 404), "to": "CLOSED"}}, as_=carmen, role=Role.ADMIN
        )
    assert (data["transitionProgram"]["__typename"], data["transitionProgram"]["field"]) == (
        "NotFoundError",
        "programId",
    )
    assert await Program.all().count() == 0
