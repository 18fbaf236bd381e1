"""Who may run each program and enrollment mutation: one row per mutation and actor.

The cast: Ana applied to Carmen's program; Pat is another participant; Olu coordinates a different program;
Ada is an analyst; Root is an admin. Every denied write must leave the database untouched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from domain.access import Role
from domain.people.models import Person
from domain.programs.models import Enrollment, Program, ProgramStatus
from schema.relay_ids import encode_id
from tests.factories import make_enrollment, make_person, make_program
from tests.support import assert_unchanged

ACTORS: dict[str, Role] = {
    "enrollee": Role.PARTICIPANT,
    "participant": Role.PARTICIPANT,
    "coordinator": Role.COORDINATOR,
    "other_coordinator": Role.COORDINATOR,
    "analyst": Role.ANALYST,
    "admin": Role.ADMIN,
}


def _document(mutation: str, input_type: str) -> str:
    return f"""
mutation($input: {input_type}!) {{
  {mutation}(input: $input) {{ __typename ... on Error {{ code field }} }}
}}
"""


@dataclass
class Cast:
    people: dict[str, Person]
    program: Program
    open_program: Program
    enrollment: Enrollment
    nominee: Person


@pytest.fixture
async def cast(db) -> Cast:
    people = {actor: await make_person(email=f"{actor}@example.com") for actor in ACTORS}
    program = await make_program(coordinators=[people["coordinator"]], status=ProgramStatus.RECRUITING)
    await make_program(coordinators=[people["other_coordinator"]])
    open_program = await make_program(coordinators=[people["coordinator"]])
    enrollment = await make_enrollment(people["enrollee"], program)
    return Cast(people, program, open_program, enrollment, await make_person(email="nominee@example.com"))


def _gid(type_name: str, key: int) -> str:
    return str(encode_id(type_name, key))


# case -> (mutation, its input type, the input for the cast, actors who get the payload)
CASES: dict[str, tuple[str, str, Callable[[Cast], dict], set[str]]] = {
    "createProgram": (
        "createProgram",
        "CreateProgramInput",
        lambda c: {"name": "Pilot", "kind": "ONE_ON_ONE", "tier": "FORMAL"},
        {"coordinator", "other_coordinator", "admin"},
    ),
    "updateProgram": (
        "updateProgram",
        "UpdateProgramInput",
        lambda c: {"programId": _gid("Program", c.program.id), "name": "Renamed"},
        {"coordinator", "admin"},
    ),
    "transitionProgram": (
        "transitionProgram",
        "TransitionProgramInput",
        lambda c: {"programId": _gid("Program", c.program.id), "to": "MATCHING"},
        {"coordinator", "admin"},
    ),
    "enroll (oneself)": (
        "enroll",
        "EnrollInput",
        lambda c: {"programId": _gid("Program", c.open_program.id), "role": "MENTEE"},
        set(ACTORS),
    ),
    "enroll (nominating someone)": (
        "enroll",
        "EnrollInput",
        lambda c: {
            "programId": _gid("Program", c.program.id),
            "role": "MENTEE",
            "personId": _gid("Person", c.nominee.id),
        },
        {"coordinator", "admin"},
    ),
    "approveEnrollment": (
        "approveEnrollment",
        "ApproveEnrollmentInput",
        lambda c: {"enrollmentId": _gid("Enrollment", c.enrollment.id)},
        {"coordinator", "admin"},
    ),
    "withdrawEnrollment": (
        "withdrawEnrollment",
        "WithdrawEnrollmentInput",
        lambda c: {"enrollmentId": _gid("Enrollment", c.enrollment.id), "reason": "Moving on"},
        {"enrollee", "coordinator", "admin"},
    ),
}

TABLE = [(case, actor, actor in CASES[case][3]) for case in CASES for actor in ACTORS]
# A refused nomination points at whom was nominated; every other refusal is about the whole action.
DENIED_FIELD = {"enroll (nominating someone)": "personId"}


@pytest.mark.parametrize(("case", "actor", "allowed"), TABLE, ids=[f"{c}-{a}" for c, a, _ in TABLE])
async def test_mutation_permission_by_role(gql, cast, case, actor, allowed):
    mutation, input_type, make_input, _ = CASES[case]
    document = _document(mutation, input_type)
    variables = {"input": make_input(cast)}
    who = cast.people[actor]
    if allowed:
        data = await gql(document, variables, as_=who, role=ACTORS[actor])
        assert data[mutation]["__typename"].endswith("Payload"), data
        return
    async with assert_unchanged():
        data = await gql(document, variables, as_=who, role=ACTORS[actor])
    expected = {"__typename": "PermissionDeniedError", "code": "PERMISSION_DENIED", "field": DENIED_FIELD.get(case)}
    assert data[mutation] == expected


async def test_a_named_coordinator_with_a_participant_token_cannot_manage(gql, cast):
    """Managing needs both: the COORDINATOR role from the identity provider and a place on the program."""
    mutation, input_type, make_input, _ = CASES["transitionProgram"]
    async with assert_unchanged():
        data = await gql(
            _document(mutation, input_type),
            {"input": make_input(cast)},
            as_=cast.people["coordinator"],
            role=Role.PARTICIPANT,
        )
    assert data["transitionProgram"]["__typename"] == "PermissionDeniedError"


async def test_an_account_without_a_profile_cannot_enroll_itself(gql, cast):
    mutation, input_type, make_input, _ = CASES["enroll (oneself)"]
    async with assert_unchanged():
        data = await gql(_document(mutation, input_type), {"input": make_input(cast)}, as_="stranger@example.com")
    assert data["enroll"]["__typename"] == "PermissionDeniedError"
