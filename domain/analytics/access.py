"""Who may read analytics: analysts and admins everywhere, coordinators for their own programs; aggregates only."""

from __future__ import annotations

from domain.access import Role, Viewer
from domain.errors import NotFound, PermissionDenied
from domain.programs import policy
from domain.programs.models import Program, ProgramCoordinator


async def require_program_reader(viewer: Viewer, program_id: int) -> bool:
    """Whether the viewer oversees the program (a coordinator of it or an admin); raises if they may not read."""
    if not await Program.exists(id=program_id):
        raise NotFound("No such program.", field="program_id")
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    oversees = policy.can_manage_program(viewer, coordinators)
    if not oversees and viewer.role is not Role.ANALYST:
        raise PermissionDenied("Analytics are for analysts, admins and the program's coordinators.", field="program_id")
    return oversees


def require_organisation_reader(viewer: Viewer) -> None:
    """Organisation-wide analytics: analysts, coordinators and admins."""
    viewer.require_role(Role.ANALYST, Role.COORDINATOR)
