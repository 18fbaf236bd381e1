"""Domain enums exposed to GraphQL under their own names (one registration each)."""

from __future__ import annotations

from enum import Enum

import strawberry

from domain.access import Role as DomainRole
from domain.matching import models as matching
from domain.matching.profiles import Objective
from domain.people import import_jobs
from domain.people import models as people
from domain.programs import models as programs
from domain.relationships import models as relationships
from domain.relationships.rematch import RematchOutcome as DomainRematchOutcome
from domain.skills import models as skills

Role = strawberry.enum(DomainRole, name="Role")
MeetingFormat = strawberry.enum(people.MeetingFormat, name="MeetingFormat")
Gender = strawberry.enum(people.Gender, name="Gender")
AgeBand = strawberry.enum(people.AgeBand, name="AgeBand")
Generation = strawberry.enum(people.Generation, name="Generation")
SkillDirection = strawberry.enum(skills.SkillDirection, name="SkillDirection")
ProgramKind = strawberry.enum(programs.ProgramKind, name="ProgramKind")
ProgramTier = strawberry.enum(programs.ProgramTier, name="ProgramTier")
ProgramStatus = strawberry.enum(programs.ProgramStatus, name="ProgramStatus")
Cadence = strawberry.enum(programs.Cadence, name="Cadence")
CrossDepartmentPolicy = strawberry.enum(programs.CrossDepartmentPolicy, name="CrossDepartmentPolicy")
EnrollmentRole = strawberry.enum(programs.EnrollmentRole, name="EnrollmentRole")
EnrollmentStatus = strawberry.enum(programs.EnrollmentStatus, name="EnrollmentStatus")
RelationshipStatus = strawberry.enum(relationships.RelationshipStatus, name="RelationshipStatus")
RelationshipOrigin = strawberry.enum(relationships.RelationshipOrigin, name="RelationshipOrigin")
ClosureReason = strawberry.enum(relationships.ClosureReason, name="ClosureReason")
MemberRole = strawberry.enum(relationships.MemberRole, name="MemberRole")
MentorRequestStatus = strawberry.enum(relationships.MentorRequestStatus, name="MentorRequestStatus")
RematchStatus = strawberry.enum(relationships.RematchStatus, name="RematchStatus")
RematchOutcome = strawberry.enum(DomainRematchOutcome, name="RematchOutcome")
MatchObjective = strawberry.enum(Objective, name="MatchObjective")
MatchRunStatus = strawberry.enum(matching.MatchRunStatus, name="MatchRunStatus")
MatchProposalStatus = strawberry.enum(matching.ProposalStatus, name="MatchProposalStatus")
ImportJobStatus = strawberry.enum(import_jobs.ImportJobStatus, name="ImportJobStatus")


@strawberry.enum(description="ISO weekday; the domain stores 0 for Monday.")
class Weekday(Enum):
    MONDAY = 0
    TUESDAY = 1
    WEDNESDAY = 2
    THURSDAY = 3
    FRIDAY = 4
    SATURDAY = 5
    SUNDAY = 6
