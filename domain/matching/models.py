"""Matching runs and their proposals: what was matched, from which inputs, proven how, and what became of it."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model

from domain.matching.profiles import Objective


class MatchRunStatus(str, Enum):
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"


class ProposalStatus(str, Enum):
    PROPOSED = "PROPOSED"
    APPROVED = "APPROVED"
    REJECTED = "REJECTED"
    PUBLISHED = "PUBLISHED"
    # Publishing found a rule broken since the run (a withdrawal, a full mentor, a new manager).
    REFUSED = "REFUSED"
    # A later run of the program replaced it (a locked proposal is carried into that run instead).
    SUPERSEDED = "SUPERSEDED"


class MatchRun(Model):
    id = fields.IntField(primary_key=True)
    # RESTRICT: runs are the audit trail of how people were matched; programs are closed, not deleted.
    program = fields.ForeignKeyField("models.Program", related_name="match_runs", on_delete=fields.RESTRICT)
    status = fields.CharEnumField(MatchRunStatus, max_length=8, default=MatchRunStatus.RUNNING, db_index=True)
    objective = fields.CharEnumField(Objective, max_length=20)
    dry_run = fields.BooleanField(default=False)
    weights = fields.JSONField()
    # Who and what the run matched: participants with their places left, exclusions, blocks, kept pairs.
    inputs = fields.JSONField(default=dict)
    solver = fields.CharField(max_length=80, default="")
    total_score = fields.IntField(null=True)
    dual_objective = fields.BigIntField(null=True)
    objective_value = fields.BigIntField(null=True)
    certificate_rounds = fields.SmallIntField(null=True)
    candidate_pairs = fields.IntField(null=True)
    matched_count = fields.IntField(null=True)
    unmatched = fields.JSONField(default=list)
    audit = fields.JSONField(default=dict)
    failure = fields.TextField(default="")
    duration_ms = fields.IntField(null=True)
    started_at = fields.DatetimeField()
    finished_at = fields.DatetimeField(null=True)
    created_by = fields.ForeignKeyField(
        "models.Person", related_name="match_runs", null=True, on_delete=fields.SET_NULL
    )

    class Meta:
        table = "match_run"
        ordering = ("id",)


class MatchProposal(Model):
    id = fields.IntField(primary_key=True)
    run: fields.ForeignKeyRelation[MatchRun] = fields.ForeignKeyField(
        "models.MatchRun", related_name="proposals", on_delete=fields.RESTRICT
    )
    status = fields.CharEnumField(ProposalStatus, max_length=12, default=ProposalStatus.PROPOSED, db_index=True)
    # Pairs name their mentor and mentee here (swaps exchange them); every proposal lists its members.
    mentor = fields.ForeignKeyField(
        "models.Person", related_name="match_proposals_as_mentor", null=True, on_delete=fields.RESTRICT
    )
    mentee = fields.ForeignKeyField(
        "models.Person", related_name="match_proposals_as_mentee", null=True, on_delete=fields.RESTRICT
    )
    score = fields.IntField()
    breakdown = fields.JSONField()
    # A skill swap's cycle: who teaches whom which skills, for the agreement.
    lessons = fields.JSONField(default=list)
    locked = fields.BooleanField(default=False)
    refusal_reason = fields.TextField(default="")
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="match_proposals", null=True, on_delete=fields.RESTRICT
    )
    decided_by = fields.ForeignKeyField(
        "models.Person", related_name="match_decisions", null=True, on_delete=fields.SET_NULL
    )
    decided_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "match_proposal"
        ordering = ("id",)


class MatchProposalMember(Model):
    id = fields.IntField(primary_key=True)
    proposal: fields.ForeignKeyRelation[MatchProposal] = fields.ForeignKeyField(
        "models.MatchProposal", related_name="members", on_delete=fields.RESTRICT
    )
    person = fields.ForeignKeyField("models.Person", related_name="match_proposal_seats", on_delete=fields.RESTRICT)
    role = fields.CharField(max_length=12)  # a relationship MemberRole: MENTOR, MENTEE or PEER

    class Meta:
        table = "match_proposal_member"
        unique_together = (("proposal", "person"),)
        ordering = ("id",)


class MatchBlock(Model):
    """Two people a coordinator keeps apart in a program's matching runs (either order)."""

    id = fields.IntField(primary_key=True)
    program = fields.ForeignKeyField("models.Program", related_name="match_blocks", on_delete=fields.RESTRICT)
    person = fields.ForeignKeyField("models.Person", related_name="match_blocks", on_delete=fields.RESTRICT)
    other_person = fields.ForeignKeyField("models.Person", related_name="match_blocked_by", on_delete=fields.RESTRICT)
    created_by = fields.ForeignKeyField(
        "models.Person", related_name="match_blocks_set", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "match_block"
        unique_together = (("program", "person", "other_person"),)
