"""Mentor recognition over GraphQL: the figures (with a CSV for a performance review) and the opt-in."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.analytics import csv_export, recognition
from schema.analytics.types import CsvTable
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.relay_ids import encode_id


@strawberry.type
class ProgramRecognition:
    program_id: relay.GlobalID
    program_name: str
    hours_mentored: float
    relationships_completed: int
    mentee_goals_met: int


@strawberry.type(
    description="A mentor's hours of held meetings, relationships completed and mentees' goals achieved over a "
    "period, per program: for the mentor, and for their programs' coordinators while the mentor shares them."
)
class MentorRecognition:
    mentor_id: relay.GlobalID
    name: str
    start: datetime.date
    end: datetime.date
    sharing: bool = strawberry.field(description="Whether the mentor lets their programs' coordinators see this.")
    hours_mentored: float
    relationships_completed: int
    mentee_goals_met: int
    programs: list[ProgramRecognition]
    csv: CsvTable = strawberry.field(description="The figures as one CSV table, for a performance review.")

    @classmethod
    def from_domain(cls, value: recognition.Recognition) -> MentorRecognition:
        table = csv_export.recognition_table(value)
        return cls(
            mentor_id=encode_id("Person", value.mentor_id),
            name=value.name,
            start=value.period.start,
            end=value.period.end,
            sharing=value.sharing,
            hours_mentored=value.hours_mentored,
            relationships_completed=value.relationships_completed,
            mentee_goals_met=value.mentee_goals_met,
            programs=[
                ProgramRecognition(
                    program_id=encode_id("Program", p.program_id),
                    program_name=p.program_name,
                    hours_mentored=p.hours_mentored,
                    relationships_completed=p.relationships_completed,
                    mentee_goals_met=p.mentee_goals_met,
                )
                for p in value.programs
            ],
            csv=CsvTable(name=table.name, content=table.content),
        )


@strawberry.input
class ShareRecognitionInput:
    share: bool = strawberry.field(description="True lets your programs' coordinators see your recognition.")


@strawberry.type
class ShareRecognitionPayload:
    sharing: bool


ShareRecognitionResult = result_union("ShareRecognitionResult", ShareRecognitionPayload)


@strawberry.type
class AnalyticsMutations:
    @strawberry.mutation(description="Whether your programs' coordinators may see your mentor recognition.")
    async def share_recognition(self, info: Info, input: ShareRecognitionInput) -> ShareRecognitionResult:
        return await run_mutation(
            lambda: recognition.share_recognition(info.context.viewer, share=input.share),
            lambda sharing: ShareRecognitionPayload(sharing=sharing),
        )
