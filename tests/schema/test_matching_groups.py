"""Peer circles and skill swaps through runMatching and publishMatchRun, as PEER relationships."""

from __future__ import annotations

from domain.access import Role
from domain.matching.models import MatchRun
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, ProgramKind, ProgramStatus
from domain.relationships.models import MemberRole, Relationship, RelationshipMember
from tests.domain.relationships.scenario import enrolled
from tests.factories import make_person, make_program, make_skill, make_working_week
from tests.schema.matching_support import DECIDE, PUBLISH, RUN, learns, teaches
from tests.support import assert_unchanged, gid

GROUPS = """
query Run($id: ID!) {
  node(id: $id) {
    ... on MatchRun {
      status certificate { primal dual provenOptimal }
      unmatched { person { name } reason }
      proposals { id score mentor { name } members { role person { name department } } breakdown { name value points }
                  lessons { teacher { name } learner { name } skills { name } } }
    }
  }
}
"""


async def _run(gql, program, coordinator, weights: dict | None = None) -> tuple[str, dict]:
    from domain.matching import service

    given = {"programId": gid("Program", program.id), **({"weights": weights} if weights else {})}
    started = (await gql(RUN, {"input": given}, as_=coordinator, role=Role.COORDINATOR))["runMatching"]
    assert started["__typename"] == "RunMatchingPayload", started
    await service.wait_for_runs()
    run = (await gql(GROUPS, {"id": started["run"]["id"]}, as_=coordinator, role=Role.COORDINATOR))["node"]
    return started["run"]["id"], run


async def _publish_all(gql, run_id: str, run: dict, coordinator: Person) -> dict:
    for proposal in run["proposals"]:
        await gql(DECIDE, {"input": {"proposalId": proposal["id"]}}, as_=coordinator, role=Role.COORDINATOR)
    return (await gql(PUBLISH, {"input": {"runId": run_id}}, as_=coordinator, role=Role.COORDINATOR))["publishMatchRun"]


async def test_peers_are_dealt_into_circles_that_keep_a_manager_and_report_apart_and_publish(gql):
    # given nine peers in three departments, one of whom manages another
    cora = await make_person(name="Cora")
    program = await make_program(coordinators=[cora], kind=ProgramKind.PEER_CIRCLE, circle_size=4,
                                 status=ProgramStatus.MATCHING)  # fmt: skip
    peers = []
    for k in range(9):
        peer = await enrolled(program, EnrollmentRole.PEER, name=f"Peer {k}", department="ABC"[k % 3])
        await make_working_week(peer)
        peers.append(peer)
    await Person.filter(id=peers[1].id).update(manager_id=peers[0].id)

    # when the coordinator runs the matching
    run_id, run = await _run(gql, program, cora)

    # then two circles of 4 to 6 hold everyone, never the manager with their report, scored against a bound
    assert run["status"] == "DONE"
    circles = [{m["person"]["name"] for m in p["members"]} for p in run["proposals"]]
    assert sorted(len(circle) for circle in circles) == [4, 5]
    assert set().union(*circles) == {f"Peer {k}" for k in range(9)}
    assert not any({"Peer 0", "Peer 1"} <= circle for circle in circles)
    assert {m["role"] for p in run["proposals"] for m in p["members"]} == {"PEER"}
    assert run["proposals"][0]["mentor"] is None
    assert run["certificate"]["primal"] <= run["certificate"]["dual"]

    # when they are approved and published, each is a PROPOSED peer circle
    published = await _publish_all(gql, run_id, run, cora)
    assert published["refused"] == [] and len(published["published"]) == 2
    rows = await Relationship.filter(program_id=program.id)
    assert {(row.kind, row.status.value) for row in rows} == {(ProgramKind.PEER_CIRCLE, "PROPOSED")}
    assert {m.role for m in await RelationshipMember.filter(relationship_id__in=[r.id for r in rows])} == {
        MemberRole.PEER
    }


