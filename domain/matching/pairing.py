"""Matching a pair program end to end over plain data: candidates, optimum, explanations, who is left and why."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from domain.matching.assign import Assignment, assign
from domain.matching.cohort import Cohort, build_cohort
from domain.matching.constraints import Rejection
from domain.matching.profiles import Mentor, Objective, Profile, Rules, Weights
from domain.matching.scoring import CandidateGraph, breakdowns, candidate_graph

# Why someone was left out, beyond the hard rules (constraints.Rejection names those).
NO_SHARED_SKILL = "NO_SHARED_SKILL"
CANDIDATES_TAKEN = "CANDIDATES_TAKEN"
NOT_NEEDED = "NOT_NEEDED"


@dataclass(frozen=True)
class Proposal:
    mentor_id: int
    mentee_id: int
    score: int
    breakdown: dict[str, dict[str, float]]


@dataclass(frozen=True)
class Unmatched:
    person_id: int
    role: str  # MENTOR or MENTEE
    reason: str
    detail: str


@dataclass
class PairingResult:
    proposals: list[Proposal]
    unmatched: list[Unmatched]
    total_score: int
    objective_value: int
    dual_objective: int
    rounds: int
    candidate_pairs: int
    arcs_solved: int
    solve_seconds: float
    score_seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def proven_optimal(self) -> bool:
        return self.objective_value == self.dual_objective


def match_pairs(
    mentors: Sequence[Mentor],
    mentees: Sequence[Profile],
    *,
    rules: Rules,
    weights: Weights,
    objective: Objective,
) -> PairingResult:
    """The proven-optimal proposals for a ONE_ON_ONE or REVERSE cohort, each with its breakdown."""
    started = time.perf_counter()
    cohort = build_cohort(mentors, mentees)
    graph = candidate_graph(cohort, rules, weights)
    scored = time.perf_counter()
    result = assign(graph.mentor, graph.mentee, graph.score, cohort.capacity, len(cohort.mentees), objective)
    mentor_index, mentee_index = graph.mentor[result.chosen], graph.mentee[result.chosen]
    explained = breakdowns(cohort, rules, weights, mentor_index, mentee_index)
    proposals = [
        Proposal(
            mentor_id=cohort.mentors[int(m)].profile.person_id,
            mentee_id=cohort.mentees[int(e)].person_id,
            score=int(s),
            breakdown=parts,
        )
        for m, e, s, parts in zip(mentor_index, mentee_index, graph.score[result.chosen], explained, strict=True)
    ]
    proposals.sort(key=lambda proposal: (proposal.mentor_id, proposal.mentee_id))
    return PairingResult(
        proposals=proposals,
        unmatched=_unmatched(cohort, graph, result),
        total_score=result.total_score,
        objective_value=result.objective_value,
        dual_objective=result.certificate.dual,
        rounds=result.rounds,
        candidate_pairs=graph.size,
        arcs_solved=result.arcs_solved,
        solve_seconds=result.solve_seconds,
        score_seconds=scored - started,
    )


def _describe(reason: str, counts: Counter) -> str:
    total = sum(counts.values())
    return {
        NO_SHARED_SKILL: "No one on the other side shares a skill or topic.",
        CANDIDATES_TAKEN: "Every candidate's places went to matches that scored higher overall.",
        NOT_NEEDED: "Every mentee who fits was matched without this mentor.",
    }.get(reason, f"All {total} candidate(s) sharing a skill break a hard rule, most often {reason}.")


def _unmatched(cohort: Cohort, graph: CandidateGraph, result: Assignment) -> list[Unmatched]:
    """Everyone without a proposal, each with the reason: a hard rule that removed every candidate, or none."""
    out: list[Unmatched] = []
    sides = (
        ("MENTEE", [p.person_id for p in cohort.mentees], graph.mentee, graph.mentee_rejections, CANDIDATES_TAKEN),
        ("MENTOR", [m.profile.person_id for m in cohort.mentors], graph.mentor, graph.mentor_rejections, NOT_NEEDED),
    )
    for role, person_ids, kept, tally, taken in sides:
        matched = np.bincount(kept[result.chosen], minlength=len(person_ids)) > 0
        has_candidate = np.bincount(kept, minlength=len(person_ids)) > 0
        for index, person_id in enumerate(person_ids):
            if matched[index]:
                continue
            counts = Counter({Rejection(code).name: int(n) for code, n in enumerate(tally[index].tolist()) if n})
            if has_candidate[index]:
                reason, counts = taken, Counter()
            elif counts:
                reason = min(counts.most_common(), key=lambda item: (-item[1], Rejection[item[0]]))[0]
            else:
                reason = NO_SHARED_SKILL
            out.append(Unmatched(person_id, role, reason, _describe(reason, counts)))
    return out
