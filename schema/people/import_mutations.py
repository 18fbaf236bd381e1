"""importPeople: an administrator upserts people from an HRIS CSV export."""

from __future__ import annotations

import strawberry

from domain.people import importer
from domain.people.import_report import REPORT_CODEC
from schema.context import Info
from schema.errors import result_union
from schema.idempotency import IdempotentInput, run_once
from schema.input_rules import unbounded_text


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


@strawberry.type(description="One problem with one row; that row wrote nothing.")
class ImportRowError:
    row: int = strawberry.field(description="As a spreadsheet numbers it: the header is row 1.")
    email: str | None
    field: str = strawberry.field(description="The CSV column at fault, such as 'manager_email'.")
    message: str


@strawberry.type
class ImportPeoplePayload:
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[ImportRowError]
    warnings: list[str]

    @classmethod
    def from_report(cls, report: importer.ImportReport) -> ImportPeoplePayload:
        return cls(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            dry_run=report.dry_run,
            errors=[ImportRowError(row=e.row, email=e.email, field=e.field, message=e.message) for e in report.errors],
            warnings=list(report.warnings),
        )


ImportPeopleResult = result_union("ImportPeopleResult", ImportPeoplePayload)


@strawberry.type
class PeopleImportMutations:
    @strawberry.mutation(description="Upserts people by email (admins only); bad rows are reported, never written.")
    async def import_people(self, info: Info, input: ImportPeopleInput) -> ImportPeopleResult:
        return await run_once(
            info,
            input,
            lambda: importer.import_people(info.context.viewer, csv_text=input.csv, dry_run=input.dry_run),
            ImportPeoplePayload.from_report,
            codec=REPORT_CODEC,
        )