async def _offices_and_departments(coordinator: Person):
    """Eight peers: departments A and B work 09:00-17:00, C and D 00:00-08:00 (two each, one zone)."""
    program = await make_program(coordinators=[coordinator], kind=ProgramKind.PEER_CIRCLE, circle_size=4,
                                 status=ProgramStatus.MATCHING)  # fmt: skip
    for k in range(8):
        peer = await enrolled(program, EnrollmentRole.PEER, name=f"Peer {k}", department="ABCD"[k // 2])
        await make_working_week(peer, *((9 * 60, 17 * 60) if k < 4 else (0, 8 * 60)))
    return program


async def test_the_runs_weights_decide_between_shared_hours_and_department_mix_in_circles(gql):
    # given peers whose working hours and departments pull apart
    cora = await make_person(name="Cora")
    program = await _offices_and_departments(cora)

    # when the run weighs working hours only, each circle shares its hours (two departments each)
    _, by_hours = await _run(gql, program, cora, {"workingHours": 1, "crossDepartment": 0})
    departments = [{m["person"]["department"] for m in p["members"]} for p in by_hours["proposals"]]
    assert sorted(map(sorted, departments)) == [["A", "B"], ["C", "D"]]
    for proposal in by_hours["proposals"]:
        parts = {part["name"]: part for part in proposal["breakdown"]}
        assert (parts["working_hours"]["value"], parts["working_hours"]["points"]) == (1.0, 1000.0)
        assert (parts["cross_department"]["value"], parts["cross_department"]["points"]) == (0.5, 0.0)
        assert proposal["score"] == 1000

    # when it weighs department mix three times as much as hours, every circle holds all four departments
    _, by_mix = await _run(gql, program, cora, {"workingHours": 1, "crossDepartment": 3})
    assert all(len({m["person"]["department"] for m in p["members"]}) == 4 for p in by_mix["proposals"])
    for proposal in by_mix["proposals"]:
        parts = {part["name"]: part for part in proposal["breakdown"]}
        assert (parts["cross_department"]["value"], parts["cross_department"]["points"]) == (1.0, 750.0)
        assert proposal["score"] == round(sum(part["points"] for part in parts.values()))


async def test_circle_weights_that_leave_nothing_to_score_are_refused_and_nothing_is_written(gql):
    # given a circle program, and weights that keep only skills (which circles do not score)
    cora = await make_person(name="Cora")
    program = await _offices_and_departments(cora)
    variables = {"input": {"programId": gid("Program", program.id), "weights": {"workingHours": 0,
                                                                                "crossDepartment": 0}}}  # fmt: skip
    # when run, it is refused naming the weights, and no run is recorded
    async with assert_unchanged():
        result = (await gql(RUN, variables, as_=cora, role=Role.COORDINATOR))["runMatching"]
    assert (result["__typename"], result["field"]) == ("ValidationError", "weights")
    assert await MatchRun.filter(program_id=program.id).count() == 0


async def test_skill_swaps_record_who_teaches_whom_what_and_publish(gql):
    # given Ana teaches design to Ben, Ben finance to Cy, Cy French to Ana; Dee and Eve teach each other
    cora = await make_person(name="Cora")
    program = await make_program(coordinators=[cora], kind=ProgramKind.SKILL_SWAP, circle_size=3,
                                 status=ProgramStatus.MATCHING)  # fmt: skip
    design, finance, french, sql = [await make_skill(name) for name in ("Design", "Finance", "French", "SQL")]
    people = {
        name: await enrolled(program, EnrollmentRole.PEER, name=name)
        for name in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay")
    }
    for teacher, learner, skill in (("Ana", "Ben", design), ("Ben", "Cy", finance), ("Cy", "Ana", french),
                                    ("Dee", "Eve", sql), ("Eve", "Dee", french)):  # fmt: skip
        await teaches(people[teacher], skill, 4)
        await learns(people[learner], skill, 1)

    run_id, run = await _run(gql, program, cora)

    lessons = sorted(
        (x["teacher"]["name"], x["learner"]["name"], tuple(s["name"] for s in x["skills"]))
        for p in run["proposals"]
        for x in p["lessons"]
    )
    assert lessons == [
        ("Ana", "Ben", ("Design",)), ("Ben", "Cy", ("Finance",)), ("Cy", "Ana", ("French",)),
        ("Dee", "Eve", ("SQL",)), ("Eve", "Dee", ("French",)),
    ]  # fmt: skip
    # Fay teaches and wants nothing: left out, saying why
    assert [(u["person"]["name"], u["reason"]) for u in run["unmatched"]] == [("Fay", "NO_SWAP_CYCLE")]
    published = await _publish_all(gql, run_id, run, cora)
    assert published["refused"] == [], published
    assert await Relationship.filter(program_id=program.id, kind=ProgramKind.SKILL_SWAP).count() == 2
