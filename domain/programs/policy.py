"""Who may see and manage programs and enrollments. Pure rules over ids the caller has loaded."""

from __future__ import annotations

from collections.abc import Collection

from domain.access import Role, Viewer
from domain.programs.models import Enrollment, EnrollmentRole, Program, ProgramStatus, ProgramTier


def coordinates(viewer: Viewer, coordinator_ids: Collection[int]) -> bool:
    return viewer.person_id is not None and viewer.person_id in coordinator_ids


def can_manage_program(viewer: Viewer, coordinator_ids: Collection[int]) -> bool:
    """Admins manage every program; a coordinator manages those they are named on."""
    return viewer.is_admin or (viewer.role is Role.COORDINATOR and coordinates(viewer, coordinator_ids))


def can_view_program(viewer: Viewer, program: Program, coordinator_ids: Collection[int]) -> bool:
    """Drafts are visible only to who runs them; every published program is visible to everyone signed in."""
    if program.status is not ProgramStatus.DRAFT:
        return True
    return viewer.is_admin or coordinates(viewer, coordinator_ids)


def can_view_enrollment(
    viewer: Viewer, enrollment: Enrollment, program: Program, coordinator_ids: Collection[int]
) -> bool:
    """Own enrollments, the program's coordinators and admins; in self-service programs the mentor list is public."""
    if viewer.is_admin or coordinates(viewer, coordinator_ids):
        return True
    if viewer.person_id is not None and enrollment.person_id == viewer.person_id:
        return True
    return (
        program.tier is ProgramTier.SELF_SERVICE
        and program.status is not ProgramStatus.DRAFT
        and enrollment.role is EnrollmentRole.MENTOR
    )


def can_withdraw_enrollment(viewer: Viewer, enrollment: Enrollment, coordinator_ids: Collection[int]) -> bool:
    """The enrollee themself or who manages the program; the same people may read why a place was given up."""
    is_enrollee = viewer.person_id is not None and enrollment.person_id == viewer.person_id
    return is_enrollee or can_manage_program(viewer, coordinator_ids)
