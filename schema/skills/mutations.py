"""Mutations: the viewer's own skills, and curating the taxonomy (coordinators and admins)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.skills import service
from domain.skills.models import Skill as SkillRow
from domain.skills.service import SkillClaim
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.input_rules import column_limit
from schema.people.types import Person
from schema.relay_ids import decode_id
from schema.skills.types import Skill


@strawberry.input(description="A skill by name or alias, with your proficiency from 1 (beginner) to 5 (expert).")
class SkillClaimInput:
    skill: str = strawberry.field(metadata=column_limit(SkillRow, "name"))
    proficiency: int


@strawberry.input
class SetMySkillsInput:
    teach: list[SkillClaimInput] | None = strawberry.field(
        default=None, description="Skills you can teach; replaces the list. Null keeps it, [] clears it."
    )
    learn: list[SkillClaimInput] | None = strawberry.field(
        default=None, description="Skills you want to learn; replaces the list. Null keeps it, [] clears it."
    )


@strawberry.type
class SetMySkillsPayload:
    person: Person


SetMySkillsResult = result_union("SetMySkillsResult", SetMySkillsPayload)


@strawberry.input
class CreateSkillInput:
    name: str
    category: str | None = None
    aliases: list[str] = strawberry.field(default_factory=list, description="Other names that resolve to it.")


@strawberry.type
class CreateSkillPayload:
    skill: Skill


CreateSkillResult = result_union("CreateSkillResult", CreateSkillPayload)


@strawberry.input
class AddSkillAliasInput:
    skill_id: relay.GlobalID
    alias: str


@strawberry.type
class AddSkillAliasPayload:
    skill: Skill


AddSkillAliasResult = result_union("AddSkillAliasResult", AddSkillAliasPayload)


def _claims(items: list[SkillClaimInput] | None) -> list[SkillClaim] | None:
    return None if items is None else [SkillClaim(item.skill, item.proficiency) for item in items]


@strawberry.type
class SkillMutations:
    @strawberry.mutation(description="Replaces the skills you teach and/or want to learn, in one step.")
    async def set_my_skills(self, info: Info, input: SetMySkillsInput) -> SetMySkillsResult:
        return await run_mutation(
            lambda: service.set_skills(info.context.viewer, teach=_claims(input.teach), learn=_claims(input.learn)),
            lambda person: SetMySkillsPayload(person=Person.from_model(person)),
        )

    @strawberry.mutation(description="Adds a skill to the taxonomy. Coordinators and admins only.")
    async def create_skill(self, info: Info, input: CreateSkillInput) -> CreateSkillResult:
        return await run_mutation(
            lambda: service.create_skill(
                info.context.viewer, name=input.name, category=input.category, aliases=input.aliases
            ),
            lambda skill: CreateSkillPayload(skill=Skill.from_model(skill)),
        )

    @strawberry.mutation(description="Adds another name for a skill. Coordinators and admins only.")
    async def add_skill_alias(self, info: Info, input: AddSkillAliasInput) -> AddSkillAliasResult:
        async def action():
            skill_id = decode_id(input.skill_id, "Skill", field="skill_id")
            return await service.add_skill_alias(info.context.viewer, skill_id=skill_id, alias=input.alias)

        return await run_mutation(action, lambda skill: AddSkillAliasPayload(skill=Skill.from_model(skill)))
