"""A cohort as column arrays: the vectorised form the scorer and the hard rules read (sorted by person id)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from domain.matching.profiles import Mentor, Profile

_WORD = (1 << 64) - 1
_NONE = -1


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
    week: np.ndarray
    week_hours: np.ndarray
    languages: np.ndarray
    formats: np.ndarray


@dataclass
class Cohort:
    mentors: list[Mentor]
    mentees: list[Profile]
    mentor_side: Side
    mentee_side: Side
    capacity: np.ndarray
    trained: np.ndarray
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
    week_words = max((p.week.bit_length() for p in people), default=0) // 64 + 1
    skills = _index_ints(skill for p in people for skill in (*p.teaches, *p.learns, *p.offers, *p.wants))

    def side(profiles: Sequence[Profile]) -> Side:
        return Side(
            person_id=np.array([p.person_id for p in profiles], dtype=np.int64),
            manager_id=np.array([_NONE if p.manager_id is None else p.manager_id for p in profiles], dtype=np.int64),
            department=np.array([departments.get(p.department, _NONE) for p in profiles], dtype=np.int32),
            level=np.array([_NONE if p.level is None else p.level for p in profiles], dtype=np.int32),
            offset=np.array([p.utc_offset_minutes for p in profiles], dtype=np.int32),
            week=mask_words([p.week for p in profiles], week_words),
            week_hours=np.array([p.week.bit_count() for p in profiles], dtype=np.int32),
            languages=mask_words(_set_masks([p.languages for p in profiles], languages), len(languages) // 64 + 1),
            formats=mask_words(_set_masks([p.formats for p in profiles], formats), len(formats) // 64 + 1),
        )

    mentor_profiles = [mentor.profile for mentor in mentors]
    return Cohort(
        mentors=list(mentors),
        mentees=list(mentees),
        mentor_side=side(mentor_profiles),
        mentee_side=side(mentees),
        capacity=np.array([max(mentor.capacity, 0) for mentor in mentors], dtype=np.int64),
        trained=np.array([mentor.trained for mentor in mentors], dtype=bool),
        teach=_teaching(mentor_profiles, skills),
        learn=_learning(mentees, skills),
        offers=_topics([p.offers for p in mentor_profiles], skills, normalise=False),
        wants=_topics([p.wants for p in mentees], skills, normalise=True),
        mentee_teach=_teaching(mentees, skills),
        mentor_learn=_learning(mentor_profiles, skills),
        mentee_offers=_topics([p.offers for p in mentees], skills, normalise=False),
        mentor_wants=_topics([p.wants for p in mentor_profiles], skills, normalise=True),
    )


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
