"""Mentoring relationships: who is in one, where it stands, and how it began (request, proposal, rematch)."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model

from domain.programs.models import ProgramKind


class RelationshipStatus(str, Enum):
    PROPOSED = "PROPOSED"
    ACTIVE = "ACTIVE"
    PAUSED = "PAUSED"
    COMPLETED = "COMPLETED"
    ENDED_EARLY = "ENDED_EARLY"
    AUTO_CONCLUDED = "AUTO_CONCLUDED"


class ClosureReason(str, Enum):
    GOALS_MET_EARLY = "GOALS_MET_EARLY"
    LACK_OF_TIME = "LACK_OF_TIME"
    NOT_A_GOOD_FIT = "NOT_A_GOOD_FIT"
    LEFT_COMPANY = "LEFT_COMPANY"
    OTHER = "OTHER"


class MemberRole(str, Enum):
    MENTOR = "MENTOR"
    MENTEE = "MENTEE"
    PEER = "PEER"
    FACILITATOR = "FACILITATOR"


class RelationshipOrigin(str, Enum):
    SELF_SERVICE = "SELF_SERVICE"
    COORDINATOR = "COORDINATOR"
    MATCHING = "MATCHING"
    REMATCH = "REMATCH"


class MentorRequestStatus(str, Enum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"
    CANCELLED = "CANCELLED"
    # Closed unanswered because the mentor's last place was taken.
    MENTOR_FULL = "MENTOR_FULL"


class RematchStatus(str, Enum):
    OPEN = "OPEN"
    RESOLVED = "RESOLVED"
    ENDED_RELATIONSHIP = "ENDED_RELATIONSHIP"


class Relationship(Model):
    id = fields.IntField(primary_key=True)
    # RESTRICT everywhere below: relationships are history that reports count; nothing is deleted.
    program = fields.ForeignKeyField("models.Program", related_name="relationships", on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(ProgramKind, max_length=16)
    status = fields.CharEnumField(RelationshipStatus, max_length=16, default=RelationshipStatus.PROPOSED, db_index=True)
    origin = fields.CharEnumField(RelationshipOrigin, max_length=16)
    closure_reason = fields.CharEnumField(ClosureReason, max_length=20, null=True)
    closure_note = fields.TextField(default="")
    started_at = fields.DatetimeField(null=True)
    paused_at = fields.DatetimeField(null=True)
    ended_at = fields.DatetimeField(null=True)
    # Bumped by anything the members do together (a held meeting, a signature, goal progress);
    # the inactivity sweep reads it to warn, then auto-conclude.
    last_activity_at = fields.DatetimeField(db_index=True)
    inactivity_notice_at = fields.DatetimeField(null=True)
    previous = fields.ForeignKeyField(
        "models.Relationship", related_name="successors", null=True, on_delete=fields.RESTRICT
    )
    created_by = fields.ForeignKeyField(
        "models.Person", related_name="relationships_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "relationship"
        ordering = ("id",)


class RelationshipMember(Model):
    id = fields.IntField(primary_key=True)
    relationship = fields.ForeignKeyField("models.Relationship", related_name="members", on_delete=fields.RESTRICT)
    person = fields.ForeignKeyField("models.Person", related_name="memberships", on_delete=fields.RESTRICT)
    role = fields.CharEnumField(MemberRole, max_length=12)
    joined_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "relationship_member"
        unique_together = (("relationship", "person"),)
        ordering = ("id",)


class MentorRequest(Model):
    """A mentee asking a specific mentor in a self-service program; expires unless answered."""

    id = fields.IntField(primary_key=True)
    program = fields.ForeignKeyField("models.Program", related_name="mentor_requests", on_delete=fields.RESTRICT)
    mentee = fields.ForeignKeyField("models.Person", related_name="mentor_requests_sent", on_delete=fields.RESTRICT)
    mentor = fields.ForeignKeyField("models.Person", related_name="mentor_requests_received", on_delete=fields.RESTRICT)
    message = fields.TextField(default="")
    status = fields.CharEnumField(
        MentorRequestStatus, max_length=12, default=MentorRequestStatus.PENDING, db_index=True
    )
    expires_at = fields.DatetimeField()
    responded_at = fields.DatetimeField(null=True)
    response_message = fields.TextField(default="")
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="from_requests", null=True, on_delete=fields.RESTRICT
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mentor_request"
        indexes = (("mentee", "mentor", "status"),)
        ordering = ("id",)


class RematchRequest(Model):
    """A member asking for a different partner; the reason is confidential to the program's coordinators."""

    id = fields.IntField(primary_key=True)
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="rematch_requests", on_delete=fields.RESTRICT
    )
    requested_by = fields.ForeignKeyField("models.Person", related_name="rematch_requests", on_delete=fields.RESTRICT)
    reason = fields.TextField()
    status = fields.CharEnumField(RematchStatus, max_length=20, default=RematchStatus.OPEN, db_index=True)
    resolution_note = fields.TextField(default="")
    resolved_by = fields.ForeignKeyField(
        "models.Person", related_name="rematches_resolved", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    resolved_at = fields.DatetimeField(null=True)

    class Meta:
        table = "rematch_request"
        ordering = ("id",)


class MatchExclusion(Model):
    """Pairs the next matching run must not put together again (set when a rematch ends a relationship)."""

    id = fields.IntField(primary_key=True)
    program = fields.ForeignKeyField("models.Program", related_name="match_exclusions", on_delete=fields.RESTRICT)
    person = fields.ForeignKeyField("models.Person", related_name="match_exclusions", on_delete=fields.RESTRICT)
    excluded_person = fields.ForeignKeyField(
        "models.Person", related_name="excluded_from_matches", on_delete=fields.RESTRICT
    )
    source_relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="exclusions", null=True, on_delete=fields.RESTRICT
    )
    # Consumed when a matching run places the person again; until then they are flagged for it.
    needs_rematch = fields.BooleanField(default=True, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "match_exclusion"
        unique_together = (("program", "person", "excluded_person"),)
