"""PEER_CIRCLE and SKILL_SWAP runs over plain data: circles or swap cycles, who is left out, and the bound."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from domain.matching.circles import CircleWeights, Peer, circle_parts, circle_score, plan_circles
from domain.matching.profiles import Profile, Rules, Weights
from domain.matching.scoring import SCALE
from domain.matching.swaps import Swapper, plan_swaps
from domain.programs.models import ProgramKind

DEFAULT_CIRCLE = 5


@dataclass(frozen=True)
class GroupProposal:
    member_ids: list[int]
    score: int  # 0..1000: the circle's score, or a swap's share of people placed (always full)
    breakdown: dict[str, dict[str, float]]
    lessons: list[dict]


@dataclass
class GroupResult:
    proposals: list[GroupProposal]
    unmatched: list[tuple[int, str, str]]  # (person id, reason, detail)
    objective: float
    bound: float
    rounds: int = 0


def conflicts_of(profiles: Sequence[Profile], rules: Rules) -> frozenset[tuple[int, int]]:
    """Pairs that may never share a circle or a swap: manager and report, separated or blocked pairs."""
    ids = {p.person_id for p in profiles}
    pairs = {(p.person_id, p.manager_id) for p in profiles if p.manager_id in ids}
    return frozenset(pairs | set(rules.separated) | set(rules.blocked))


def match_groups(
    kind: ProgramKind, profiles: Sequence[Profile], *, rules: Rules, size: int | None, weights: Weights = Weights()
) -> GroupResult:
    """Circles scored with the run's working-hours and cross-department weights, or swap cycles (which
    cover people and have no score to weigh)."""
    conflicts = conflicts_of(profiles, rules)
    if kind is ProgramKind.PEER_CIRCLE:
        return _circles(profiles, size or DEFAULT_CIRCLE, conflicts, CircleWeights.of(weights))
    return _swaps(profiles, conflicts, max_length=size or 3)


def _circles(
    profiles: Sequence[Profile], size: int, conflicts: frozenset[tuple[int, int]], weights: CircleWeights
) -> GroupResult:
    by_id = {p.person_id: Peer(p.person_id, p.department, p.week) for p in profiles}
    plan = plan_circles(list(by_id.values()), size, conflicts, weights)
    proposals = []
    for circle in plan.circles:
        members = [by_id[k] for k in circle]
        hours, mix = circle_parts(members)
        proposals.append(
            GroupProposal(
                member_ids=circle,
                score=round(circle_score(members, weights=weights) * SCALE),
                breakdown={
                    "working_hours": {
                        "value": round(hours, 4),
                        "points": round(hours * weights.working_hours * SCALE, 2),
                    },
                    "cross_department": {
                        "value": round(mix, 4),
                        "points": round(mix * weights.department_mix * SCALE, 2),
                    },
                },
                lessons=[],
            )
        )
    reason = "TOO_FEW_PEERS" if len(profiles) < 4 else "NO_CIRCLE_WITHOUT_A_CONFLICT"
    detail = {
        "TOO_FEW_PEERS": "Fewer peers than the smallest circle.",
        "NO_CIRCLE_WITHOUT_A_CONFLICT": "Left over, or every circle in reach holds their manager, report or a block.",
    }[reason]
    return GroupResult(proposals, [(k, reason, detail) for k in plan.unplaced], plan.objective, plan.upper_bound)


def _swaps(profiles: Sequence[Profile], conflicts: frozenset[tuple[int, int]], *, max_length: int) -> GroupResult:
    people = [Swapper(p.person_id, frozenset(p.teaches) | p.offers, frozenset(p.learns) | p.wants) for p in profiles]
    plan = plan_swaps(people, conflicts)
    proposals = []
    for cycle in plan.cycles:
        if len(cycle) > max_length:
            continue
        proposals.append(
            GroupProposal(
                member_ids=[lesson.teacher_id for lesson in cycle],
                score=SCALE,
                breakdown={"skills": {"value": 1.0, "points": float(SCALE)}},
                lessons=[
                    {"teacherId": x.teacher_id, "learnerId": x.learner_id, "skillIds": list(x.skill_ids)} for x in cycle
                ],
            )
        )
    placed = {k for proposal in proposals for k in proposal.member_ids}
    unmatched = [
        (
            p.person_id,
            "NO_SWAP_CYCLE",
            "Nobody who teaches what they want also wants what they teach, in a pair or a three.",
        )
        for p in profiles
        if p.person_id not in placed
    ]
    bound = float(plan.lp_bound if plan.lp_bound is not None else plan.on_a_cycle)
    return GroupResult(proposals, unmatched, float(len(placed)), bound)
