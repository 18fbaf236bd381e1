"""A cohort as column arrays: the vectorised form the scorer and the hard rules read (sorted by person id)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from domain.matching.blocks import BLOCK, blocks
from domain.matching.profiles import Mentor, Profile

_WORD = (1 << 64) - 1
_NONE = -1
SENIORITY_STEPS = 3  # a mentor three or more levels up earns the full seniority component


def mask_words(masks: Sequence[int], words: int) -> np.ndarray:
    """Python-int bitmasks as an (n, words) uint64 array, so overlaps are one AND and a popcount per word."""
    out = np.zeros((len(masks), max(words, 1)), dtype=np.uint64)
    for row, mask in enumerate(masks):
        for word in range(words):
            out[row, word] = (mask >> (64 * word)) & _WORD
    return out


def _index(values: Iterable[str]) -> dict[str, int]:
    return {value: bit for bit, value in enumerate(sorted(set(values)))}


def _set_masks(sets: Sequence[frozenset[str]], index: dict[str, int]) -> list[int]:
    return [sum(1 << index[value] for value in values) for values in sets]


@dataclass
class Side:
    """One side of the bipartite cohort (mentors or mentees), one entry per person."""

    person_id: np.ndarray
    manager_id: np.ndarray
    department: np.ndarray
    level: np.ndarray
    offset: np.ndarray


@dataclass
class KindTable:
    """A value for every (mentor, mentee) pair that depends on one bitmask per person (their week, their
    languages, their formats). People with the same mask share a kind and the value is computed once per
    pair of kinds: a few hundred kinds instead of millions of pairs, and one gather per pair to read it."""

    mentor_kind: np.ndarray
    mentee_kind: np.ndarray
    values: np.ndarray  # mentor kinds x mentee kinds

    def at(self, mentor: np.ndarray, mentee: np.ndarray) -> np.ndarray:
        if mentor.ndim == 2:  # a column of mentors against a row of mentees: rows first, then columns
            return self.values[self.mentor_kind[mentor[:, 0]]][:, self.mentee_kind[mentee[0]]]
        return self.values[self.mentor_kind[mentor], self.mentee_kind[mentee]]


@dataclass
class Cohort:
    mentors: list[Mentor]
    mentees: list[Profile]
    mentor_side: Side
    mentee_side: Side
    capacity: np.ndarray
    trained: np.ndarray
    # Shared working half hours over the shorter week; a language in common; a meeting format in common.
    working_hours: KindTable
    language: KindTable
    formats: KindTable
    # Both departments known and different; how far the mentor's level is above the mentee's (or, for
    # REVERSE programs, the mentee's above the mentor's), up to SENIORITY_STEPS, 0 when either is unknown.
    cross_department: KindTable
    seniority: KindTable
    reverse_seniority: KindTable
    # Mentors x skills and mentees x skills, scaled so that a product is a skill fit in [0, 1].
    teach: sparse.csr_matrix
    learn: sparse.csr_matrix
    offers: sparse.csr_matrix
    wants: sparse.csr_matrix
    # The other way round, for REVERSE programs where both teach.
    mentee_teach: sparse.csr_matrix
    mentor_learn: sparse.csr_matrix
    mentee_offers: sparse.csr_matrix
    mentor_wants: sparse.csr_matrix


def build_cohort(mentors: Sequence[Mentor], mentees: Sequence[Profile]) -> Cohort:
    """Sorts both sides by person id (so the same people always give the same problem) and lays them out."""
    mentors = sorted(mentors, key=lambda mentor: mentor.profile.person_id)
    mentees = sorted(mentees, key=lambda profile: profile.person_id)
    people = [mentor.profile for mentor in mentors] + list(mentees)
    departments = _index(p.department for p in people if p.department is not None)
    languages = _index(language for p in people for language in p.languages)
    formats = _index(fmt for p in people for fmt in p.formats)
    skills = _index_ints(skill for p in people for skill in (*p.teaches, *p.learns, *p.offers, *p.wants))

    def side(profiles: Sequence[Profile]) -> Side:
        return Side(
            person_id=np.array([p.person_id for p in profiles], dtype=np.int64),
            manager_id=np.array([_NONE if p.manager_id is None else p.manager_id for p in profiles], dtype=np.int64),
            department=np.array([departments.get(p.department, _NONE) for p in profiles], dtype=np.int32),
            level=np.array([_NONE if p.level is None else p.level for p in profiles], dtype=np.int32),
            offset=np.array([p.utc_offset_minutes for p in profiles], dtype=np.int32),
        )

    def sets(profiles: Sequence[Profile], attribute: str, index: dict[str, int]) -> list[int]:
        return _set_masks([getattr(p, attribute) for p in profiles], index)

    mentor_profiles = [mentor.profile for mentor in mentors]
    mentor_side, mentee_side = side(mentor_profiles), side(mentees)
    return Cohort(
        mentors=list(mentors),
        mentees=list(mentees),
        mentor_side=mentor_side,
        mentee_side=mentee_side,
        capacity=np.array([max(mentor.capacity, 0) for mentor in mentors], dtype=np.int64),
        trained=np.array([mentor.trained for mentor in mentors], dtype=bool),
        working_hours=kind_table([p.week for p in mentor_profiles], [p.week for p in mentees], _share_of_shorter),
        language=kind_table(sets(mentor_profiles, "languages", languages), sets(mentees, "languages", languages), _any),
        formats=kind_table(sets(mentor_profiles, "formats", formats), sets(mentees, "formats", formats), _any),
        cross_department=value_table(mentor_side.department, mentee_side.department, _different),
        seniority=value_table(mentor_side.level, mentee_side.level, lambda m, e: _levels_above(m, e)),
        reverse_seniority=value_table(mentor_side.level, mentee_side.level, lambda m, e: _levels_above(e, m)),
        teach=_teaching(mentor_profiles, skills),
        learn=_learning(mentees, skills),
        offers=_topics([p.offers for p in mentor_profiles], skills, normalise=False),
        wants=_topics([p.wants for p in mentees], skills, normalise=True),
        mentee_teach=_teaching(mentees, skills),
        mentor_learn=_learning(mentor_profiles, skills),
        mentee_offers=_topics([p.offers for p in mentees], skills, normalise=False),
        mentor_wants=_topics([p.wants for p in mentor_profiles], skills, normalise=True),
    )


def kind_table(mentor_masks: Sequence[int], mentee_masks: Sequence[int], value: Callable) -> KindTable:
    """`value(shared bits, mentor's bits, mentee's bits)` for every pair of distinct masks."""
    mentor_kinds, mentor_kind = _kinds(mentor_masks)
    mentee_kinds, mentee_kind = _kinds(mentee_masks)
    words = max((mask.bit_length() for mask in (*mentor_kinds, *mentee_kinds)), default=0) // 64 + 1
    left, right = mask_words(mentor_kinds, words), mask_words(mentee_kinds, words)
    shared = np.empty((len(mentor_kinds), len(mentee_kinds)), dtype=np.int32)
    for rows in blocks(len(mentor_kinds), max(1, BLOCK // max(len(mentee_kinds) * words, 1))):
        shared[rows] = np.bitwise_count(left[rows, None, :] & right[None, :, :]).sum(axis=-1)
    mentor_bits = np.array([mask.bit_count() for mask in mentor_kinds], dtype=np.int32)[:, None]
    mentee_bits = np.array([mask.bit_count() for mask in mentee_kinds], dtype=np.int32)[None, :]
    return KindTable(mentor_kind, mentee_kind, value(shared, mentor_bits, mentee_bits))


def value_table(mentor_keys: np.ndarray, mentee_keys: np.ndarray, value: Callable) -> KindTable:
    """`value(mentor keys, mentee keys)`, broadcast over every pair of distinct keys (a department, a level)."""
    mentor_distinct, mentor_kind = np.unique(mentor_keys, return_inverse=True)
    mentee_distinct, mentee_kind = np.unique(mentee_keys, return_inverse=True)
    values = value(mentor_distinct[:, None], mentee_distinct[None, :]).astype(np.float64)
    return KindTable(mentor_kind.astype(np.int32), mentee_kind.astype(np.int32), values)


def _different(mentor: np.ndarray, mentee: np.ndarray) -> np.ndarray:
    return (mentor != _NONE) & (mentee != _NONE) & (mentor != mentee)


def _levels_above(upper: np.ndarray, lower: np.ndarray) -> np.ndarray:
    known = (upper != _NONE) & (lower != _NONE)
    return np.where(known, np.clip(upper - lower, 0, SENIORITY_STEPS) / SENIORITY_STEPS, 0.0)


def _kinds(masks: Sequence[int]) -> tuple[list[int], np.ndarray]:
    distinct = sorted(set(masks))
    index = {mask: kind for kind, mask in enumerate(distinct)}
    return distinct, np.array([index[mask] for mask in masks], dtype=np.int32)


def _share_of_shorter(shared: np.ndarray, mentor_bits: np.ndarray, mentee_bits: np.ndarray) -> np.ndarray:
    shortest = np.minimum(mentor_bits, mentee_bits)
    return np.where(shortest > 0, shared / np.maximum(shortest, 1), 0.0)


def _any(shared: np.ndarray, mentor_bits: np.ndarray, mentee_bits: np.ndarray) -> np.ndarray:
    return (shared > 0).astype(np.float64)


def _index_ints(values: Iterable[int]) -> dict[int, int]:
    return {value: column for column, value in enumerate(sorted(set(values)))}


def _matrix(rows: list[int], cols: list[int], values: list[float], shape: tuple[int, int]) -> sparse.csr_matrix:
    return sparse.csr_matrix((np.array(values, dtype=np.float64), (rows, cols)), shape=shape)


def _teaching(profiles: Sequence[Profile], skills: dict[int, int]) -> sparse.csr_matrix:
    """Proficiency / 5: an expert teaches a wanted skill at full weight."""
    rows, cols, values = [], [], []
    for row, profile in enumerate(profiles):
        for skill, proficiency in profile.teaches.items():
            rows.append(row)
            cols.append(skills[skill])
            values.append(min(max(proficiency, 1), 5) / 5)
    return _matrix(rows, cols, values, (len(profiles), len(skills)))


def _learning(profiles: Sequence[Profile], skills: dict[int, int]) -> sparse.csr_matrix:
    """How far each learner has to go (6 - current proficiency), normalised per learner to sum to 1.

    Times the teacher's proficiency / 5 this weights a match by the proficiency gap, and the product
    over every wanted skill reaches 1 only when an expert teaches all of them.
    """
    rows, cols, values = [], [], []
    for row, profile in enumerate(profiles):
        gaps = {skill: 6 - min(max(current, 1), 5) for skill, current in profile.learns.items()}
        total = sum(gaps.values())
        for skill, gap in gaps.items():
            rows.append(row)
            cols.append(skills[skill])
            values.append(gap / total)
    return _matrix(rows, cols, values, (len(profiles), len(skills)))


def _topics(sets: Sequence[frozenset[int]], skills: dict[int, int], *, normalise: bool) -> sparse.csr_matrix:
    rows, cols, values = [], [], []
    for row, topics in enumerate(sets):
        for skill in topics:
            rows.append(row)
            cols.append(skills[skill])
            values.append(1 / len(topics) if normalise else 1.0)
    return _matrix(rows, cols, values, (len(sets), len(skills)))
