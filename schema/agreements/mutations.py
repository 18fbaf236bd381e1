"""Mutations on agreements: amendAgreement, signAgreement."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.agreements import service
from domain.agreements.models import AgreementTopic
from domain.agreements.terms import TopicTerm
from domain.skills.models import Skill
from schema.agreements.types import Agreement, agreement_of_relationship
from schema.context import Info
from schema.enums import Cadence, MeetingFormat
from schema.errors import result_union, run_mutation
from schema.input_rules import column_limit
from schema.people.mutations import given_fields
from schema.relay_ids import decode_id


@strawberry.input(description="One direction of teaching; give a taxonomy skill, a free-text topic, or both.")
class AgreementTopicInput:
    teacher_id: relay.GlobalID
    learner_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Leave out when the teacher teaches the whole group."
    )
    skill: str | None = strawberry.field(
        default=None, description="A skill name or alias from the taxonomy.", metadata=column_limit(Skill, "name")
    )
    topic: str | None = strawberry.field(default=None, metadata=column_limit(AgreementTopic, "topic"))


@strawberry.input(description="Terms left out (or null) are copied from the current version.")
class AmendAgreementInput:
    relationship_id: relay.GlobalID
    expected_version: int = strawberry.field(description="The version you read; a newer one is a ConflictError.")
    cadence: Cadence | None = strawberry.UNSET
    meeting_minutes: int | None = strawberry.UNSET
    starts_on: datetime.date | None = strawberry.UNSET
    ends_on: datetime.date | None = strawberry.UNSET
    confidentiality: str | None = strawberry.UNSET
    channels: list[str] | None = strawberry.UNSET
    meeting_formats: list[MeetingFormat] | None = strawberry.UNSET
    topics: list[AgreementTopicInput] | None = strawberry.field(
        default=strawberry.UNSET, description="Replaces every topic."
    )
    goal_ids: list[relay.GlobalID] | None = strawberry.field(
        default=strawberry.UNSET, description="Goals of this relationship to link; replaces the links."
    )
    change_note: str | None = strawberry.UNSET


@strawberry.input
class SignAgreementInput:
    relationship_id: relay.GlobalID
    version: int = strawberry.field(description="The version you read and agree to; it must be the current one.")


@strawberry.type
class AmendAgreementPayload:
    relationship_key: strawberry.Private[int]

    @strawberry.field
    async def agreement(self, info: Info) -> Agreement | None:
        return await agreement_of_relationship(info, self.relationship_key)


@strawberry.type
class SignAgreementPayload:
    relationship_activated: bool = strawberry.field(
        description="True when this signature was the last one and the relationship became ACTIVE."
    )
    relationship_key: strawberry.Private[int]

    @strawberry.field
    async def agreement(self, info: Info) -> Agreement | None:
        return await agreement_of_relationship(info, self.relationship_key)


AmendAgreementResult = result_union("AmendAgreementResult", AmendAgreementPayload)
SignAgreementResult = result_union("SignAgreementResult", SignAgreementPayload)


def _topic_terms(topics: list[AgreementTopicInput]) -> list[TopicTerm]:
    return [
        TopicTerm(
            teacher_id=decode_id(topic.teacher_id, "Person", field=f"topics[{index}].teacher_id"),
            learner_id=None
            if topic.learner_id is None
            else decode_id(topic.learner_id, "Person", field=f"topics[{index}].learner_id"),
            skill=topic.skill,
            topic=topic.topic,
        )
        for index, topic in enumerate(topics)
    ]


def _amendment(input: AmendAgreementInput) -> dict:
    changes = given_fields(input)
    del changes["relationship_id"], changes["expected_version"]
    if changes.get("topics") is not None:
        changes["topics"] = _topic_terms(changes["topics"])
    if changes.get("goal_ids") is not None:
        changes["goal_ids"] = [
            decode_id(goal_id, "Goal", field=f"goal_ids[{index}]") for index, goal_id in enumerate(changes["goal_ids"])
        ]
    return changes


@strawberry.type
class AgreementMutations:
    @strawberry.mutation(description="A member writes a new version; every member signs it again.")
    async def amend_agreement(self, info: Info, input: AmendAgreementInput) -> AmendAgreementResult:
        async def action():
            relationship_id = decode_id(input.relationship_id, "Relationship", field="relationship_id")
            await service.amend_agreement(
                info.context.viewer,
                relationship_id=relationship_id,
                expected_version=input.expected_version,
                changes=_amendment(input),
            )
            return relationship_id

        return await run_mutation(action, lambda key: AmendAgreementPayload(relationship_key=key))

    @strawberry.mutation(description="A member signs the current version; signing it again changes nothing.")
    async def sign_agreement(self, info: Info, input: SignAgreementInput) -> SignAgreementResult:
        async def action():
            relationship_id = decode_id(input.relationship_id, "Relationship", field="relationship_id")
            outcome = await service.sign_agreement(
                info.context.viewer, relationship_id=relationship_id, version=input.version
            )
            return relationship_id, outcome.relationship_activated

        return await run_mutation(
            action, lambda result: SignAgreementPayload(relationship_key=result[0], relationship_activated=result[1])
        )
