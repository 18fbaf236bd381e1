"""A relationship's access view (members, coordinators) assembled from per-request DataLoaders.

Every field that guards relationship data asks here, so a page of relationships costs three batched
queries for all of them, however many guarded fields it selects.
"""

from __future__ import annotations

from domain.programs.models import ProgramCoordinator
from domain.relationships.access import RelationshipAccess, access_from_rows
from domain.relationships.models import Relationship, RelationshipMember
from schema.context import Info


async def load_access(info: Info, relationship_id: int) -> RelationshipAccess | None:
    """None when the relationship does not exist."""
    loaders = info.context.loaders
    relationship = await loaders.by_id(Relationship).load(relationship_id)
    if relationship is None:
        return None
    members = await loaders.children(RelationshipMember, "relationship_id").load(relationship_id)
    coordinators = await loaders.children(ProgramCoordinator, "program_id").load(relationship.program_id)
    return access_from_rows(
        relationship, [member.person_id for member in members], [link.person_id for link in coordinators]
    )


async def load_optional_access(info: Info, relationship_id: int | None) -> RelationshipAccess | None:
    """The view for a row's optional relationship (a personal goal or reflection has none)."""
    return None if relationship_id is None else await load_access(info, relationship_id)
