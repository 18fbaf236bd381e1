"""Read queries over relationships: batched for DataLoaders, or querysets for the caller to page."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from tortoise.queryset import QuerySet

from domain.access import Viewer
from domain.programs import policy
from domain.programs.models import ProgramCoordinator
from domain.relationships.models import Relationship, RelationshipMember, RelationshipStatus


async def relationships_of_people(person_ids: Sequence[int]) -> list[list[Relationship]]:
    """Per person, every relationship they are a member of (oldest first): two queries for any number of people."""
    links = await RelationshipMember.filter(person_id__in=list(set(person_ids))).values_list(
        "person_id", "relationship_id"
    )
    rows = {row.id: row for row in await Relationship.filter(id__in=list({rid for _, rid in links}))}
    grouped: dict[int, list[Relationship]] = defaultdict(list)
    for person_id, relationship_id in sorted(links, key=lambda link: link[1]):
        grouped[person_id].append(rows[relationship_id])
    return [grouped.get(person_id, []) for person_id in person_ids]


async def program_relationships(
    viewer: Viewer, *, program_id: int, statuses: Sequence[RelationshipStatus] = ()
) -> QuerySet[Relationship] | None:
    """The program's relationships for whoever runs it; None for anyone else."""
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    if not policy.can_manage_program(viewer, coordinators):
        return None
    query = Relationship.filter(program_id=program_id)
    if statuses:
        query = query.filter(status__in=list(statuses))
    return query
