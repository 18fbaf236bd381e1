"""GraphQL types for pulse surveys: templates with their questions, and the surveys people are asked."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.feedback import models
from schema.context import Info
from schema.meetings.types import RelationshipRef, relationship_of

QuestionKind = strawberry.enum(models.QuestionKind, name="SurveyQuestionKind")
SurveySchedule = strawberry.enum(models.SurveySchedule, name="SurveySchedule")


@strawberry.type
class SurveyQuestion:
    id: relay.GlobalID
    position: int
    kind: QuestionKind
    prompt: str
    is_pulse: bool = strawberry.field(description="The rating that feeds satisfaction and the at-risk list.")

    @classmethod
    def from_model(cls, row: models.SurveyQuestion) -> SurveyQuestion:
        return cls(
            id=relay.GlobalID("SurveyQuestion", str(row.id)),
            position=row.position,
            kind=row.kind,
            prompt=row.prompt,
            is_pulse=row.is_pulse,
        )


async def _questions(info: Info, template_id: int) -> list[SurveyQuestion]:
    rows = await info.context.loaders.children(models.SurveyQuestion, "template_id").load(template_id)
    return [SurveyQuestion.from_model(row) for row in rows]


@strawberry.type(description="A program's survey: its questions and when they are asked.")
class SurveyTemplate:
    id: relay.GlobalID
    name: str
    schedule: SurveySchedule
    anonymous: bool = strawberry.field(
        description="Answers are stored with no link to who gave them and shown only in totals of 5 or more."
    )
    key: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.SurveyTemplate) -> SurveyTemplate:
        return cls(
            id=relay.GlobalID("SurveyTemplate", str(row.id)),
            key=row.id,
            name=row.name,
            schedule=row.schedule,
            anonymous=row.anonymous,
        )

    @strawberry.field
    async def questions(self, info: Info) -> list[SurveyQuestion]:
        return await _questions(info, self.key)


@strawberry.type(description="A survey you are asked to answer about one of your relationships.")
class Survey(relay.Node):
    id: relay.NodeID[int]
    name: str
    anonymous: bool
    due_at: datetime.datetime
    answered: bool
    template_id: strawberry.Private[int]
    relationship_key: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.SurveyInstance, template: models.SurveyTemplate) -> Survey:
        return cls(
            id=row.id,
            name=template.name,
            anonymous=template.anonymous,
            due_at=row.due_at,
            answered=row.answered,
            template_id=template.id,
            relationship_key=row.relationship_id,
        )

    @strawberry.field
    async def questions(self, info: Info) -> list[SurveyQuestion]:
        return await _questions(info, self.template_id)

    @strawberry.field
    async def relationship(self, info: Info) -> RelationshipRef | None:
        return await relationship_of(info, self.relationship_key)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        """Only the person asked sees a survey."""
        loaders = info.context.loaders
        rows = await loaders.by_id(models.SurveyInstance).load_many([int(i) for i in node_ids])
        visible = [row if row and info.context.viewer.is_person(row.person_id) else None for row in rows]
        templates = await loaders.by_id(models.SurveyTemplate).load_many([row.template_id for row in visible if row])
        by_id = {template.id: template for template in templates}
        return [cls.from_model(row, by_id[row.template_id]) if row else None for row in visible]
