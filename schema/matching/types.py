"""GraphQL types for matching runs and proposals: totals, certificate and audit, and who sees which part."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from domain.matching import models, policy
from domain.matching.profiles import COMPONENTS
from domain.people.models import Person as PersonRow
from domain.programs.models import Program as ProgramRow
from domain.programs.models import ProgramCoordinator
from domain.relationships.models import Relationship as RelationshipRow
from domain.skills.models import Skill as SkillRow
from schema.context import Info
from schema.convert import from_row
from schema.enums import MatchObjective, MatchProposalStatus, MatchRunStatus
from schema.programs.types import Program
from schema.skills.types import Skill

if TYPE_CHECKING:
    from schema.people.types import Person
    from schema.relationships.types import Relationship

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]
RelationshipRef = Annotated["Relationship", strawberry.lazy("schema.relationships.types")]


async def _coordinators(info: Info, program_ids: list[int]) -> list[set[int]]:
    groups = await info.context.loaders.children(ProgramCoordinator, "program_id").load_many(program_ids)
    return [{link.person_id for link in links} for links in groups]


async def _person(info: Info, person_id: int) -> Person:
    from schema.people.types import Person

    return Person.from_model(await info.context.loaders.by_id(PersonRow).load(person_id))


@strawberry.type(description="One part of a pair's score: its value from 0 to 1 and the points it adds (of 1000).")
class ScoreComponent:
    name: str
    value: float
    points: float


def components_of(breakdown: dict) -> list[ScoreComponent]:
    return [ScoreComponent(name=name, **breakdown[name]) for name in COMPONENTS if name in breakdown]


@strawberry.type
class ProposalMember:
    person_id: strawberry.Private[int]
    role: str = strawberry.field(description="The seat they would take: MENTOR, MENTEE or PEER.")

    @strawberry.field
    async def person(self, info: Info) -> PersonRef:
        return await _person(info, self.person_id)


@strawberry.type
class SwapLesson:
    teacher_id: strawberry.Private[int]
    learner_id: strawberry.Private[int]
    skills: list[Skill]

    @strawberry.field
    async def teacher(self, info: Info) -> PersonRef:
        return await _person(info, self.teacher_id)

    @strawberry.field
    async def learner(self, info: Info) -> PersonRef:
        return await _person(info, self.learner_id)


@strawberry.type
class MatchWeights:
    skills: int
    topics: int
    cross_department: int
    seniority: int
    working_hours: int
    language: int
    formats: int


@strawberry.type(description="The proof of optimality: the LP dual objective equals the primal when proven.")
class MatchCertificate:
    primal: float = strawberry.field(description="What the solver maximised: total score plus any participation bonus.")
    dual: float
    proven_optimal: bool
    rounds: int = strawberry.field(description="Solves of the pruned graph until no pair violated its dual.")


@strawberry.type(description="Someone the run left without a proposal, and why.")
class UnmatchedParticipant:
    person_id: strawberry.Private[int]
    role: str
    reason: str
    detail: str

    @strawberry.field
    async def person(self, info: Info) -> PersonRef:
        return await _person(info, self.person_id)


@strawberry.type(description="Outcomes of one self-reported group of at least 5 (smaller groups are suppressed).")
class AuditGroup:
    dimension: str
    role: str
    group: str
    size: int
    match_rate: float
    mean_score: float | None
    cross_department_share: float | None
    mean_seniority_gap: float | None
    impact_ratio: float = strawberry.field(description="Match rate over the best-off group's.")
    flagged: bool = strawberry.field(description="Below the four-fifths rule (impact ratio under 0.8).")


@strawberry.type
class AuditDimension:
    dimension: str
    role: str
    reported_groups: int
    suppressed_groups: int


@strawberry.type(description="The run's bias audit: aggregates only, never per person.")
class MatchAudit:
    groups: list[AuditGroup]
    dimensions: list[AuditDimension]


@strawberry.type
class MatchRun(relay.Node):
    id: relay.NodeID[int]
    status: MatchRunStatus
    objective: MatchObjective
    dry_run: bool
    solver: str
    total_score: int | None
    matched_count: int | None
    candidate_pairs: int | None
    duration_ms: int | None
    failure: str
    started_at: datetime.datetime
    finished_at: datetime.datetime | None
    row: strawberry.Private[models.MatchRun]
    sees_people: strawberry.Private[bool]

    @classmethod
    def from_model(cls, row: models.MatchRun, *, sees_people: bool) -> MatchRun:
        return from_row(cls, row, row=row, sees_people=sees_people)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.MatchRun).load_many([int(i) for i in node_ids])
        return await visible_runs(info, rows)

    @strawberry.field
    async def program(self, info: Info) -> Program:
        return Program.from_model(await info.context.loaders.by_id(ProgramRow).load(self.row.program_id))

    @strawberry.field
    def weights(self) -> MatchWeights:
        return MatchWeights(**self.row.weights)

    @strawberry.field(description="Null until the run is DONE.")
    def certificate(self) -> MatchCertificate | None:
        if self.row.status is not models.MatchRunStatus.DONE:
            return None
        primal, dual = self.row.objective_value or 0, self.row.dual_objective or 0
        return MatchCertificate(
            primal=primal, dual=dual, proven_optimal=primal == dual, rounds=self.row.certificate_rounds or 0
        )

    @strawberry.field(description="Who and what the run matched. Null for analysts.")
    def inputs(self) -> JSON | None:
        return self.row.inputs if self.sees_people else None

    @strawberry.field(description="People left without a proposal, with the reason. Empty for analysts.")
    def unmatched(self) -> list[UnmatchedParticipant]:
        if not self.sees_people:
            return []
        return [
            UnmatchedParticipant(person_id=u["personId"], role=u["role"], reason=u["reason"], detail=u["detail"])
            for u in self.row.unmatched
        ]

    @strawberry.field
    def audit(self) -> MatchAudit | None:
        if not self.row.audit:
            return None
        return MatchAudit(
            groups=[AuditGroup(**group) for group in self.row.audit["groups"]],
            dimensions=[AuditDimension(**d) for d in self.row.audit["dimensions"]],
        )

    @strawberry.field(description="The run's proposals. Empty for analysts, who see aggregates only.")
    async def proposals(self, info: Info, status: MatchProposalStatus | None = None) -> list[MatchProposal]:
        if not self.sees_people:
            return []
        rows = await info.context.loaders.children(models.MatchProposal, "run_id").load(self.id)
        return [MatchProposal.from_model(row) for row in rows if status is None or row.status == status]


async def visible_runs(info: Info, rows: list[models.MatchRun | None]) -> list[MatchRun | None]:
    coordinators = await _coordinators(info, [row.program_id if row else 0 for row in rows])
    viewer = info.context.viewer
    return [
        MatchRun.from_model(row, sees_people=policy.can_see_people_in_run(viewer, ids))
        if row is not None and policy.can_see_run(viewer, ids)
        else None
        for row, ids in zip(rows, coordinators, strict=True)
    ]


@strawberry.type
class MatchProposal(relay.Node):
    id: relay.NodeID[int]
    status: MatchProposalStatus
    score: int = strawberry.field(description="0 to 1000: the weighted sum of the breakdown's points.")
    locked: bool
    refusal_reason: str
    created_at: datetime.datetime
    row: strawberry.Private[models.MatchProposal]

    @classmethod
    def from_model(cls, row: models.MatchProposal) -> MatchProposal:
        return from_row(cls, row, row=row)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.MatchProposal).load_many([int(i) for i in node_ids])
        return await visible_proposals(info, rows)

    @strawberry.field(description="Why this match: each component of the score.")
    def breakdown(self) -> list[ScoreComponent]:
        return components_of(self.row.breakdown)

    @strawberry.field(description="A pair's mentor; null for circles and skill swaps.")
    async def mentor(self, info: Info) -> PersonRef | None:
        return None if self.row.mentor_id is None else await _person(info, self.row.mentor_id)

    @strawberry.field(description="A pair's mentee; null for circles and skill swaps.")
    async def mentee(self, info: Info) -> PersonRef | None:
        return None if self.row.mentee_id is None else await _person(info, self.row.mentee_id)

    @strawberry.field(description="Everyone in the proposal, with the seat they would take.")
    async def members(self, info: Info) -> list[ProposalMember]:
        rows = await info.context.loaders.children(models.MatchProposalMember, "proposal_id").load(self.id)
        return [ProposalMember(person_id=row.person_id, role=row.role) for row in rows]

    @strawberry.field(description="A skill swap's cycle: who teaches whom which skills.")
    async def lessons(self, info: Info) -> list[SwapLesson]:
        skill_ids = sorted({skill for lesson in self.row.lessons for skill in lesson["skillIds"]})
        skills = dict(zip(skill_ids, await info.context.loaders.by_id(SkillRow).load_many(skill_ids), strict=True))
        return [
            SwapLesson(
                teacher_id=lesson["teacherId"],
                learner_id=lesson["learnerId"],
                skills=[Skill.from_model(skills[k]) for k in lesson["skillIds"] if skills.get(k)],
            )
            for lesson in self.row.lessons
        ]

    @strawberry.field(description="The relationship it was published as.")
    async def relationship(self, info: Info) -> RelationshipRef | None:
        from schema.relationships.types import visible_relationships

        if self.row.relationship_id is None:
            return None
        row = await info.context.loaders.by_id(RelationshipRow).load(self.row.relationship_id)
        return (await visible_relationships(info, [row]))[0]


async def visible_proposals(info: Info, rows: list[models.MatchProposal | None]) -> list[MatchProposal | None]:
    runs = await info.context.loaders.by_id(models.MatchRun).load_many([row.run_id if row else 0 for row in rows])
    coordinators = await _coordinators(info, [run.program_id if run else 0 for run in runs])
    seats = await info.context.loaders.children(models.MatchProposalMember, "proposal_id").load_many(
        [row.id if row else 0 for row in rows]
    )
    viewer = info.context.viewer
    return [
        MatchProposal.from_model(row)
        if row is not None and policy.can_see_proposal(viewer, row, ids, {seat.person_id for seat in members})
        else None
        for row, ids, members in zip(rows, coordinators, seats, strict=True)
    ]
