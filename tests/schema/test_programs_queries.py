"""programs, program, node, Program.enrollments and Person.enrollments: who sees what."""

from __future__ import annotations

from domain.access import Role
from domain.programs.models import EnrollmentRole, EnrollmentStatus, ProgramKind, ProgramStatus, ProgramTier
from tests.factories import make_enrollment, make_person, make_program
from tests.support import gid

PROGRAMS = """
query($first: Int, $after: String, $filter: ProgramFilter) {
  programs(first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor node { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

PROGRAM = "query($id: ID!) { program(id: $id) { name status allowedTransitions } }"

NODE = """
query($id: ID!) {
  node(id: $id) {
    __typename
    ... on Program { name }
    ... on Enrollment { role person { email } program { name } }
  }
}
"""

PROGRAM_ENROLLMENTS = """
query($id: ID!, $status: EnrollmentStatus, $role: EnrollmentRole) {
  program(id: $id) { enrollments(status: $status, role: $role) { role status person { email } } }
}
"""

PERSON_ENROLLMENTS = "query($id: ID!) { person(id: $id) { enrollments { program { name } status } } }"


def names(data: dict) -> list[str]:
    return [edge["node"]["name"] for edge in data["programs"]["edges"]]


async def test_drafts_are_listed_only_for_who_runs_them(gql):
    carmen, ana = await make_person(), await make_person()
    await make_program(name="Open", coordinators=[carmen])
    await make_program(name="Carmen's draft", coordinators=[carmen], status=ProgramStatus.DRAFT)
    await make_program(name="Someone else's draft", status=ProgramStatus.DRAFT)
    assert names(await gql(PROGRAMS, as_=ana)) == ["Open"]
    assert names(await gql(PROGRAMS, as_=carmen, role=Role.COORDINATOR)) == ["Open", "Carmen's draft"]
    assert len(names(await gql(PROGRAMS, as_="root@example.com", role=Role.ADMIN))) == 3


async def test_programs_filter_by_status_kind_and_tier(gql):
    ana = await make_person()
    await make_program(name="Formal pairs")
    await make_program(name="Reverse", kind=ProgramKind.REVERSE, status=ProgramStatus.ACTIVE)
    await make_program(name="Circles", kind=ProgramKind.PEER_CIRCLE, tier=ProgramTier.COMMUNITY, circle_size=5)
    assert names(await gql(PROGRAMS, {"filter": {"status": "ACTIVE"}}, as_=ana)) == ["Reverse"]
    assert names(await gql(PROGRAMS, {"filter": {"kind": "PEER_CIRCLE"}}, as_=ana)) == ["Circles"]
    assert names(await gql(PROGRAMS, {"filter": {"tier": "FORMAL", "status": "RECRUITING"}}, as_=ana)) == [
        "Formal pairs"
    ]


async def test_programs_page_through_cursors(gql):
    ana = await make_person()
    for n in range(5):
        await make_program(name=f"P{n}")
    first = await gql(PROGRAMS, {"first": 2}, as_=ana)
    assert (names(first), first["programs"]["totalCount"], first["programs"]["pageInfo"]["hasNextPage"]) == (
        ["P0", "P1"],
        5,
        True,
    )
    rest = await gql(PROGRAMS, {"first": 10, "after": first["programs"]["pageInfo"]["endCursor"]}, as_=ana)
    assert (names(rest), rest["programs"]["pageInfo"]["hasNextPage"]) == (["P2", "P3", "P4"], False)


async def test_program_by_id_hides_other_peoples_drafts(gql):
    carmen, ana = await make_person(), await make_person()
    draft = await make_program(name="Draft", coordinators=[carmen], status=ProgramStatus.DRAFT)
    assert (await gql(PROGRAM, {"id": gid("Program", draft.id)}, as_=ana))["program"] is None
    seen = await gql(PROGRAM, {"id": gid("Program", draft.id)}, as_=carmen, role=Role.COORDINATOR)
    assert seen["program"] == {"name": "Draft", "status": "DRAFT", "allowedTransitions": ["RECRUITING", "CLOSED"]}
    assert (await gql(NODE, {"id": gid("Program", draft.id)}, as_=ana))["node"] is None
    assert (await gql(NODE, {"id": gid("Program", draft.id)}, as_=carmen))["node"]["name"] == "Draft"


async def test_node_resolves_an_enrollment_for_its_owner_and_coordinators_only(gql):
    carmen, ana, ben = await make_person(), await make_person(email="ana@example.com"), await make_person()
    program = await make_program(name="Formal", coordinators=[carmen])
    enrollment = await make_enrollment(ana, program)
    variables = {"id": gid("Enrollment", enrollment.id)}
    expected = {
        "__typename": "Enrollment",
        "role": "MENTEE",
        "person": {"email": "ana@example.com"},
        "program": {"name": "Formal"},
    }
    assert (await gql(NODE, variables, as_=ana))["node"] == expected
    assert (await gql(NODE, variables, as_=carmen))["node"] == expected
    assert (await gql(NODE, variables, as_=ben))["node"] is None


async def test_program_enrollments_follow_the_visibility_policy(gql):
    carmen, ana, ben, cleo = [await make_person(email=f"{n}@example.com") for n in ("carmen", "ana", "ben", "cleo")]
    formal = await make_program(coordinators=[carmen], tier=ProgramTier.FORMAL)
    self_service = await make_program(coordinators=[carmen], tier=ProgramTier.SELF_SERVICE)
    for program in (formal, self_service):
        await make_enrollment(ana, program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.APPROVED)
        await make_enrollment(ben, program, role=EnrollmentRole.MENTEE)

    async def seen(program, who, **filters) -> list[tuple[str, str]]:
        data = await gql(PROGRAM_ENROLLMENTS, {"id": gid("Program", program.id), **filters}, as_=who)
        return [(e["person"]["email"], e["role"]) for e in data["program"]["enrollments"]]

    everyone = [("ana@example.com", "MENTOR"), ("ben@example.com", "MENTEE")]
    assert await seen(formal, carmen) == everyone
    assert await seen(formal, ben) == [("ben@example.com", "MENTEE")]
    assert await seen(formal, cleo) == []
    # Self-service programs publish their mentors so mentees can pick one.
    assert await seen(self_service, cleo) == [("ana@example.com", "MENTOR")]
    assert await seen(formal, carmen, status="APPLIED") == [("ben@example.com", "MENTEE")]
    assert await seen(formal, carmen, role="MENTOR") == [("ana@example.com", "MENTOR")]


async def test_person_enrollments_show_only_what_the_viewer_may_see(gql):
    carmen, ana, ben = await make_person(), await make_person(), await make_person()
    mine = await make_program(name="Carmen's", coordinators=[carmen])
    other = await make_program(name="Other")
    await make_enrollment(ana, mine)
    await make_enrollment(ana, other, status=EnrollmentStatus.ACTIVE)

    async def seen(who) -> list[str]:
        data = await gql(PERSON_ENROLLMENTS, {"id": gid("Person", ana.id)}, as_=who)
        return [e["program"]["name"] for e in data["person"]["enrollments"]]

    assert await seen(ana) == ["Carmen's", "Other"]
    assert await seen(carmen) == ["Carmen's"]
    assert await seen(ben) == []
