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
from domain.matching.constraints import Rejection, rejections
from domain.matching.profiles import COMPONENTS, Rules, Weights
from domain.programs.models import CrossDepartmentPolicy, ProgramKind

SCALE = 1000  # a perfect pair scores 1000; integer scores keep the flow solver and its certificate exact
_CHUNK = 1 << 19  # pairs per vectorised chunk: bounds the temporary arrays of a 10k x 2.5k cohort


@dataclass
class CandidateGraph:
    """Scored candidate pairs in (mentor, mentee) index order, and for each person how many pairs each hard
    rule removed (a row per person, a column per Rejection): what explains someone left with no candidate."""

    n_mentors: int
    n_mentees: int
    mentor: np.ndarray
    mentee: np.ndarray
    score: np.ndarray
    mentor_rejections: np.ndarray
    mentee_rejections: np.ndarray

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


def components(
    cohort: Cohort, rules: Rules, mentor: np.ndarray, mentee: np.ndarray, skills: np.ndarray, topics: np.ndarray
) -> dict[str, np.ndarray]:
    """Each component of each pair, in [0, 1]; the same code scores the graph and explains a proposal.

    `mentor` and `mentee` are index arrays of equal length, or a column and a row that broadcast to a block.
    """
    seniority = cohort.reverse_seniority if rules.kind is ProgramKind.REVERSE else cohort.seniority
    if rules.cross_department is CrossDepartmentPolicy.NONE:
        cross = np.zeros(np.broadcast_shapes(mentor.shape, mentee.shape))
    else:
        cross = cohort.cross_department.at(mentor, mentee)
    return {
        "skills": np.minimum(skills, 1.0),
        "topics": np.minimum(topics, 1.0),
        "cross_department": cross,
        "seniority": seniority.at(mentor, mentee),
        "working_hours": cohort.working_hours.at(mentor, mentee),
        "language": cohort.language.at(mentor, mentee),
        "formats": cohort.formats.at(mentor, mentee),
    }


