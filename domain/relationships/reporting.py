"""The manager rule after the proposal: a reporting line imported while a pair waits blocks it from going on.

Proposals check the rule when they are made, but the directory can change before everyone has signed. So
every signature checks it again (the last signature is the activation), and a program's coordinators can
list the proposals a new reporting line has blocked, to end or rematch them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from domain.access import Viewer
from domain.errors import Conflict
from domain.people.models import Person
from domain.programs import policy
from domain.programs.models import ProgramCoordinator
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import Relationship, RelationshipMember, RelationshipStatus


@dataclass(frozen=True)
class ReportingLine:
    direct_report: Person
    manager: Person

    def explanation(self) -> str:
        return (
            f"{self.direct_report.name} now reports to {self.manager.name}, and nobody is in a mentoring "
            "relationship with their manager or a direct report; the program's coordinator can end or rematch it."
        )


def reporting_line_within(people: Sequence[Person]) -> ReportingLine | None:
    """The first manager and direct report both among `people`, else None."""
    by_id = {person.id: person for person in people}
    for person in people:
        manager = by_id.get(person.manager_id) if person.manager_id is not None else None
        if manager is not None:
            return ReportingLine(direct_report=person, manager=manager)
    return None


async def check_reporting_line_still_clear(member_ids: Collection[int], *, field: str = "relationship_id") -> None:
    """Refuses the step when two members have become manager and direct report, saying who."""
    line = reporting_line_within(await Person.filter(id__in=list(member_ids)).order_by("id"))
    if line is not None:
        raise Conflict(f"This relationship cannot go on: {line.explanation()}", field=field)


@dataclass(frozen=True)
class BlockedProposal:
    relationship: Relationship
    line: ReportingLine


async def blocked_proposals(viewer: Viewer, *, program_id: int) -> list[BlockedProposal] | None:
    """The program's PROPOSED relationships whose members now include a manager and their direct report;
    None unless the viewer runs the program. Three queries however many proposals."""
    return await reporting_line_conflicts(viewer, program_id=program_id, statuses=(RelationshipStatus.PROPOSED,))


async def reporting_line_conflicts(
    viewer: Viewer, *, program_id: int, statuses: Collection[RelationshipStatus] = OPEN
) -> list[BlockedProposal] | None:
    """The program's relationships in `statuses` (every open one by default: a directory sync can draw a new
    reporting line through an ACTIVE pair too) whose members are now manager and direct report; None unless
    the viewer runs the program."""
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    if not policy.can_manage_program(viewer, coordinators):
        return None
    proposals = await Relationship.filter(program_id=program_id, status__in=list(statuses)).order_by("id")
    links = await RelationshipMember.filter(relationship_id__in=[r.id for r in proposals]).values_list(
        "relationship_id", "person_id"
    )
    people = {p.id: p for p in await Person.filter(id__in={person_id for _, person_id in links}).order_by("id")}
    members: dict[int, list[Person]] = defaultdict(list)
    for relationship_id, person_id in sorted(links):
        members[relationship_id].append(people[person_id])
    blocked = []
    for relationship in proposals:
        line = reporting_line_within(members[relationship.id])
        if line is not None:
            blocked.append(BlockedProposal(relationship, line))
    return blocked
