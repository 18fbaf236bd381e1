"""LP-duality proof that an assignment is optimal, and the independent check of such a proof.

The assignment LP is: maximise sum s_ij x_ij subject to sum_j x_ij <= cap_i (mentor i), sum_i x_ij <= 1
(mentee j), x >= 0. Its dual: minimise sum cap_i u_i + sum v_j subject to u_i + v_j >= s_ij for every
candidate pair and u, v >= 0. Any feasible (u, v) bounds every assignment's total from above, so an
assignment whose total equals the dual objective is optimal: that equality is the certificate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from domain.matching.blocks import blocks


@dataclass(frozen=True)
class Certificate:
    mentor_price: np.ndarray  # u_i, one per mentor
    mentee_value: np.ndarray  # v_j, one per mentee
    primal: int
    dual: int

    @property
    def proves_optimal(self) -> bool:
        return self.primal == self.dual


def dual_objective(capacity: np.ndarray, mentor_price: np.ndarray, mentee_value: np.ndarray) -> int:
    return int((capacity * mentor_price).sum() + mentee_value.sum())


def violations(
    mentor: np.ndarray,
    mentee: np.ndarray,
    score: np.ndarray,
    mentor_price: np.ndarray,
    mentee_value: np.ndarray,
    bonus: int = 0,
) -> np.ndarray:
    """Indices of candidate pairs whose dual constraint u_i + v_j >= s_ij + bonus fails, a block at a time."""
    found = [np.zeros(0, dtype=np.int64)]
    for part in blocks(len(score)):
        slack = mentor_price[mentor[part]] + mentee_value[mentee[part]]
        slack -= score[part]
        found.append(np.flatnonzero(slack < bonus) + part.start)
    return np.concatenate(found)


def check(
    *,
    mentor: np.ndarray,
    mentee: np.ndarray,
    score: np.ndarray,
    capacity: np.ndarray,
    chosen: np.ndarray,
    certificate: Certificate,
) -> list[str]:
    """Everything wrong with a claimed optimum over the full candidate graph (empty when it is proven).

    Recomputes from the inputs alone: the assignment respects capacities, the duals are non-negative and
    cover every candidate pair, and the primal total equals the dual objective.
    """
    problems = []
    u, v = certificate.mentor_price, certificate.mentee_value
    if (u < 0).any() or (v < 0).any():
        problems.append("a dual value is negative")
    broken = violations(mentor, mentee, score, u, v)
    if len(broken):
        problems.append(f"{len(broken)} candidate pair(s) violate u_i + v_j >= s_ij")
    if (np.bincount(mentor[chosen], minlength=len(capacity)) > capacity).any():
        problems.append("a mentor is over capacity")
    if (np.bincount(mentee[chosen], minlength=len(v)) > 1).any():
        problems.append("a mentee is matched twice")
    primal = int(score[chosen].sum())
    dual = dual_objective(capacity, u, v)
    if primal != certificate.primal or dual != certificate.dual or primal != dual:
        problems.append(f"primal {primal} differs from dual {dual}")
    return problems
