"""A people import running in the background, as an administrator follows it: importJob(id)."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.people import import_jobs
from schema.context import Info
from schema.enums import ImportJobStatus
from schema.people.import_payload import ImportPeoplePayload
from schema.relay_ids import decode_id


@strawberry.type(description="A large importPeople running in the background; readable by administrators.")
class PeopleImportJob(relay.Node):
    id: relay.NodeID[int]
    status: ImportJobStatus
    dry_run: bool
    processed_rows: int = strawberry.field(description="Rows whose outcome is decided (written, unchanged or refused).")
    total_rows: int = strawberry.field(description="People rows in the file.")
    failure: str | None = strawberry.field(description="Why the job FAILED; nothing of the file was written then.")
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    row: strawberry.Private[import_jobs.PeopleImportJob]

    @classmethod
    def from_model(cls, row: import_jobs.PeopleImportJob) -> PeopleImportJob:
        processed, total = import_jobs.progress_of(row)
        return cls(
            id=row.id,
            status=row.status,
            dry_run=row.dry_run,
            processed_rows=processed,
            total_rows=total,
            failure=row.failure or None,
            created_at=row.created_at,
            started_at=row.started_at,
            finished_at=row.finished_at,
            row=row,
        )

    @strawberry.field(description="What the import did, once it SUCCEEDED; null before, and when it FAILED.")
    def report(self) -> ImportPeoplePayload | None:
        report = self.row.import_report
        return None if report is None else ImportPeoplePayload.from_report(report)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = [await import_jobs.visible_job(info.context.viewer, int(node_id)) for node_id in node_ids]
        return [cls.from_model(row) if row else None for row in rows]


@strawberry.type
class ImportJobQueries:
    @strawberry.field(description="A background people import by its ID (administrators only; null otherwise).")
    async def import_job(self, info: Info, id: relay.GlobalID) -> PeopleImportJob | None:
        row = await import_jobs.visible_job(info.context.viewer, decode_id(id, "PeopleImportJob"))
        return PeopleImportJob.from_model(row) if row else None