def weighted_score(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """Sum of weight x component over the weights' total, times SCALE, rounded; in place, since a dense
    block's temporaries are megabytes each (a zero weight adds exactly nothing, so it is skipped)."""
    total = None
    for name, weight in weights.items():
        if weight == 0:
            continue
        if total is None:
            total = weight * parts[name]
        else:
            total += weight * parts[name]
    total *= SCALE
    total /= weights.total
    return np.rint(total, out=total).astype(np.int32)  # 0..SCALE


def _chunks(cohort: Cohort, fits: tuple, gated: bool) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """The pairs to score in (mentor, mentee) order, a bounded chunk at a time. Ungated, a chunk is a block of
    whole mentor rows (a column of mentors against the row of every mentee), scored by broadcasting."""
    n_mentors, n_mentees = len(cohort.mentors), len(cohort.mentees)
    if not gated:
        rows = max(1, _CHUNK // max(n_mentees, 1))
        everyone = np.arange(n_mentees, dtype=np.int32)[None, :]
        for first in range(0, n_mentors, rows):
            yield np.arange(first, min(first + rows, n_mentors), dtype=np.int32)[:, None], everyone
        return
    pattern = _pattern(fits[0], fits[1])
    mentor = np.repeat(np.arange(pattern.shape[0], dtype=np.int32), np.diff(pattern.indptr))
    mentee = pattern.indices.astype(np.int32)
    for start in range(0, len(mentor), _CHUNK):
        yield mentor[start : start + _CHUNK], mentee[start : start + _CHUNK]


def _fit_values(matrix: sparse.csr_matrix, mentor: np.ndarray, mentee: np.ndarray) -> np.ndarray:
    if mentor.ndim == 2:  # a block of whole rows: reading them dense beats searching for each pair
        return matrix[mentor[:, 0]].toarray()
    return values_at(matrix, mentor, mentee)


def candidate_graph(cohort: Cohort, rules: Rules, weights: Weights, *, gated: bool = True) -> CandidateGraph:
    """Every pair sharing a skill or topic, kept when it breaks no hard rule, with its integer score.

    A REVERSE pair is also held to the skills the mentee teaches back; its skill component is the
    mean of the two directions. `gated=False` scores every pair the hard rules allow, shared skill
    or not (the benchmark's dense case).
    """
    fits = _fits(cohort, rules.kind)
    kept_mentor, kept_mentee, kept_score = [], [], []
    mentor_rejections = np.zeros((len(cohort.mentors), len(Rejection)), dtype=np.int64)
    mentee_rejections = np.zeros((len(cohort.mentees), len(Rejection)), dtype=np.int64)
    for chunk_m, chunk_e in _chunks(cohort, fits, gated):
        skills, topics, back = (None if matrix is None else _fit_values(matrix, chunk_m, chunk_e) for matrix in fits)
        reasons = rejections(cohort, rules, chunk_m, chunk_e, None if back is None else back > 0)
        ok = reasons == Rejection.NONE
        _tally(mentor_rejections, chunk_m, reasons)
        _tally(mentee_rejections, chunk_e, reasons)
        if chunk_m.ndim == 2:  # a dense block: scoring all of it and keeping some beats gathering the kept
            parts = components(cohort, rules, chunk_m, chunk_e, _skill_fit(skills, back), topics)
            kept_score.append(weighted_score(parts, weights)[ok])
            kept_mentor.append(np.repeat(chunk_m[:, 0], np.count_nonzero(ok, axis=1)))
            kept_mentee.append(chunk_e[0, np.flatnonzero(ok) % ok.shape[1]])
            continue
        chunk_m, chunk_e, skills, topics = chunk_m[ok], chunk_e[ok], skills[ok], topics[ok]
        parts = components(
            cohort, rules, chunk_m, chunk_e, _skill_fit(skills, None if back is None else back[ok]), topics
        )
        kept_mentor.append(chunk_m)
        kept_mentee.append(chunk_e)
        kept_score.append(weighted_score(parts, weights))

    def joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        """One array from the chunks, which are let go at once: a dense graph's chunks are 57 MB a column."""
        whole = np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)
        parts.clear()
        return whole

    mentor_rejections[:, Rejection.NONE] = 0
    mentee_rejections[:, Rejection.NONE] = 0
    return CandidateGraph(
        n_mentors=len(cohort.mentors),
        n_mentees=len(cohort.mentees),
        mentor=joined(kept_mentor, np.int32),
        mentee=joined(kept_mentee, np.int32),
        score=joined(kept_score, np.int32),
        mentor_rejections=mentor_rejections,
        mentee_rejections=mentee_rejections,
    )


def _tally(counts: np.ndarray, person: np.ndarray, reason: np.ndarray) -> None:
    """Adds each pair's rejection to its person's row (`person` broadcasts against `reason`); kept pairs
    land in column NONE, which is cleared at the end."""
    cell = person.astype(np.int64) * counts.shape[1] + reason
    counts += np.bincount(cell.ravel(), minlength=counts.size).reshape(counts.shape)


def pair_rejection(cohort: Cohort, rules: Rules, mentor: int, mentee: int) -> Rejection:
    """The first hard rule the one pair (mentor, mentee) breaks, shared skill or not, or Rejection.NONE."""
    pair_m, pair_e = np.array([mentor], dtype=np.int32), np.array([mentee], dtype=np.int32)
    back = _fits(cohort, rules.kind)[2]
    teaches_back = None if back is None else values_at(back, pair_m, pair_e) > 0
    return Rejection(int(rejections(cohort, rules, pair_m, pair_e, teaches_back)[0]))


def _skill_fit(skills: np.ndarray, back: np.ndarray | None) -> np.ndarray:
    """The skill component: what the mentor teaches the mentee, and in REVERSE also what comes back, halved
    (`components` caps it at 1)."""
    return skills if back is None else (np.minimum(skills, 1.0) + np.minimum(back, 1.0)) / 2


def _pair_components(
    cohort: Cohort, rules: Rules, fits: tuple, mentor: np.ndarray, mentee: np.ndarray
) -> dict[str, np.ndarray]:
    skill_fit, topic_fit, back = fits
    skills = values_at(skill_fit, mentor, mentee)
    return components(
        cohort,
        rules,
        mentor,
        mentee,
        _skill_fit(skills, None if back is None else values_at(back, mentor, mentee)),
        values_at(topic_fit, mentor, mentee),
    )


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
