"""Mutations on relationships: proposal, lifecycle, self-service requests and rematch."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.idempotency.service import rows_of
from domain.relationships import rematch, requests, service
from domain.relationships.models import MentorRequest as MentorRequestRow
from domain.relationships.models import Relationship as RelationshipRow
from schema.context import Info
from schema.enums import ClosureReason, MemberRole, RematchOutcome
from schema.errors import result_union, run_mutation
from schema.idempotency import IdempotentInput, run_once
from schema.relationships.types import MentorRequest, Relationship, RematchRequest
from schema.relay_ids import decode_id


def _relationship_id(value: relay.GlobalID) -> int:
    return decode_id(value, "Relationship", field="relationship_id")


@strawberry.input
class MemberInput:
    person_id: relay.GlobalID
    role: MemberRole


@strawberry.input
class ProposeRelationshipInput(IdempotentInput):
    program_id: relay.GlobalID
    members: list[MemberInput]
    previous_relationship_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The relationship this one replaces after a rematch: links old and new."
    )


@strawberry.input
class PauseRelationshipInput:
    relationship_id: relay.GlobalID


@strawberry.input
class ResumeRelationshipInput:
    relationship_id: relay.GlobalID


@strawberry.input
class CompleteRelationshipInput:
    relationship_id: relay.GlobalID
    note: str | None = None


@strawberry.input
class EndRelationshipInput:
    relationship_id: relay.GlobalID
    reason: ClosureReason
    note: str | None = None


@strawberry.input
class RequestMentorInput(IdempotentInput):
    program_id: relay.GlobalID
    mentor_id: relay.GlobalID
    message: str | None = None


@strawberry.input
class RespondToMentorRequestInput:
    request_id: relay.GlobalID
    accept: bool
    message: str | None = None


@strawberry.input
class CancelMentorRequestInput:
    request_id: relay.GlobalID


@strawberry.input
class RequestRematchInput:
    relationship_id: relay.GlobalID
    reason: str = strawberry.field(description="Confidential: read by the program's coordinators and you only.")


@strawberry.input
class ResolveRematchInput:
    rematch_request_id: relay.GlobalID
    outcome: RematchOutcome
    note: str | None = None
    closure_reason: ClosureReason | None = strawberry.field(
        default=None,
        description="Why the relationship ends, with END_AND_REMATCH (the reasons endRelationship takes); "
        "NOT_A_GOOD_FIT when left out.",
    )


@strawberry.type
class RelationshipPayload:
    relationship: Relationship


@strawberry.type
class MentorRequestPayload:
    request: MentorRequest


@strawberry.type
class RematchRequestPayload:
    rematch_request: RematchRequest


ProposeRelationshipResult = result_union("ProposeRelationshipResult", RelationshipPayload)
PauseRelationshipResult = result_union("PauseRelationshipResult", RelationshipPayload)
ResumeRelationshipResult = result_union("ResumeRelationshipResult", RelationshipPayload)
CompleteRelationshipResult = result_union("CompleteRelationshipResult", RelationshipPayload)
EndRelationshipResult = result_union("EndRelationshipResult", RelationshipPayload)
RequestMentorResult = result_union("RequestMentorResult", MentorRequestPayload)
RespondToMentorRequestResult = result_union("RespondToMentorRequestResult", MentorRequestPayload)
CancelMentorRequestResult = result_union("CancelMentorRequestResult", MentorRequestPayload)
RequestRematchResult = result_union("RequestRematchResult", RematchRequestPayload)
ResolveRematchResult = result_union("ResolveRematchResult", RematchRequestPayload)


def _relationship_payload(row) -> RelationshipPayload:
    return RelationshipPayload(relationship=Relationship.from_model(row))


def _request_payload(row) -> MentorRequestPayload:
    return MentorRequestPayload(request=MentorRequest.from_model(row))


def _rematch_payload(row) -> RematchRequestPayload:
    return RematchRequestPayload(rematch_request=RematchRequest.from_model(row))


@strawberry.type
class RelationshipMutations:
    @strawberry.mutation(description="A coordinator puts people together; PROPOSED until every member signs.")
    async def propose_relationship(self, info: Info, input: ProposeRelationshipInput) -> ProposeRelationshipResult:
        async def action():
            members = [
                (decode_id(m.person_id, "Person", field=f"members[{i}].person_id"), m.role)
                for i, m in enumerate(input.members)
            ]
            previous = input.previous_relationship_id
            return await service.propose(
                info.context.viewer,
                program_id=decode_id(input.program_id, "Program", field="program_id"),
                members=members,
                previous_relationship_id=None
                if previous is None
                else decode_id(previous, "Relationship", field="previous_relationship_id"),
                now=utc_now(),
            )

        return await run_once(info, input, action, _relationship_payload, codec=rows_of(RelationshipRow))

    @strawberry.mutation
    async def pause_relationship(self, info: Info, input: PauseRelationshipInput) -> PauseRelationshipResult:
        async def action():
            relationship_id = _relationship_id(input.relationship_id)
            return await service.pause(info.context.viewer, relationship_id=relationship_id, now=utc_now())

        return await run_mutation(action, _relationship_payload)

    @strawberry.mutation
    async def resume_relationship(self, info: Info, input: ResumeRelationshipInput) -> ResumeRelationshipResult:
        async def action():
            relationship_id = _relationship_id(input.relationship_id)
            return await service.resume(info.context.viewer, relationship_id=relationship_id, now=utc_now())

        return await run_mutation(action, _relationship_payload)

    @strawberry.mutation
    async def complete_relationship(self, info: Info, input: CompleteRelationshipInput) -> CompleteRelationshipResult:
        async def action():
            return await service.complete(
                info.context.viewer,
                relationship_id=_relationship_id(input.relationship_id),
                note=input.note,
                now=utc_now(),
            )

        return await run_mutation(action, _relationship_payload)

    @strawberry.mutation(description="Ends a relationship early with a closure reason; it stays in history.")
    async def end_relationship(self, info: Info, input: EndRelationshipInput) -> EndRelationshipResult:
        async def action():
            return await service.end(
                info.context.viewer,
                relationship_id=_relationship_id(input.relationship_id),
                reason=input.reason,
                note=input.note,
                now=utc_now(),
            )

        return await run_mutation(action, _relationship_payload)

    @strawberry.mutation(description="Self-service programs: ask a mentor; the request expires unanswered.")
    async def request_mentor(self, info: Info, input: RequestMentorInput) -> RequestMentorResult:
        async def action():
            return await requests.request_mentor(
                info.context.viewer,
                program_id=decode_id(input.program_id, "Program", field="program_id"),
                mentor_id=decode_id(input.mentor_id, "Person", field="mentor_id"),
                message=input.message,
                now=utc_now(),
                expires_in=info.context.relationship_timing.mentor_request_lifetime,
            )

        return await run_once(info, input, action, _request_payload, codec=rows_of(MentorRequestRow))

    @strawberry.mutation(description="The mentor accepts (creating a PROPOSED one-on-one) or declines.")
    async def respond_to_mentor_request(
        self, info: Info, input: RespondToMentorRequestInput
    ) -> RespondToMentorRequestResult:
        async def action():
            return await requests.respond(
                info.context.viewer,
                request_id=decode_id(input.request_id, "MentorRequest", field="request_id"),
                accept=input.accept,
                message=input.message,
                now=utc_now(),
            )

        return await run_mutation(action, _request_payload)

    @strawberry.mutation
    async def cancel_mentor_request(self, info: Info, input: CancelMentorRequestInput) -> CancelMentorRequestResult:
        async def action():
            request_id = decode_id(input.request_id, "MentorRequest", field="request_id")
            return await requests.cancel(info.context.viewer, request_id=request_id, now=utc_now())

        return await run_mutation(action, _request_payload)

    @strawberry.mutation(description="A member asks for a different partner; the reason stays with the coordinators.")
    async def request_rematch(self, info: Info, input: RequestRematchInput) -> RequestRematchResult:
        async def action():
            return await rematch.request_rematch(
                info.context.viewer, relationship_id=_relationship_id(input.relationship_id), reason=input.reason
            )

        return await run_mutation(action, _rematch_payload)

    @strawberry.mutation(
        description="KEEP the pair, or END_AND_REMATCH: end it and flag both for the next matching run."
    )
    async def resolve_rematch(self, info: Info, input: ResolveRematchInput) -> ResolveRematchResult:
        async def action():
            return await rematch.resolve_rematch(
                info.context.viewer,
                rematch_request_id=decode_id(input.rematch_request_id, "RematchRequest", field="rematch_request_id"),
                outcome=input.outcome,
                note=input.note,
                closure_reason=input.closure_reason,
                now=utc_now(),
            )

        return await run_mutation(action, _rematch_payload)
