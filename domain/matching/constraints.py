"""The hard rules of a pair, vectorised: a pair that breaks one is never a candidate, and says which it broke."""

from __future__ import annotations

from enum import IntEnum

import numpy as np

from domain.matching.cohort import Cohort
from domain.matching.profiles import Rules
from domain.programs.models import CrossDepartmentPolicy, ProgramKind


class Rejection(IntEnum):
    """Why a pair that shares a skill or topic cannot be proposed; the order is the order of precedence."""

    NONE = 0
    SELF = 1
    REPORTING_LINE = 2
    SEPARATED_BY_REMATCH = 3
    BLOCKED_BY_COORDINATOR = 4
    TRAINING_MISSING = 5
    TIME_ZONE_GAP = 6
    SAME_DEPARTMENT = 7
    SENIORITY = 8
    NOTHING_TO_TEACH_BACK = 9
    MENTOR_AT_CAPACITY = 10


def _pair_keys(pairs: frozenset[tuple[int, int]]) -> np.ndarray:
    keys = [(a << 32) | b for a, b in pairs] + [(b << 32) | a for a, b in pairs]
    return np.unique(np.array(keys, dtype=np.int64))


def rejections(
    cohort: Cohort, rules: Rules, mentor: np.ndarray, mentee: np.ndarray, teaches_back: np.ndarray | None
) -> np.ndarray:
    """The first rule each pair (mentor[k], mentee[k]) breaks, or Rejection.NONE; `teaches_back` is
    whether the mentee teaches something the mentor wants (needed in REVERSE programs only). The index
    arrays may also broadcast (a column of mentors against a row of mentees): the codes take that shape."""
    m, e = cohort.mentor_side, cohort.mentee_side
    broken_rules: list[tuple[Rejection, np.ndarray]] = []

    def reject(broken: np.ndarray, reason: Rejection) -> None:
        broken_rules.append((reason, broken))

    mentor_id, mentee_id = m.person_id[mentor], e.person_id[mentee]
    reject(mentor_id == mentee_id, Rejection.SELF)
    reject((m.manager_id[mentor] == mentee_id) | (e.manager_id[mentee] == mentor_id), Rejection.REPORTING_LINE)
    keys = (mentor_id << 32) | mentee_id
    listed = ((rules.separated, Rejection.SEPARATED_BY_REMATCH), (rules.blocked, Rejection.BLOCKED_BY_COORDINATOR))
    for pairs, reason in listed:
        if pairs:
            reject(np.isin(keys, _pair_keys(pairs)), reason)
    if rules.training_required:
        reject(~cohort.trained[mentor], Rejection.TRAINING_MISSING)
    if rules.max_time_zone_gap_hours is not None:
        gap = np.abs(m.offset[mentor] - e.offset[mentee])
        gap = np.minimum(gap, 24 * 60 - gap)  # +13:00 and -10:00 are one hour apart on the clock face
        reject(gap > rules.max_time_zone_gap_hours * 60, Rejection.TIME_ZONE_GAP)
    if rules.cross_department is CrossDepartmentPolicy.REQUIRED:
        reject(is_same_department(cohort, mentor, mentee), Rejection.SAME_DEPARTMENT)
    if rules.kind is ProgramKind.REVERSE:
        mentor_level, mentee_level = m.level[mentor], e.level[mentee]
        # The relationships rule: in reverse mentoring the more junior person holds the MENTOR seat.
        reject((mentor_level >= 0) & (mentee_level >= 0) & (mentor_level > mentee_level), Rejection.SENIORITY)
        if teaches_back is not None:
            reject(~teaches_back, Rejection.NOTHING_TO_TEACH_BACK)
    reject(cohort.capacity[mentor] <= 0, Rejection.MENTOR_AT_CAPACITY)
    # Written last rule first, so the first rule broken is the one left; one pass per rule, and a rule
    # about one side only (training, capacity) stays a column or row that broadcasts over the block.
    code = np.zeros(np.broadcast_shapes(mentor.shape, mentee.shape), dtype=np.int8)
    for reason, broken in sorted(broken_rules, key=lambda rule: rule[0], reverse=True):
        np.copyto(code, np.int8(reason), where=broken)
    return code


def is_same_department(cohort: Cohort, mentor: np.ndarray, mentee: np.ndarray) -> np.ndarray:
    m, e = cohort.mentor_side, cohort.mentee_side
    return (m.department[mentor] >= 0) & (m.department[mentor] == e.department[mentee])
