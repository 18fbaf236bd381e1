"""Read queries over programs."""

from __future__ import annotations

from tortoise.expressions import Q, Subquery
from tortoise.queryset import QuerySet

from domain.access import Viewer
from domain.programs.models import Program, ProgramCoordinator, ProgramKind, ProgramStatus, ProgramTier


def visible_programs(
    viewer: Viewer,
    *,
    status: ProgramStatus | None = None,
    kind: ProgramKind | None = None,
    tier: ProgramTier | None = None,
) -> QuerySet[Program]:
    """Programs the viewer may see (policy.can_view_program, as a query): drafts only for who runs them."""
    query = Program.all()
    if not viewer.is_admin:
        mine = ProgramCoordinator.filter(person_id=viewer.person_id or -1).values("program_id")
        query = query.filter(~Q(status=ProgramStatus.DRAFT) | Q(id__in=Subquery(mine)))
    if status is not None:
        query = query.filter(status=status)
    if kind is not None:
        query = query.filter(kind=kind)
    if tier is not None:
        query = query.filter(tier=tier)
    return query
