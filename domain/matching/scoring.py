"""One explainable score per candidate pair: a weighted sum of components in [0, 1], scaled to 0..1000.

Only pairs that share a skill or a topic are scored (the candidate graph is sparse that way), and only
fields of `Profile` reach a component: demographics are not in the data the scorer receives.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from domain.matching.cohort import Cohort
from domain.matching.constraints import Rejection, is_same_department, rejections
from domain.matching.profiles import COMPONENTS, Rules, Weights
from domain.programs.models import CrossDepartmentPolicy, ProgramKind

SCALE = 1000  # a perfect pair scores 1000; integer scores keep the flow solver and its certificate exact
_SENIORITY_STEPS = 3  # a mentor three or more levels up earns the full seniority component
_CHUNK = 1 << 19  # pairs per vectorised chunk: bounds the temporary arrays of a 10k x 2.5k cohort


@dataclass
class CandidateGraph:
    """Scored candidate pairs in (mentor, mentee) index order, and every pair a hard rule removed."""

    n_mentors: int
    n_mentees: int
    mentor: np.ndarray
    mentee: np.ndarray
    score: np.ndarray
    rejected_mentor: np.ndarray
    rejected_mentee: np.ndarray
    rejected_reason: np.ndarray

    @property
    def size(self) -> int:
        return len(self.score)


def _pattern(*matrices: sparse.spmatrix) -> sparse.csr_matrix:
    total = matrices[0]
    for matrix in matrices[1:]:
        total = total + matrix
    total = sparse.csr_matrix(total)
    total.sum_duplicates()
    total.sort_indices()
    total.eliminate_zeros()
    return total


def values_at(matrix: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """matrix[rows[k], cols[k]] for every k (0 where the matrix has no entry), by one sorted search."""
    matrix = sparse.csr_matrix(matrix)
    matrix.sum_duplicates()
    matrix.sort_indices()
    width = matrix.shape[1]
    stored_rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
    stored = stored_rows * width + matrix.indices
    wanted = rows.astype(np.int64) * width + cols
    position = np.minimum(np.searchsorted(stored, wanted), max(len(stored) - 1, 0))
    if not len(stored):
        return np.zeros(len(rows))
    return np.where(stored[position] == wanted, matrix.data[position], 0.0)


def _fits(cohort: Cohort, kind: ProgramKind) -> tuple[sparse.csr_matrix, sparse.csr_matrix, sparse.csr_matrix | None]:
    """(skill fit, topic fit, what the mentee teaches back) as mentors x mentees matrices."""
    skills = cohort.teach @ cohort.learn.T
    topics = cohort.offers @ cohort.wants.T
    if kind is not ProgramKind.REVERSE:
        return sparse.csr_matrix(skills), sparse.csr_matrix(topics), None
    back = cohort.mentor_learn @ cohort.mentee_teach.T + cohort.mentor_wants @ cohort.mentee_offers.T
    return sparse.csr_matrix(skills), sparse.csr_matrix(topics), sparse.csr_matrix(back)


def _popcount(words: np.ndarray) -> np.ndarray:
    return np.bitwise_count(words).sum(axis=1, dtype=np.int32)


def components(
    cohort: Cohort, rules: Rules, mentor: np.ndarray, mentee: np.ndarray, skills: np.ndarray, topics: np.ndarray
) -> dict[str, np.ndarray]:
    """Each component of each pair, in [0, 1]; the same code scores the graph and explains a proposal."""
    m, e = cohort.mentor_side, cohort.mentee_side
    cross = ~is_same_department(cohort, mentor, mentee) & (m.department[mentor] >= 0) & (e.department[mentee] >= 0)
    known = (m.level[mentor] >= 0) & (e.level[mentee] >= 0)
    gap = m.level[mentor] - e.level[mentee]
    if rules.kind is ProgramKind.REVERSE:
        gap = -gap
    shortest_week = np.minimum(m.week_hours[mentor], e.week_hours[mentee])
    shared_week = _popcount(m.week[mentor] & e.week[mentee])
    return {
        "skills": np.minimum(skills, 1.0),
        "topics": np.minimum(topics, 1.0),
        "cross_department": cross.astype(np.float64) * (rules.cross_department is not CrossDepartmentPolicy.NONE),
        "seniority": np.where(known, np.clip(gap, 0, _SENIORITY_STEPS) / _SENIORITY_STEPS, 0.0),
        "working_hours": np.where(shortest_week > 0, shared_week / np.maximum(shortest_week, 1), 0.0),
        "language": (_popcount(m.languages[mentor] & e.languages[mentee]) > 0).astype(np.float64),
        "formats": (_popcount(m.formats[mentor] & e.formats[mentee]) > 0).astype(np.float64),
    }


def weighted_score(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    total = sum(getattr(weights, name) * parts[name] for name in COMPONENTS)
    return np.rint(total * SCALE / weights.total).astype(np.int64)


def _chunks(cohort: Cohort, fits: tuple, gated: bool) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pairs to score in (mentor, mentee) order, a bounded chunk at a time."""
    n_mentors, n_mentees = len(cohort.mentors), len(cohort.mentees)
    if not gated:
        rows = max(1, _CHUNK // max(n_mentees, 1))
        for first in range(0, n_mentors, rows):
            block = np.arange(first, min(first + rows, n_mentors), dtype=np.int32)
            yield np.repeat(block, n_mentees), np.tile(np.arange(n_mentees, dtype=np.int32), len(block))
        return
    pattern = _pattern(fits[0], fits[1])
    mentor = np.repeat(np.arange(pattern.shape[0], dtype=np.int32), np.diff(pattern.indptr))
    mentee = pattern.indices.astype(np.int32)
    for start in range(0, len(mentor), _CHUNK):
        yield mentor[start : start + _CHUNK], mentee[start : start + _CHUNK]


def candidate_graph(cohort: Cohort, rules: Rules, weights: Weights, *, gated: bool = True) -> CandidateGraph:
    """Every pair sharing a skill or topic, kept when it breaks no hard rule, with its integer score.

    A REVERSE pair is also held to the skills the mentee teaches back; its skill component is the
    mean of the two directions. `gated=False` scores every pair the hard rules allow, shared skill
    or not (the benchmark's dense case).
    """
    skill_fit, topic_fit, back = _fits(cohort, rules.kind)
    kept_mentor, kept_mentee, kept_score = [], [], []
    lost_mentor, lost_mentee, lost_reason = [], [], []
    for chunk_m, chunk_e in _chunks(cohort, (skill_fit, topic_fit, back), gated):
        teaches_back = None if back is None else values_at(back, chunk_m, chunk_e) > 0
        reasons = rejections(cohort, rules, chunk_m, chunk_e, teaches_back)
        ok = reasons == Rejection.NONE
        lost_mentor.append(chunk_m[~ok])
        lost_mentee.append(chunk_e[~ok])
        lost_reason.append(reasons[~ok])
        chunk_m, chunk_e = chunk_m[ok], chunk_e[ok]
        parts = _pair_components(cohort, rules, (skill_fit, topic_fit, back), chunk_m, chunk_e)
        kept_mentor.append(chunk_m)
        kept_mentee.append(chunk_e)
        kept_score.append(weighted_score(parts, weights))

    def joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    return CandidateGraph(
        n_mentors=len(cohort.mentors),
        n_mentees=len(cohort.mentees),
        mentor=joined(kept_mentor, np.int32),
        mentee=joined(kept_mentee, np.int32),
        score=joined(kept_score, np.int64),
        rejected_mentor=joined(lost_mentor, np.int32),
        rejected_mentee=joined(lost_mentee, np.int32),
        rejected_reason=joined(lost_reason, np.int8),
    )


def _pair_components(
    cohort: Cohort, rules: Rules, fits: tuple, mentor: np.ndarray, mentee: np.ndarray
) -> dict[str, np.ndarray]:
    skill_fit, topic_fit, back = fits
    skills = np.minimum(values_at(skill_fit, mentor, mentee), 1.0)
    if back is not None:
        skills = (skills + np.minimum(values_at(back, mentor, mentee), 1.0)) / 2
    return components(cohort, rules, mentor, mentee, skills, values_at(topic_fit, mentor, mentee))


def breakdowns(
    cohort: Cohort, rules: Rules, weights: Weights, mentor: np.ndarray, mentee: np.ndarray
) -> list[dict[str, dict[str, float]]]:
    """Why each pair scores what it does: every component's value and the points it adds (of 1000)."""
    parts = _pair_components(cohort, rules, _fits(cohort, rules.kind), mentor, mentee)
    values = {name: np.round(parts[name], 4).tolist() for name in COMPONENTS}
    scale = {name: getattr(weights, name) * SCALE / weights.total for name in COMPONENTS}
    points = {name: np.round(parts[name] * scale[name], 2).tolist() for name in COMPONENTS}
    return [
        {name: {"value": values[name][k], "points": points[name][k]} for name in COMPONENTS} for k in range(len(mentor))
    ]
