"""Programs (a cohort with its rules) and enrollments (a person's place in one)."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class ProgramKind(str, Enum):
    ONE_ON_ONE = "ONE_ON_ONE"
    REVERSE = "REVERSE"
    PEER_CIRCLE = "PEER_CIRCLE"
    SKILL_SWAP = "SKILL_SWAP"
    SPEED = "SPEED"


class ProgramTier(int, Enum):
    FORMAL = 1
    SELF_SERVICE = 2
    COMMUNITY = 3


class ProgramStatus(str, Enum):
    DRAFT = "DRAFT"
    RECRUITING = "RECRUITING"
    MATCHING = "MATCHING"
    ACTIVE = "ACTIVE"
    CLOSED = "CLOSED"


class Cadence(str, Enum):
    WEEKLY = "WEEKLY"
    BIWEEKLY = "BIWEEKLY"
    MONTHLY = "MONTHLY"


class CrossDepartmentPolicy(str, Enum):
    REQUIRED = "REQUIRED"
    PREFERRED = "PREFERRED"
    NONE = "NONE"


class EnrollmentRole(str, Enum):
    MENTOR = "MENTOR"
    MENTEE = "MENTEE"
    PEER = "PEER"


class EnrollmentStatus(str, Enum):
    APPLIED = "APPLIED"
    APPROVED = "APPROVED"
    MATCHED = "MATCHED"
    ACTIVE = "ACTIVE"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"


class TopicDirection(str, Enum):
    OFFERED = "OFFERED"
    WANTED = "WANTED"


class Program(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    kind = fields.CharEnumField(ProgramKind, max_length=16)
    tier = fields.IntEnumField(ProgramTier)
    status = fields.CharEnumField(ProgramStatus, max_length=16, default=ProgramStatus.DRAFT, db_index=True)
    cadence = fields.CharEnumField(Cadence, max_length=16, default=Cadence.MONTHLY)
    meeting_minutes = fields.SmallIntField(default=45)
    duration_months = fields.SmallIntField(default=6)
    circle_size = fields.SmallIntField(null=True)
    cross_department = fields.CharEnumField(
        CrossDepartmentPolicy, max_length=16, default=CrossDepartmentPolicy.PREFERRED
    )
    max_time_zone_gap_hours = fields.SmallIntField(null=True)
    mentor_training_required = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "program"
        ordering = ("id",)


class ProgramCoordinator(Model):
    id = fields.IntField(primary_key=True)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="coordinator_links", on_delete=fields.CASCADE
    )
    person = fields.ForeignKeyField("models.Person", related_name="coordinated_links", on_delete=fields.CASCADE)

    class Meta:
        table = "program_coordinator"
        unique_together = (("program", "person"),)


class Enrollment(Model):
    """One per person and program; withdrawing and re-applying reuses the row so history stays linked."""

    id = fields.IntField(primary_key=True)
    # RESTRICT: enrollments are history that reports count; people and programs are deactivated, not deleted.
    person = fields.ForeignKeyField("models.Person", related_name="enrollments", on_delete=fields.RESTRICT)
    program: fields.ForeignKeyRelation[Program] = fields.ForeignKeyField(
        "models.Program", related_name="enrollments", on_delete=fields.RESTRICT
    )
    role = fields.CharEnumField(EnrollmentRole, max_length=8)
    capacity = fields.SmallIntField(null=True, description="How many mentees a mentor takes")
    status = fields.CharEnumField(EnrollmentStatus, max_length=16, default=EnrollmentStatus.APPLIED, db_index=True)
    motivation = fields.TextField(default="")
    # Why someone left, for the coordinators' follow-up; cleared when they apply again.
    withdrawal_reason = fields.TextField(default="")
    mentor_training_completed_on = fields.DateField(null=True)
    nominated_by = fields.ForeignKeyField(
        "models.Person", related_name="nominations", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "enrollment"
        unique_together = (("person", "program"),)
        ordering = ("id",)


class EnrollmentTopic(Model):
    id = fields.IntField(primary_key=True)
    enrollment: fields.ForeignKeyRelation[Enrollment] = fields.ForeignKeyField(
        "models.Enrollment", related_name="topics", on_delete=fields.CASCADE
    )
    skill = fields.ForeignKeyField("models.Skill", related_name="enrollment_topics", on_delete=fields.RESTRICT)
    direction = fields.CharEnumField(TopicDirection, max_length=8)

    class Meta:
        table = "enrollment_topic"
        unique_together = (("enrollment", "skill", "direction"),)
