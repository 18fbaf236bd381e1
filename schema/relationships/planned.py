"""A list of relationships resolved up front: what the selection asks of each, fetched once for all of them.

A page of 50 relationships would otherwise run a few hundred async resolvers (members, each member's person,
agreement, signedByAll, goalSummary, health, nextMeeting), each a coroutine and a task for the executor to
schedule, for answers the DataLoaders fetch in a handful of batches anyway. Here the same loaders and the
same policies run once per field for the whole list, and each Relationship keeps the answers; its resolvers
hand them back without awaiting. A field not planned (or a Relationship reached another way) resolves as
before, so planning changes how fast, never what.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection

from domain.agreements import models as agreement_models
from domain.agreements import policy as agreement_policy
from domain.goals import models as goal_models
from domain.goals import policy as goal_policy
from domain.goals.queries import goal_counts_by_relationship
from domain.meetings import models as meeting_models
from domain.people.models import Person as PersonRow
from domain.relationships import models
from domain.relationships.access import RelationshipAccess, access_from_rows
from schema.context import Info
from schema.programs.types import coordinator_ids_of

if TYPE_CHECKING:
    from schema.relationships.types import Relationship

PLANNED_FIELDS = frozenset({"members", "agreement", "goalSummary", "health", "nextMeeting", "goals", "meetings"})


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    """The fields of a selection set, fragments flattened."""
    for selection in selections:
        if isinstance(selection, (FragmentSpread, InlineFragment)):
            yield from _fields(selection.selections)
        else:
            yield selection


def selected_below(fields: Iterable[Selection], *path: str) -> dict[str, list[SelectedField]]:
    """The fields selected below these, or further down at `path` (e.g. "edges", "node"): by name, every alias."""
    level = [child for field in _fields(fields) for child in _fields(field.selections)]
    for name in path:
        level = [child for field in level if field.name == name for child in _fields(field.selections)]
    found: dict[str, list[SelectedField]] = {}
    for field in level:
        found.setdefault(field.name, []).append(field)
    return found


def _selects(fields: list[SelectedField] | None, name: str) -> bool:
    return any(name in selected_below([field]) for field in fields or ())


async def plan_relationships(info: Info, relationships: list[Relationship], selected: dict) -> None:
    """Fetches what `selected` (selected_below's answer for the relationship type) asks of every relationship."""
    wanted = PLANNED_FIELDS & selected.keys()
    if not relationships or not wanted:
        return
    loaders = info.context.loaders
    ids = [r.id for r in relationships]
    # The rows are in hand: whatever reads them by id later (a meeting's visibility, say) needs no statement.
    loaders.by_id(models.Relationship).prime_many({r.id: r.row for r in relationships})
    member_rows = await loaders.whole_level(loaders.children(models.RelationshipMember, "relationship_id"), ids)
    coordinators = await coordinator_ids_of(info, [r.row.program_id for r in relationships])
    accesses = [
        access_from_rows(r.row, [m.person_id for m in rows], list(ids_))
        for r, rows, ids_ in zip(relationships, member_rows, coordinators, strict=True)
    ]
    for relationship in relationships:
        relationship.planned = {}
    if "members" in wanted:
        await _plan_members(info, relationships, member_rows, _selects(selected["members"], "person"))
    if "agreement" in wanted:
        await _plan_agreements(info, relationships, accesses, _selects(selected["agreement"], "signedByAll"))
    if "goalSummary" in wanted:
        await _plan_goal_summaries(info, relationships, accesses)
    if "health" in wanted:
        from schema.meetings.fields import health_of_relationships

        for relationship, health in zip(relationships, await health_of_relationships(info, ids), strict=True):
            relationship.planned["health"] = health
    if "goals" in wanted:
        await _plan_goals(info, relationships, accesses, _selects(selected["goals"], "milestones"))
    if "meetings" in wanted:
        attendees = selected_below(selected["meetings"]).get("attendees")
        await _plan_meetings(info, relationships, attendees is not None, _selects(attendees, "person"))
    if "nextMeeting" in wanted:
        from schema.meetings.fields import next_meetings_of

        for relationship, meeting in zip(relationships, await next_meetings_of(info, ids), strict=True):
            relationship.planned["next_meeting"] = meeting


async def _planned_people(info: Info, person_ids) -> dict[int, dict]:
    """Each member's or attendee's planned answer for `person`, by person id, read in one batch; a person whose
    row is gone has none, so the resolver looks again."""
    from schema.people.types import Person

    person_ids = list(dict.fromkeys(person_ids))
    loaders = info.context.loaders
    rows = await loaders.whole_level(loaders.by_id(PersonRow), person_ids)
    return {key: {"person": Person.from_model(row)} for key, row in zip(person_ids, rows, strict=True) if row}


async def _plan_members(info: Info, relationships, member_rows, with_person: bool) -> None:
    from schema.relationships.types import RelationshipMember

    people = await _planned_people(info, (m.person_id for rows in member_rows for m in rows)) if with_person else {}
    for relationship, rows in zip(relationships, member_rows, strict=True):
        relationship.planned["members"] = [
            RelationshipMember(
                role=m.role, joined_at=m.joined_at, person_id=m.person_id, planned=people.get(m.person_id)
            )
            for m in rows
        ]


async def _plan_agreements(info: Info, relationships, accesses: list[RelationshipAccess], with_signers: bool) -> None:
    from schema.agreements.types import Agreement

    loaders = info.context.loaders
    agreement_rows = await loaders.whole_level(
        loaders.children(agreement_models.Agreement, "relationship_id"), [r.id for r in relationships]
    )
    first = [rows[0] if rows else None for rows in agreement_rows]
    versions = await loaders.whole_level(
        loaders.children(agreement_models.AgreementVersion, "agreement_id"), [a.id for a in first if a is not None]
    )
    versions_of = dict(zip([a.id for a in first if a is not None], versions, strict=True))
    found: list[Agreement | None] = []
    for agreement, access in zip(first, accesses, strict=True):
        current = None
        if agreement is not None and agreement_policy.can_read_agreement(info.context.viewer, access):
            current = next((v for v in versions_of[agreement.id] if v.number == agreement.current_version), None)
        found.append(
            None
            if current is None
            else Agreement(id=agreement.id, current_version=agreement.current_version, row=current, access=access)
        )
    if with_signers:
        present = [a for a in found if a is not None]
        signatures = await loaders.whole_level(
            loaders.children(agreement_models.AgreementSignature, "version_id"), [a.row.id for a in present]
        )
        for agreement, rows in zip(present, signatures, strict=True):
            agreement.planned = {"signed_by_all": agreement.all_signed(rows)}
    for relationship, agreement in zip(relationships, found, strict=True):
        relationship.planned["agreement"] = agreement


async def _plan_goal_summaries(info: Info, relationships, accesses: list[RelationshipAccess]) -> None:
    from schema.goals.types import GoalSummary

    counts = await info.context.loaders.whole_level(
        info.context.loaders.custom("goal_counts", goal_counts_by_relationship), [r.id for r in relationships]
    )
    for relationship, access, c in zip(relationships, accesses, counts, strict=True):
        relationship.planned["goal_summary"] = (
            GoalSummary(
                total=c.total, not_started=c.not_started, in_progress=c.in_progress, achieved=c.achieved,
                dropped=c.dropped,
            )
            if goal_policy.can_read_goal_summary(info.context.viewer, access)
            else None
        )  # fmt: skip


async def _plan_goals(info: Info, relationships, accesses: list[RelationshipAccess], with_milestones: bool) -> None:
    from schema.goals.types import Goal, milestones_in_order

    loaders = info.context.loaders
    groups = await loaders.whole_level(
        loaders.children(goal_models.Goal, "relationship_id"), [r.id for r in relationships]
    )
    readable = [goal_policy.can_read_relationship_goals(info.context.viewer, access) for access in accesses]
    goals = [[Goal.from_model(row) for row in rows] if ok else None for rows, ok in zip(groups, readable, strict=True)]
    if with_milestones:
        every = [goal for found in goals if found for goal in found]
        milestones = await loaders.whole_level(
            loaders.children(goal_models.Milestone, "goal_id"), [g.id for g in every]
        )
        for goal, rows in zip(every, milestones, strict=True):
            goal.planned = {"milestones": milestones_in_order(rows)}
    for relationship, found in zip(relationships, goals, strict=True):
        relationship.planned["goals"] = found


async def _plan_meetings(info: Info, relationships, with_attendees: bool, with_person: bool) -> None:
    from schema.meetings.fields import meetings_of_relationships
    from schema.meetings.types import MeetingAttendee

    loaders = info.context.loaders
    groups = await meetings_of_relationships(info, [r.id for r in relationships])
    if with_attendees:
        every = [meeting for meetings in groups for meeting in meetings]
        rows = await loaders.whole_level(
            loaders.children(meeting_models.MeetingAttendee, "meeting_id"), [m.id for m in every]
        )
        people = await _planned_people(info, (a.person_id for group in rows for a in group)) if with_person else {}
        for meeting, attendees in zip(every, rows, strict=True):
            meeting.planned = {
                "attendees": [
                    MeetingAttendee(
                        rsvp=a.rsvp,
                        responded_at=a.responded_at,
                        person_id=a.person_id,
                        planned=people.get(a.person_id),
                    )
                    for a in attendees
                ]
            }
    for relationship, meetings in zip(relationships, groups, strict=True):
        relationship.planned["meetings"] = meetings
