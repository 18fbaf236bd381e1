"""The program and enrollment state machines: which status may follow which."""

from __future__ import annotations

from domain.errors import InvalidTransition
from domain.programs.models import EnrollmentStatus, ProgramStatus

_PROGRAM_NEXT: dict[ProgramStatus, tuple[ProgramStatus, ...]] = {
    ProgramStatus.DRAFT: (ProgramStatus.RECRUITING, ProgramStatus.CLOSED),
    ProgramStatus.RECRUITING: (ProgramStatus.MATCHING, ProgramStatus.CLOSED),
    # A matching round that leaves people unmatched may reopen recruiting for them.
    ProgramStatus.MATCHING: (ProgramStatus.ACTIVE, ProgramStatus.RECRUITING, ProgramStatus.CLOSED),
    ProgramStatus.ACTIVE: (ProgramStatus.CLOSED,),
    ProgramStatus.CLOSED: (),
}

_ENROLLMENT_NEXT: dict[EnrollmentStatus, tuple[EnrollmentStatus, ...]] = {
    EnrollmentStatus.APPLIED: (EnrollmentStatus.APPROVED, EnrollmentStatus.WITHDRAWN),
    EnrollmentStatus.APPROVED: (EnrollmentStatus.MATCHED, EnrollmentStatus.WITHDRAWN),
    EnrollmentStatus.MATCHED: (EnrollmentStatus.ACTIVE, EnrollmentStatus.WITHDRAWN),
    EnrollmentStatus.ACTIVE: (EnrollmentStatus.COMPLETED, EnrollmentStatus.WITHDRAWN),
    EnrollmentStatus.COMPLETED: (),
    # Withdrawn people may apply again; the same row is reused so history stays linked.
    EnrollmentStatus.WITHDRAWN: (EnrollmentStatus.APPLIED,),
}


def allowed_transitions(status: ProgramStatus) -> tuple[ProgramStatus, ...]:
    return _PROGRAM_NEXT[status]


def check_program_transition(current: ProgramStatus, target: ProgramStatus, *, field: str = "status") -> None:
    if target not in _PROGRAM_NEXT[current]:
        allowed = ", ".join(s.value for s in _PROGRAM_NEXT[current]) or "none: the program is closed"
        raise InvalidTransition(
            f"A {current.value} program cannot become {target.value} (allowed: {allowed}).", field=field
        )


def check_enrollment_transition(current: EnrollmentStatus, target: EnrollmentStatus, *, field: str = "status") -> None:
    if target not in _ENROLLMENT_NEXT[current]:
        allowed = ", ".join(s.value for s in _ENROLLMENT_NEXT[current]) or "none"
        raise InvalidTransition(
            f"A {current.value} enrollment cannot become {target.value} (allowed: {allowed}).", field=field
        )
