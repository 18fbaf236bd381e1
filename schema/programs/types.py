"""GraphQL types for programs and enrollments."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.people.models import Person as PersonRow
from domain.programs import models, policy
from domain.programs.lifecycle import allowed_transitions
from domain.skills.models import Skill as SkillRow
from schema.context import Info
from schema.convert import from_row
from schema.enums import (
    Cadence,
    CrossDepartmentPolicy,
    EnrollmentRole,
    EnrollmentStatus,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
)
from schema.skills.types import Skill

if TYPE_CHECKING:
    from schema.people.types import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]


async def coordinator_ids(info: Info, program_id: int) -> set[int]:
    links = await info.context.loaders.children(models.ProgramCoordinator, "program_id").load(program_id)
    return {link.person_id for link in links}


async def coordinator_ids_of(info: Info, program_ids: list[int]) -> list[set[int]]:
    """Coordinator ids per program, for many programs in one batch."""
    groups = await info.context.loaders.children(models.ProgramCoordinator, "program_id").load_many(program_ids)
    return [{link.person_id for link in links} for links in groups]


async def visible_enrollments(info: Info, rows: list[models.Enrollment]) -> list[Enrollment]:
    """Keeps the enrollments the viewer may see (domain policy), loading programs and coordinators in batches."""
    program_ids = [row.program_id for row in rows]
    programs = await info.context.loaders.by_id(models.Program).load_many(program_ids)
    coordinators = await coordinator_ids_of(info, program_ids)
    return [
        Enrollment.from_model(row)
        for row, program, ids in zip(rows, programs, coordinators, strict=True)
        if policy.can_view_enrollment(info.context.viewer, row, program, ids)
    ]


async def _people(info: Info, ids: list[int]) -> list[Person]:
    from schema.people.types import Person

    rows = await info.context.loaders.by_id(PersonRow).load_many(ids)
    return [Person.from_model(row) for row in rows if row is not None]


@strawberry.type
class Program(relay.Node):
    id: relay.NodeID[int]
    name: str
    description: str
    kind: ProgramKind
    tier: ProgramTier
    status: ProgramStatus
    cadence: Cadence
    meeting_minutes: int
    duration_months: int
    circle_size: int | None
    cross_department: CrossDepartmentPolicy
    max_time_zone_gap_hours: int | None
    mentor_training_required: bool
    created_at: datetime.datetime
    row: strawberry.Private[models.Program]

    @classmethod
    def from_model(cls, row: models.Program) -> Program:
        return from_row(cls, row, row=row)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Program).load_many([int(i) for i in node_ids])
        coordinators = await coordinator_ids_of(info, [row.id if row else 0 for row in rows])
        return [
            cls.from_model(row) if row and policy.can_view_program(info.context.viewer, row, ids) else None
            for row, ids in zip(rows, coordinators, strict=True)
        ]

    @strawberry.field(description="The statuses this program may move to next.")
    def allowed_transitions(self) -> list[ProgramStatus]:
        return list(allowed_transitions(self.status))

    @strawberry.field
    async def coordinators(self, info: Info) -> list[PersonRef]:
        return await _people(info, sorted(await coordinator_ids(info, self.id)))

    @strawberry.field(description="The enrollments you may see in this program.")
    async def enrollments(
        self, info: Info, status: EnrollmentStatus | None = None, role: EnrollmentRole | None = None
    ) -> list[Enrollment]:
        rows = await info.context.loaders.children(models.Enrollment, "program_id").load(self.id)
        rows = [r for r in rows if (status is None or r.status == status) and (role is None or r.role == role)]
        return await visible_enrollments(info, rows)


@strawberry.type
class Enrollment(relay.Node):
    id: relay.NodeID[int]
    role: EnrollmentRole
    status: EnrollmentStatus
    capacity: int | None
    motivation: str
    mentor_training_completed_on: datetime.date | None
    created_at: datetime.datetime
    person_id: strawberry.Private[int]
    program_id: strawberry.Private[int]
    nominated_by_id: strawberry.Private[int | None]
    withdrawal_reason_text: strawberry.Private[str]

    @classmethod
    def from_model(cls, row: models.Enrollment) -> Enrollment:
        return from_row(cls, row, withdrawal_reason_text=row.withdrawal_reason)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Enrollment).load_many([int(i) for i in node_ids])
        present = [row for row in rows if row is not None]
        visible = {e.id: e for e in await visible_enrollments(info, present)}
        return [visible.get(row.id) if row else None for row in rows]

    @strawberry.field
    async def person(self, info: Info) -> PersonRef:
        return (await _people(info, [self.person_id]))[0]

    @strawberry.field
    async def nominated_by(self, info: Info) -> PersonRef | None:
        if self.nominated_by_id is None:
            return None
        found = await _people(info, [self.nominated_by_id])
        return found[0] if found else None

    @strawberry.field(description="Why the place was given up; only the enrollee and the program's managers see it.")
    async def withdrawal_reason(self, info: Info) -> str | None:
        if self.status is not models.EnrollmentStatus.WITHDRAWN:
            return None
        ids = await coordinator_ids(info, self.program_id)
        if not policy.can_withdraw_enrollment(info.context.viewer, self, ids):
            return None
        return self.withdrawal_reason_text

    @strawberry.field
    async def program(self, info: Info) -> Program:
        return Program.from_model(await info.context.loaders.by_id(models.Program).load(self.program_id))

    async def _topics(self, info: Info, direction: models.TopicDirection) -> list[Skill]:
        rows = await info.context.loaders.children(models.EnrollmentTopic, "enrollment_id").load(self.id)
        skills = await info.context.loaders.by_id(SkillRow).load_many(
            [row.skill_id for row in rows if row.direction is direction]
        )
        return [Skill.from_model(skill) for skill in skills if skill is not None]

    @strawberry.field(description="What a mentor or peer offers to teach here.")
    async def topics_offered(self, info: Info) -> list[Skill]:
        return await self._topics(info, models.TopicDirection.OFFERED)

    @strawberry.field(description="What a mentee or peer wants to learn here.")
    async def topics_wanted(self, info: Info) -> list[Skill]:
        return await self._topics(info, models.TopicDirection.WANTED)

    @strawberry.field(
        description="Places a mentor still has (capacity minus their open relationships here); null for an "
        "enrollment that is not a mentor's or declares no capacity."
    )
    async def remaining_capacity(self, info: Info) -> int | None:
        from domain.relationships.guards import open_mentee_counts

        if self.role is not models.EnrollmentRole.MENTOR or self.capacity is None:
            return None
        taken = await info.context.loaders.custom("open_mentee_counts", open_mentee_counts).load(
            (self.program_id, self.person_id)
        )
        return max(self.capacity - taken, 0)

    @strawberry.field(description="Flagged for the next matching run after a rematch ended their relationship.")
    async def awaiting_rematch(self, info: Info) -> bool:
        from domain.relationships.models import MatchExclusion

        flags = await info.context.loaders.children(MatchExclusion, "person_id", needs_rematch=True).load(
            self.person_id
        )
        return any(flag.program_id == self.program_id for flag in flags)
