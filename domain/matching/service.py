"""Matching use cases: run a program's matching off the event loop, review proposals, publish them."""

from __future__ import annotations

import asyncio
import datetime
import logging
import time
from dataclasses import asdict

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.clock import utc_now
from domain.errors import Conflict, DomainError, NotFound, PermissionDenied, ValidationFailed
from domain.matching import policy
from domain.matching.audit import Outcome, audit
from domain.matching.inputs import load_pair_cohort
from domain.matching.models import MatchProposal, MatchRun, MatchRunStatus, ProposalStatus
from domain.matching.pairing import PairingResult, match_pairs
from domain.matching.profiles import Objective, Weights
from domain.people.models import Demographics
from domain.programs.models import Enrollment, EnrollmentRole, Program, ProgramCoordinator, ProgramKind, ProgramStatus
from domain.relationships.rules import ELIGIBLE_ENROLLMENT

log = logging.getLogger("mentorgraph.matching")

SOLVER = "OR-Tools SimpleMinCostFlow, LP-dual certificate"
PAIR_KINDS = frozenset({ProgramKind.ONE_ON_ONE, ProgramKind.REVERSE})
_RUNNABLE = frozenset({ProgramStatus.RECRUITING, ProgramStatus.MATCHING, ProgramStatus.ACTIVE})
# A run still RUNNING this long after it started died with its process: it no longer blocks a new one.
STALE_AFTER = datetime.timedelta(minutes=15)
_running: set[asyncio.Task] = set()


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
    if EnrollmentRole.MENTOR not in roles:
        raise ValidationFailed("The program has no approved mentors to match.", field="program_id")
    if EnrollmentRole.MENTEE not in roles:
        raise ValidationFailed("The program has no approved mentees to match.", field="program_id")


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
    if program.kind not in PAIR_KINDS:
        raise ValidationFailed(f"{program.kind.value} programs are not matched in pairs.", field="program_id")
    chosen = Weights(**(weights or {}))
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
    task = asyncio.get_running_loop().create_task(execute(run_id))
    _running.add(task)
    task.add_done_callback(_running.discard)
    return task


async def wait_for_runs() -> None:
    """Lets every run started in this process finish (shutdown, tests)."""
    while _running:
        await asyncio.gather(*list(_running), return_exceptions=True)


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
        cohort = await load_pair_cohort(program, now=run.started_at, kept=[(p.mentor_id, p.mentee_id) for p in kept])
        weights = Weights(**run.weights)
        result = await asyncio.to_thread(
            match_pairs, cohort.mentors, cohort.mentees, rules=cohort.rules, weights=weights, objective=run.objective
        )
        report = await _audit(result, cohort.mentors, cohort.mentees, program)
        async with in_transaction():
            await _store(run, result, kept, cohort.snapshot(), report, started)
    except Exception as error:
        log.exception("matching run %s failed", run_id)
        run.status, run.finished_at = MatchRunStatus.FAILED, utc_now()
        run.failure = error.message if isinstance(error, DomainError) else "The solver failed; see the server log."
        run.duration_ms = int((time.perf_counter() - started) * 1000)
        await run.save()
    return run


async def _store(
    run: MatchRun, result: PairingResult, kept: list[MatchProposal], inputs: dict, report: dict, started: float
) -> None:
    if not run.dry_run:
        # Everything undecided from earlier runs gives way to this one; locked proposals are carried over.
        await (
            MatchProposal.filter(
                run__program_id=run.program_id,
                run__dry_run=False,
                status__in=[ProposalStatus.PROPOSED, ProposalStatus.APPROVED, ProposalStatus.REJECTED],
            )
            .exclude(run_id=run.id)
            .update(status=ProposalStatus.SUPERSEDED)
        )
    for old in kept:
        await MatchProposal.create(
            run_id=run.id, status=old.status, mentor_id=old.mentor_id, mentee_id=old.mentee_id, score=old.score,
            breakdown=old.breakdown, locked=True, decided_by_id=old.decided_by_id, decided_at=old.decided_at,
        )  # fmt: skip
    await MatchProposal.bulk_create(
        [
            MatchProposal(
                run_id=run.id, mentor_id=p.mentor_id, mentee_id=p.mentee_id, score=p.score, breakdown=p.breakdown
            )
            for p in result.proposals
        ]
    )
    run.status = MatchRunStatus.DONE
    run.inputs = inputs
    run.total_score = result.total_score + sum(old.score for old in kept)
    run.objective_value = result.objective_value
    run.dual_objective = result.dual_objective
    run.certificate_rounds = result.rounds
    run.candidate_pairs = result.candidate_pairs
    run.matched_count = len(result.proposals) + len(kept)
    run.unmatched = [
        {"personId": u.person_id, "role": u.role, "reason": u.reason, "detail": u.detail} for u in result.unmatched
    ]
    run.audit = report
    run.finished_at = utc_now()
    run.duration_ms = int((time.perf_counter() - started) * 1000)
    await run.save()


async def _audit(result: PairingResult, mentors, mentees, program: Program) -> dict:
    """The run's bias audit: demographics are read here, after the matching, and only for aggregates."""
    ids = [m.profile.person_id for m in mentors] + [p.person_id for p in mentees]
    rows = await Demographics.filter(person_id__in=ids).values_list(
        "person_id", "gender", "ethnicity", "age_band", "generation"
    )
    groups = {
        person_id: {"gender": _text(g), "ethnicity": e, "age_band": _text(a), "generation": _text(n)}
        for person_id, g, e, a, n in rows
    }
    level = {m.profile.person_id: m.profile.level for m in mentors} | {p.person_id: p.level for p in mentees}
    department = {m.profile.person_id: m.profile.department for m in mentors} | {
        p.person_id: p.department for p in mentees
    }
    by_person: dict[int, list] = {}
    for proposal in result.proposals:
        by_person.setdefault(proposal.mentor_id, []).append(proposal)
        by_person.setdefault(proposal.mentee_id, []).append(proposal)

    def outcome(person_id: int, role: str) -> Outcome:
        mine = by_person.get(person_id, [])
        gaps = [
            abs(level[p.mentor_id] - level[p.mentee_id])
            for p in mine
            if level.get(p.mentor_id) is not None and level.get(p.mentee_id) is not None
        ]
        cross = [department.get(p.mentor_id) != department.get(p.mentee_id) for p in mine]
        return Outcome(
            role=role,
            groups=groups.get(person_id, {}),
            matched=bool(mine),
            score=round(sum(p.score for p in mine) / len(mine)) if mine else None,
            cross_department=any(cross),
            seniority_gap=round(sum(gaps) / len(gaps)) if gaps else None,
        )

    outcomes = [outcome(m.profile.person_id, "MENTOR") for m in mentors] + [
        outcome(p.person_id, "MENTEE") for p in mentees
    ]
    report = audit(outcomes)
    return {"groups": [asdict(row) for row in report.groups], "dimensions": [asdict(d) for d in report.dimensions]}


def _text(value) -> str | None:
    return None if value is None else getattr(value, "value", value)
