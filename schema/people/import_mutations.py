"""importPeople: an administrator upserts people from an HRIS CSV export, inline or as a background job.

A file of up to INLINE_ROWS people answers inline with its report, as importPeople always did; a larger one
(or any, with `background: true`) answers at once with a PeopleImportJob to follow with importJob(id).
`background: false` keeps a large file inline (bounded by the request deadline).
"""

from __future__ import annotations

from typing import Annotated, Union

import strawberry

from domain.people import import_jobs, importer
from schema.context import Info
from schema.errors import ERROR_TYPES
from schema.idempotency import IdempotentInput, run_once
from schema.input_rules import unbounded_text
from schema.people.import_jobs import PeopleImportJob
from schema.people.import_payload import ImportPeoplePayload


@strawberry.input
class ImportPeopleInput(IdempotentInput):
    csv: str = strawberry.field(
        metadata=unbounded_text(),
        description=(
            "CSV text (comma-, semicolon- or tab-separated, as the header row shows) with a header row naming "
            "any of: email (required), name, department, title, level (1-20), "
            "manager_email, time_zone (IANA), working_hours ('Mon-Fri 09:00-17:00; Sat 10:00-12:00', local time), "
            "teach_skills and learn_skills ('Python:4; Public speaking:2', proficiency 1-5), languages ('en; pt-BR'), "
            "left_on (YYYY-MM-DD, the day the person left: marks them inactive)."
            " People are matched by email; an empty cell leaves that value as it is."
        ),
    )
    dry_run: bool = strawberry.field(default=False, description="Check and count as an import would; write nothing.")
    background: bool | None = strawberry.field(
        default=None,
        description=(
            f"Run as a background job and answer with it at once (PeopleImportStarted). Unset: files of more than "
            f"{import_jobs.INLINE_ROWS:,} people run in the background, smaller ones answer inline."
        ),
    )


@strawberry.type(description="The file runs as a background job; follow it with importJob(id).")
class PeopleImportStarted:
    job: PeopleImportJob


ImportPeopleResult = Annotated[
    Union[ImportPeoplePayload, PeopleImportStarted, *ERROR_TYPES], strawberry.union("ImportPeopleResult")
]


def _in_background(input: ImportPeopleInput) -> bool:
    if input.background is not None:
        return input.background
    return import_jobs.data_rows(input.csv) > import_jobs.INLINE_ROWS


def _payload(outcome: importer.ImportReport | import_jobs.PeopleImportJob):
    if isinstance(outcome, import_jobs.PeopleImportJob):
        return PeopleImportStarted(job=PeopleImportJob.from_model(outcome))
    return ImportPeoplePayload.from_report(outcome)


@strawberry.type
class PeopleImportMutations:
    @strawberry.mutation(description="Upserts people by email (admins only); bad rows are reported, never written.")
    async def import_people(self, info: Info, input: ImportPeopleInput) -> ImportPeopleResult:
        viewer = info.context.viewer
        created: list[int] = []

        async def action():
            if not _in_background(input):
                return await importer.import_people(viewer, csv_text=input.csv, dry_run=input.dry_run)
            job = await import_jobs.create_job(viewer, csv_text=input.csv, dry_run=input.dry_run)
            created.append(job.id)
            return job

        result = await run_once(info, input, action, _payload, codec=import_jobs.IMPORT_ANSWER_CODEC)
        # Started once its row is committed, and only by the request that created it: a retry with the same
        # idempotency key gets the same job back and never imports the file twice.
        for job_id in created:
            import_jobs.start_in_background(job_id)
        return result
