"""GraphQL types for agreements: the current terms, every version with its signatures, and who still has to sign.

Members read everything. The program's coordinators (and admins) read the metadata — cadence, length,
dates, channels, formats, signatures — while the wording fields are null for them.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.agreements import models, policy
from domain.goals.models import Goal as GoalRow
from domain.people.models import Person as PersonRow
from domain.relationships.access import RelationshipAccess
from domain.skills.models import Skill as SkillRow
from schema.context import Info
from schema.enums import Cadence, MeetingFormat
from schema.execution import answers_planned
from schema.relationship_access import load_access
from schema.relay_ids import encode_id
from schema.skills.types import Skill

if TYPE_CHECKING:
    from schema.goals.types import Goal
    from schema.people.types import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]
GoalRef = Annotated["Goal", strawberry.lazy("schema.goals.types")]


async def _person(info: Info, person_id: int) -> Person | None:
    from schema.people.types import Person

    row = await info.context.loaders.by_id(PersonRow).load(person_id)
    return Person.from_model(row) if row else None


async def _people(info: Info, person_ids: list[int]) -> list[Person]:
    from schema.people.types import Person

    rows = await info.context.loaders.by_id(PersonRow).load_many(person_ids)
    return [Person.from_model(row) for row in rows if row is not None]


@strawberry.type(description="One direction of teaching: the teacher mentors the learner on a skill or topic.")
class AgreementTopic:
    topic: str
    teacher_id: strawberry.Private[int]
    learner_id: strawberry.Private[int | None]
    skill_id: strawberry.Private[int | None]

    @strawberry.field
    async def teacher(self, info: Info) -> PersonRef | None:
        return await _person(info, self.teacher_id)

    @strawberry.field(description="Null when the teacher teaches the whole group.")
    async def learner(self, info: Info) -> PersonRef | None:
        return None if self.learner_id is None else await _person(info, self.learner_id)

    @strawberry.field
    async def skill(self, info: Info) -> Skill | None:
        if self.skill_id is None:
            return None
        row = await info.context.loaders.by_id(SkillRow).load(self.skill_id)
        return Skill.from_model(row) if row else None


@strawberry.type
class AgreementSignature:
    signed_at: datetime.datetime
    person_id: strawberry.Private[int]

    @strawberry.field
    async def person(self, info: Info) -> PersonRef | None:
        return await _person(info, self.person_id)


@strawberry.interface(description="An agreement's terms at one version.")
class AgreementTerms:
    row: strawberry.Private[models.AgreementVersion]
    access: strawberry.Private[RelationshipAccess]

    def _wording_visible(self, info: Info) -> bool:
        return policy.can_read_agreement_wording(info.context.viewer, self.access)

    @strawberry.field(description="The version these terms belong to, from 1.")
    def number(self) -> int:
        return self.row.number

    @strawberry.field
    def cadence(self) -> Cadence:
        return self.row.cadence

    @strawberry.field
    def meeting_minutes(self) -> int:
        return self.row.meeting_minutes

    @strawberry.field
    def starts_on(self) -> datetime.date:
        return self.row.starts_on

    @strawberry.field
    def ends_on(self) -> datetime.date:
        return self.row.ends_on

    @strawberry.field(description="Where the members talk between meetings, e.g. 'Slack'.")
    def channels(self) -> list[str]:
        return list(self.row.channels or [])

    @strawberry.field
    def meeting_formats(self) -> list[MeetingFormat]:
        return [MeetingFormat(value) for value in self.row.meeting_formats or []]

    @strawberry.field
    def amended_at(self) -> datetime.datetime:
        return self.row.created_at

    @strawberry.field(description="Who wrote this version; null for a draft made by the program.")
    async def amended_by(self, info: Info) -> PersonRef | None:
        return None if self.row.amended_by_id is None else await _person(info, self.row.amended_by_id)

    @strawberry.field(description="Null unless you are a member.")
    def confidentiality(self, info: Info) -> str | None:
        return self.row.confidentiality if self._wording_visible(info) else None

    @strawberry.field(description="Why this version was made. Null unless you are a member.")
    def change_note(self, info: Info) -> str | None:
        return self.row.change_note if self._wording_visible(info) else None

    @strawberry.field(description="Who teaches whom on what. Null unless you are a member.")
    async def topics(self, info: Info) -> list[AgreementTopic] | None:
        if not self._wording_visible(info):
            return None
        rows = await info.context.loaders.children(models.AgreementTopic, "version_id").load(self.row.id)
        return [
            AgreementTopic(topic=r.topic, teacher_id=r.teacher_id, learner_id=r.learner_id, skill_id=r.skill_id)
            for r in rows
        ]

    @strawberry.field(description="The learning goals this version links. Null unless you are a member.")
    async def goals(self, info: Info) -> list[GoalRef] | None:
        from schema.goals.types import Goal

        if not self._wording_visible(info):
            return None
        links = await info.context.loaders.children(models.AgreementGoal, "version_id").load(self.row.id)
        rows = await info.context.loaders.by_id(GoalRow).load_many([link.goal_id for link in links])
        return [Goal.from_model(row) for row in rows if row is not None]

    async def _signature_rows(self, info: Info) -> list[models.AgreementSignature]:
        return await info.context.loaders.children(models.AgreementSignature, "version_id").load(self.row.id)

    @strawberry.field(description="Signatures given to this version; earlier versions keep theirs.")
    async def signatures(self, info: Info) -> list[AgreementSignature]:
        rows = await self._signature_rows(info)
        return [AgreementSignature(signed_at=r.signed_at, person_id=r.person_id) for r in rows]

    @strawberry.field
    @answers_planned
    async def signed_by_all(self, info: Info) -> bool:
        return self.all_signed(await self._signature_rows(info))

    def all_signed(self, signatures: list[models.AgreementSignature]) -> bool:
        return not policy.awaiting_signature(self.access.member_ids, [r.person_id for r in signatures])

    @strawberry.field(description="The members who have not signed this version yet.")
    async def awaiting_signature_from(self, info: Info) -> list[PersonRef]:
        signer_ids = [r.person_id for r in await self._signature_rows(info)]
        return await _people(info, policy.awaiting_signature(self.access.member_ids, signer_ids))


@strawberry.type(description="The terms as they stood at one version.")
class AgreementVersion(AgreementTerms):
    pass


@strawberry.type(description="A relationship's agreement: its fields are the current version's terms.")
class Agreement(AgreementTerms, relay.Node):
    id: relay.NodeID[int]
    current_version: int
    # {"signed_by_all": bool} when fetched with a whole list of relationships (planned.py).
    planned: strawberry.Private[dict | None] = None

    @strawberry.field
    def relationship_id(self) -> relay.GlobalID:
        return encode_id("Relationship", self.access.relationship.id)

    @strawberry.field(description="Every version, oldest first.")
    async def versions(self, info: Info) -> list[AgreementVersion]:
        rows = await info.context.loaders.children(models.AgreementVersion, "agreement_id").load(self.id)
        return [AgreementVersion(row=row, access=self.access) for row in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Agreement).load_many([int(i) for i in node_ids])
        return [await _readable(info, row) if row else None for row in rows]


async def _readable(info: Info, agreement: models.Agreement) -> Agreement | None:
    access = await load_access(info, agreement.relationship_id)
    if access is None or not policy.can_read_agreement(info.context.viewer, access):
        return None
    versions = await info.context.loaders.children(models.AgreementVersion, "agreement_id").load(agreement.id)
    current = next((v for v in versions if v.number == agreement.current_version), None)
    if current is None:
        return None
    return Agreement(id=agreement.id, current_version=agreement.current_version, row=current, access=access)


async def agreement_of_relationship(info: Info, relationship_id: int) -> Agreement | None:
    """The Relationship type's `agreement`: null when there is none yet or the viewer may not read it."""
    rows = await info.context.loaders.children(models.Agreement, "relationship_id").load(relationship_id)
    return await _readable(info, rows[0]) if rows else None
