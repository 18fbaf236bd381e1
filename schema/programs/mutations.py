"""Mutations on programs and enrollments: decode IDs, call the domain service, shape the payload."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.idempotency.service import rows_of
from domain.programs import service
from domain.programs.models import Enrollment as EnrollmentRow
from domain.skills.models import Skill
from schema.context import Info
from schema.enums import Cadence, CrossDepartmentPolicy, EnrollmentRole, ProgramKind, ProgramStatus, ProgramTier
from schema.errors import result_union, run_mutation
from schema.idempotency import IdempotentInput, run_once
from schema.input_rules import column_limit
from schema.people.mutations import given_fields
from schema.programs.types import Enrollment, Program
from schema.relay_ids import decode_id


def _person_ids(ids: list[relay.GlobalID] | None, *, field: str) -> list[int]:
    return [decode_id(gid, "Person", field=f"{field}[{index}]") for index, gid in enumerate(ids or [])]


@strawberry.input(description="A new program; it starts as a DRAFT run by you and any coordinators you name.")
class CreateProgramInput:
    name: str
    kind: ProgramKind
    tier: ProgramTier
    description: str | None = strawberry.UNSET
    cadence: Cadence | None = strawberry.UNSET
    meeting_minutes: int | None = strawberry.field(default=strawberry.UNSET, description="15 to 240.")
    duration_months: int | None = strawberry.field(default=strawberry.UNSET, description="1 to 24.")
    circle_size: int | None = strawberry.field(
        default=strawberry.UNSET, description="PEER_CIRCLE: 4 to 6; SKILL_SWAP: 2 or 3; other kinds: none."
    )
    cross_department: CrossDepartmentPolicy | None = strawberry.UNSET
    max_time_zone_gap_hours: int | None = strawberry.field(default=strawberry.UNSET, description="0 to 14.")
    mentor_training_required: bool | None = strawberry.UNSET
    coordinator_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="People who run the program with you."
    )


@strawberry.input(description="Only the fields you send change. The kind is fixed once the program leaves DRAFT.")
class UpdateProgramInput:
    program_id: relay.GlobalID
    name: str | None = strawberry.UNSET
    kind: ProgramKind | None = strawberry.UNSET
    tier: ProgramTier | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    cadence: Cadence | None = strawberry.UNSET
    meeting_minutes: int | None = strawberry.UNSET
    duration_months: int | None = strawberry.UNSET
    circle_size: int | None = strawberry.UNSET
    cross_department: CrossDepartmentPolicy | None = strawberry.UNSET
    max_time_zone_gap_hours: int | None = strawberry.UNSET
    mentor_training_required: bool | None = strawberry.UNSET
    add_coordinator_ids: list[relay.GlobalID] | None = strawberry.UNSET
    remove_coordinator_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="A program always keeps at least one coordinator."
    )


@strawberry.input
class TransitionProgramInput:
    program_id: relay.GlobalID
    to: ProgramStatus


@strawberry.input(description="Apply to a RECRUITING or MATCHING program, or (as its coordinator) nominate someone.")
class EnrollInput(IdempotentInput):
    program_id: relay.GlobalID
    role: EnrollmentRole
    capacity: int | None = strawberry.field(default=None, description="Mentors only: mentees you take, 1 to 20.")
    topics_offered: list[str] | None = strawberry.field(
        default=None, description="Skill names or aliases.", metadata=column_limit(Skill, "name")
    )
    topics_wanted: list[str] | None = strawberry.field(
        default=None, description="Skill names or aliases.", metadata=column_limit(Skill, "name")
    )
    motivation: str | None = None
    person_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Whom a coordinator nominates; leave empty to enroll yourself."
    )


@strawberry.input
class ApproveEnrollmentInput:
    enrollment_id: relay.GlobalID
    mentor_training_completed_on: datetime.date | None = strawberry.field(
        default=None, description="Required for mentors when the program requires training, unless already recorded."
    )


@strawberry.input
class WithdrawEnrollmentInput:
    enrollment_id: relay.GlobalID
    reason: str | None = None


@strawberry.type
class CreateProgramPayload:
    program: Program


@strawberry.type
class UpdateProgramPayload:
    program: Program


@strawberry.type
class TransitionProgramPayload:
    program: Program


@strawberry.type
class EnrollPayload:
    enrollment: Enrollment


@strawberry.type
class ApproveEnrollmentPayload:
    enrollment: Enrollment


@strawberry.type
class WithdrawEnrollmentPayload:
    enrollment: Enrollment


CreateProgramResult = result_union("CreateProgramResult", CreateProgramPayload)
UpdateProgramResult = result_union("UpdateProgramResult", UpdateProgramPayload)
TransitionProgramResult = result_union("TransitionProgramResult", TransitionProgramPayload)
EnrollResult = result_union("EnrollResult", EnrollPayload)
ApproveEnrollmentResult = result_union("ApproveEnrollmentResult", ApproveEnrollmentPayload)
WithdrawEnrollmentResult = result_union("WithdrawEnrollmentResult", WithdrawEnrollmentPayload)


@strawberry.type
class ProgramMutations:
    @strawberry.mutation
    async def create_program(self, info: Info, input: CreateProgramInput) -> CreateProgramResult:
        async def action():
            settings = given_fields(input)
            coordinators = _person_ids(settings.pop("coordinator_ids", None), field="coordinator_ids")
            return await service.create_program(info.context.viewer, coordinator_ids=coordinators, **settings)

        return await run_mutation(action, lambda row: CreateProgramPayload(program=Program.from_model(row)))

    @strawberry.mutation
    async def update_program(self, info: Info, input: UpdateProgramInput) -> UpdateProgramResult:
        async def action():
            changes = given_fields(input)
            program_id = decode_id(changes.pop("program_id"), "Program", field="program_id")
            added = _person_ids(changes.pop("add_coordinator_ids", None), field="add_coordinator_ids")
            removed = _person_ids(changes.pop("remove_coordinator_ids", None), field="remove_coordinator_ids")
            return await service.update_program(
                info.context.viewer,
                program_id=program_id,
                changes=changes,
                add_coordinator_ids=added,
                remove_coordinator_ids=removed,
            )

        return await run_mutation(action, lambda row: UpdateProgramPayload(program=Program.from_model(row)))

    @strawberry.mutation
    async def transition_program(self, info: Info, input: TransitionProgramInput) -> TransitionProgramResult:
        async def action():
            program_id = decode_id(input.program_id, "Program", field="program_id")
            return await service.transition_program(info.context.viewer, program_id=program_id, to=input.to)

        return await run_mutation(action, lambda row: TransitionProgramPayload(program=Program.from_model(row)))

    @strawberry.mutation
    async def enroll(self, info: Info, input: EnrollInput) -> EnrollResult:
        async def action():
            return await service.enroll(
                info.context.viewer,
                program_id=decode_id(input.program_id, "Program", field="program_id"),
                role=input.role,
                capacity=input.capacity,
                topics_offered=input.topics_offered or [],
                topics_wanted=input.topics_wanted or [],
                motivation=input.motivation,
                person_id=None if input.person_id is None else decode_id(input.person_id, "Person", field="person_id"),
            )

        return await run_once(
            info,
            input,
            action,
            lambda row: EnrollPayload(enrollment=Enrollment.from_model(row)),
            codec=rows_of(EnrollmentRow),
        )

    @strawberry.mutation
    async def approve_enrollment(self, info: Info, input: ApproveEnrollmentInput) -> ApproveEnrollmentResult:
        async def action():
            return await service.approve_enrollment(
                info.context.viewer,
                enrollment_id=decode_id(input.enrollment_id, "Enrollment", field="enrollment_id"),
                mentor_training_completed_on=input.mentor_training_completed_on,
            )

        return await run_mutation(action, lambda row: ApproveEnrollmentPayload(enrollment=Enrollment.from_model(row)))

    @strawberry.mutation
    async def withdraw_enrollment(self, info: Info, input: WithdrawEnrollmentInput) -> WithdrawEnrollmentResult:
        async def action():
            return await service.withdraw_enrollment(
                info.context.viewer,
                enrollment_id=decode_id(input.enrollment_id, "Enrollment", field="enrollment_id"),
                reason=input.reason,
            )

        return await run_mutation(action, lambda row: WithdrawEnrollmentPayload(enrollment=Enrollment.from_model(row)))
