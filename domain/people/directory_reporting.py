"""Reporting lines a directory sync is about to draw between two members of one open relationship.

Nobody mentors their manager or a direct report (domain/relationships/rules.py). The sync does not end such
a relationship itself: it names it in the run's report, and the program's coordinators find it in
`reportingLineConflicts` (domain/relationships/reporting.py) to end or rematch; a proposal is also refused
at its next signature and listed by `blockedProposals`. Nothing changes silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

from domain.people.import_rows import RowDraft
from domain.people.models import Person
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import Relationship, RelationshipMember, RelationshipStatus
from domain.relationships.reporting import ReportingLine


async def reporting_line_flags(drafts: Iterable[RowDraft], id_of: Mapping[str, int]) -> list[str]:
    """One line per open relationship whose members the drafts would make manager and direct report."""
    claimed = {
        id_of[draft.key]: id_of[draft.manager_email]
        for draft in drafts
        if draft.is_valid and draft.key in id_of and draft.manager_email in id_of
    }
    if not claimed:
        return []
    current = dict(await Person.filter(id__in=list(claimed)).values_list("id", "manager_id"))
    new_lines = {person: manager for person, manager in claimed.items() if current.get(person) != manager}
    if not new_lines:
        return []
    memberships = await RelationshipMember.filter(
        person_id__in=list(new_lines), relationship__status__in=list(OPEN)
    ).values_list("relationship_id", flat=True)
    members: dict[int, set[int]] = defaultdict(set)
    for relationship_id, person_id in await RelationshipMember.filter(
        relationship_id__in=sorted(set(memberships))
    ).values_list("relationship_id", "person_id"):
        members[relationship_id].add(person_id)
    clashes = [
        (relationship_id, person, manager)
        for relationship_id, people in sorted(members.items())
        for person, manager in sorted(new_lines.items())
        if person in people and manager in people
    ]
    if not clashes:
        return []
    people = {p.id: p for p in await Person.filter(id__in={i for _, p, m in clashes for i in (p, m)})}
    relationships = {r.id: r for r in await Relationship.filter(id__in=[c[0] for c in clashes])}
    flags = []
    for relationship_id, person, manager in clashes:
        relationship = relationships[relationship_id]
        line = ReportingLine(direct_report=people[person], manager=people[manager]).explanation()
        where = f"relationship {relationship_id} ({relationship.status.value}, program {relationship.program_id})"
        line += " It is listed in reportingLineConflicts"
        line += ", and its signatures are refused." if relationship.status is RelationshipStatus.PROPOSED else "."
        flags.append(f"{where}: {line}")
    return flags
