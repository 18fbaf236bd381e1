"""Matching use cases: run a program's matching off the event loop, review proposals, publish them."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.background import BackgroundTasks
from domain.clock import utc_now
from domain.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from domain.matching import policy
from domain.matching.circles import CircleWeights
from domain.matching.groups import match_groups
from domain.matching.inputs import load_pair_cohort, load_peer_cohort
from domain.matching.models import MatchProposal, MatchRun, MatchRunStatus, ProposalStatus
from domain.matching.pairing import match_pairs
from domain.matching.profiles import Objective, Weights
from domain.matching.run_audit import group_audit, pair_audit
from domain.matching.scoring import SCALE
from domain.matching.storing import NewProposal, member_rows, supersede_undecided, write_proposals
from domain.programs.models import Enrollment, EnrollmentRole, Program, ProgramCoordinator, ProgramKind, ProgramStatus
from domain.relationships.models import MemberRole
from domain.relationships.rules import ELIGIBLE_ENROLLMENT

log = logging.getLogger("mentorgraph.matching")

SOLVER = "OR-Tools SimpleMinCostFlow, LP-dual certificate"
PAIR_KINDS = frozenset({ProgramKind.ONE_ON_ONE, ProgramKind.REVERSE})
GROUP_KINDS = frozenset({ProgramKind.PEER_CIRCLE, ProgramKind.SKILL_SWAP})
_RUNNABLE = frozenset({ProgramStatus.RECRUITING, ProgramStatus.MATCHING, ProgramStatus.ACTIVE})
# A run still RUNNING this long after it started died with its process: it no longer blocks a new one.
STALE_AFTER = datetime.timedelta(minutes=15)
_tasks = BackgroundTasks()


async def coordinators_of(program_id: int) -> list[int]:
    return await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)


async def managed_program(viewer: Viewer, program_id: int) -> Program:
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise NotFound("No such program.", field="program_id")
    if not policy.can_run(viewer, await coordinators_of(program_id)):
        raise PermissionDenied("Only the program's coordinators can run its matching.", field="program_id")
    return program


async def _check_cohort(program: Program) -> None:
    roles = await Enrollment.filter(program_id=program.id, status__in=list(ELIGIBLE_ENROLLMENT)).values_list(
        "role", flat=True
    )
    needed = (EnrollmentRole.MENTOR, EnrollmentRole.MENTEE) if program.kind in PAIR_KINDS else (EnrollmentRole.PEER,)
    for role in needed:
        if role not in roles:
            raise ValidationFailed(f"The program has no approved {role.value.lower()}s to match.", field="program_id")


async def start_run(
    viewer: Viewer,
    *,
    program_id: int,
    objective: Objective,
    weights: dict[str, int] | None,
    dry_run: bool,
    now: datetime.datetime,
) -> MatchRun:
    """Checks the request and records a RUNNING run (nothing is written when a check fails); `execute` does the work."""
    program = await managed_program(viewer, program_id)
    if program.status not in _RUNNABLE:
        raise ValidationFailed(f"A {program.status.value} program cannot be matched.", field="program_id")
    if program.kind not in PAIR_KINDS | GROUP_KINDS:
        raise ValidationFailed(f"{program.kind.value} programs are not matched by a run.", field="program_id")
    chosen = Weights(**(weights or {}))
    if program.kind is ProgramKind.PEER_CIRCLE:
        CircleWeights.of(chosen)  # refuses weights that leave a circle nothing to score
    await _check_cohort(program)
    async with in_transaction():
        await Program.filter(id=program_id).select_for_update().get()  # one run at a time per program
        running = await MatchRun.filter(program_id=program_id, status=MatchRunStatus.RUNNING)
        for run in running:
            if now - run.started_at < STALE_AFTER:
                raise Conflict("A matching run of this program is still running.", field="program_id")
            run.status, run.failure, run.finished_at = MatchRunStatus.FAILED, "Interrupted before it finished.", now
            await run.save()
        return await MatchRun.create(
            program_id=program_id,
            objective=Objective(objective),
            dry_run=dry_run,
            weights=dict(chosen.items()),
            solver=SOLVER,
            started_at=now,
            created_by_id=viewer.person_id,
        )


def start_in_background(run_id: int) -> asyncio.Task:
    """Executes the run as a task on this loop; the solving itself happens in a worker thread."""
    return _tasks.start(execute(run_id))


async def wait_for_runs() -> None:
    """Lets every run started in this process finish (shutdown, tests)."""
    await _tasks.wait()


async def _kept_proposals(program_id: int) -> list[MatchProposal]:
    """Locked proposals of the program's earlier runs that are still to be decided or published."""
    return await MatchProposal.filter(
        run__program_id=program_id,
        run__dry_run=False,
        locked=True,
        status__in=[ProposalStatus.PROPOSED, ProposalStatus.APPROVED],
    ).order_by("id")


