"""Matching runs against the database: re-runs keep what was decided, demographics never change a proposal."""

from __future__ import annotations

import pytest

from domain.access import Role, Viewer
from domain.clock import utc_now
from domain.errors import InvalidTransition
from domain.matching import review, service
from domain.matching.models import MatchProposal, MatchRun, ProposalStatus
from domain.matching.profiles import Objective
from domain.people.models import AgeBand, Demographics, Gender, Generation
from domain.programs.models import EnrollmentRole
from domain.relationships.models import MatchExclusion, Relationship, RelationshipStatus
from domain.skills.models import Skill
from tests.domain.relationships.scenario import enrolled
from tests.schema.matching_support import cohort, teaches

pytestmark = pytest.mark.usefixtures("db")


def coordinator_of(world) -> Viewer:
    return Viewer(email=world.coordinator.email, role=Role.COORDINATOR, person_id=world.coordinator.id)


async def run(world, *, dry_run: bool = False) -> MatchRun:
    started = await service.start_run(
        coordinator_of(world), program_id=world.program.id, objective=Objective.BEST_SCORE, weights=None,
        dry_run=dry_run, now=utc_now(),
    )  # fmt: skip
    return await service.execute(started.id)


async def pairs(run_row: MatchRun, world) -> dict[tuple[str, str], MatchProposal]:
    names = {person.id: name for name, person in world.people.items()}
    rows = await MatchProposal.filter(run_id=run_row.id)
    return {(names[row.mentor_id], names[row.mentee_id]): row for row in rows}


async def test_a_rerun_keeps_locked_and_published_pairs_and_rematches_with_the_old_partner_excluded():
    world = await cohort()
    coordinator = coordinator_of(world)
    first = await pairs(await run(world), world)
    # given Mara-Milo is locked and Mo-Nia published
    await review.lock(coordinator, proposal_id=first["Mara", "Milo"].id, locked=True)
    await review.decide(coordinator, proposal_id=first["Mo", "Nia"].id, to=ProposalStatus.APPROVED, now=utc_now())
    await review.publish(coordinator, run_id=first["Mo", "Nia"].run_id, now=utc_now())

    # when the program runs again
    second_run = await run(world)
    second = await pairs(second_run, world)
    # then the locked pair is carried over, the published mentee is not matched again, Ola still has no place
    assert set(second) == {("Mara", "Milo")}
    assert second["Mara", "Milo"].locked
    assert (await MatchProposal.get(id=first["Mara", "Milo"].id)).status is ProposalStatus.SUPERSEDED
    assert {u["personId"] for u in second_run.unmatched if u["role"] == "MENTEE"} == {world.people["Ola"].id}

    # given a rematch ends Mo and Nia's relationship and a second negotiation mentor joins
    relationship = await Relationship.get(program_id=world.program.id)
    await Relationship.filter(id=relationship.id).update(status=RelationshipStatus.ENDED_EARLY)
    mo, nia = world.people["Mo"], world.people["Nia"]
    for person, other in ((mo, nia), (nia, mo)):
        await MatchExclusion.create(program=world.program, person=person, excluded_person=other,
                                    source_relationship=relationship)  # fmt: skip
    max_ = await enrolled(world.program, EnrollmentRole.MENTOR, capacity=1, name="Max", level=8, department="Ops")
    world.people["Max"] = max_
    await teaches(max_, await Skill.get(name="Negotiation"), 3)

    # when it runs once more
    third = await pairs(await run(world), world)
    # then Nia, awaiting a rematch, is matched again, never with Mo
    assert ("Max", "Nia") in third
    assert ("Mo", "Nia") not in third


async def test_demographics_set_changed_or_removed_never_change_a_proposal():
    world = await cohort()

    async def proposals() -> list[tuple]:
        run_row = await run(world, dry_run=True)
        return sorted((p.mentor_id, p.mentee_id, p.score, tuple(sorted(p.breakdown.items()))) for p in
                      await MatchProposal.filter(run_id=run_row.id))  # fmt: skip

    without = await proposals()
    for index, person in enumerate(world.people.values()):
        await Demographics.create(person=person, gender=list(Gender)[index % 3], ethnicity="A",
                                  age_band=AgeBand.UNDER_25, generation=Generation.GEN_Z)  # fmt: skip
    with_them = await proposals()
    for index, person in enumerate(world.people.values()):
        await Demographics.filter(person_id=person.id).update(
            gender=list(Gender)[(index + 1) % 4], ethnicity="B", age_band=AgeBand.OVER_64
        )
    changed = await proposals()
    await Demographics.all().delete()
    removed = await proposals()
    assert without == with_them == changed == removed
    assert len(without) == 2


async def test_a_dry_run_previews_without_replacing_anything_and_cannot_be_reviewed():
    world = await cohort()
    real = await pairs(await run(world), world)
    preview = await pairs(await run(world, dry_run=True), world)
    assert set(preview) == set(real)
    assert {p.status for p in await MatchProposal.filter(id__in=[p.id for p in real.values()])} == {
        ProposalStatus.PROPOSED
    }
    with pytest.raises(InvalidTransition) as refused:
        await review.decide(
            coordinator_of(world), proposal_id=preview["Mara", "Milo"].id, to=ProposalStatus.APPROVED, now=utc_now()
        )
    assert refused.value.field == "proposal_id"


async def test_every_run_carries_an_audit_of_aggregates_only():
    world = await cohort()
    run_row = await run(world)
    assert {d["dimension"] for d in run_row.audit["dimensions"]} == {"gender", "ethnicity", "age_band", "generation"}
    # five people without demographics form no group: nothing can be reported about anyone
    assert run_row.audit["groups"] == []