async def execute(run_id: int) -> MatchRun:
    """Loads the cohort, solves it in a worker thread, and stores proposals, certificate and audit in one
    transaction. Any failure marks the run FAILED and writes no proposal."""
    run = await MatchRun.get(id=run_id)
    started = time.perf_counter()
    try:
        program = await Program.get(id=run.program_id)
        kept = await _kept_proposals(program.id)
        solve = _solve_pairs if program.kind in PAIR_KINDS else _solve_groups
        outcome = await solve(run, program, kept)
        async with in_transaction():
            if not run.dry_run:
                await supersede_undecided(run)
            await write_proposals(run, kept, outcome.proposals)
            run.status = MatchRunStatus.DONE
            for name, value in outcome.totals.items():
                setattr(run, name, value)
            run.total_score = (run.total_score or 0) + sum(old.score for old in kept)
            run.matched_count = len(outcome.proposals) + len(kept)
            run.finished_at = utc_now()
            run.duration_ms = int((time.perf_counter() - started) * 1000)
            await run.save()
    except Exception as error:
        log.exception("matching run %s failed", run_id)
        run.status, run.finished_at = MatchRunStatus.FAILED, utc_now()
        run.failure = error.message if isinstance(error, DomainError) else "The solver failed; see the server log."
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        await run.save()
    return run


@dataclass
class _Outcome:
    proposals: list[NewProposal]
    totals: dict


async def _solve_pairs(run: MatchRun, program: Program, kept: list[MatchProposal]) -> _Outcome:
    cohort = await load_pair_cohort(program, now=run.started_at, kept=[(p.mentor_id, p.mentee_id) for p in kept])
    result = await asyncio.to_thread(
        match_pairs,
        cohort.mentors,
        cohort.mentees,
        rules=cohort.rules,
        weights=Weights(**run.weights),
        objective=run.objective,
    )
    proposals = [
        NewProposal([(p.mentor_id, MemberRole.MENTOR), (p.mentee_id, MemberRole.MENTEE)], p.score, p.breakdown)
        for p in result.proposals
    ]
    return _Outcome(
        proposals,
        {
            "inputs": cohort.snapshot(),
            "total_score": result.total_score,
            "objective_value": result.objective_value,
            "dual_objective": result.dual_objective,
            "certificate_rounds": result.rounds,
            "candidate_pairs": result.candidate_pairs,
            "unmatched": [
                {"personId": u.person_id, "role": u.role, "reason": u.reason, "detail": u.detail}
                for u in result.unmatched
            ],
            "audit": await pair_audit(result, cohort.mentors, cohort.mentees),
        },
    )


async def _solve_groups(run: MatchRun, program: Program, kept: list[MatchProposal]) -> _Outcome:
    """Circles or swap cycles: the objective is reported against its bound, not proven optimal."""
    kept_members = [person for seats in (await member_rows([p.id for p in kept])).values() for person, _ in seats]
    cohort = await load_peer_cohort(program, now=run.started_at, kept=kept_members)
    result = await asyncio.to_thread(
        match_groups,
        program.kind,
        cohort.mentees,
        rules=cohort.rules,
        size=program.circle_size,
        weights=Weights(**run.weights),
    )
    proposals = [
        NewProposal([(k, MemberRole.PEER) for k in p.member_ids], p.score, p.breakdown, p.lessons)
        for p in result.proposals
    ]
    inputs = cohort.snapshot()
    inputs["peers"] = inputs.pop("mentees")
    del inputs["mentors"]
    placed = {k: p.score for p in result.proposals for k in p.member_ids}
    return _Outcome(
        proposals,
        {
            "inputs": inputs,
            "total_score": sum(p.score for p in result.proposals),
            "objective_value": round(result.objective * SCALE),
            "dual_objective": round(result.bound * SCALE),
            "certificate_rounds": 0,
            "candidate_pairs": None,
            "unmatched": [
                {"personId": k, "role": "PEER", "reason": reason, "detail": detail}
                for k, reason, detail in result.unmatched
            ],
            "audit": await group_audit(placed, cohort.mentees),
        },
    )
