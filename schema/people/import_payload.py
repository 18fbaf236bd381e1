"""What a people import did, as GraphQL shows it: inline from importPeople, or as a finished job's report."""

from __future__ import annotations

import strawberry

from domain.people import importer


@strawberry.type(description="One problem with one row; that row wrote nothing.")
class ImportRowError:
    row: int = strawberry.field(description="As a spreadsheet numbers it: the header is row 1.")
    email: str | None
    field: str = strawberry.field(description="The CSV column at fault, such as 'manager_email'.")
    message: str


@strawberry.type(description="What closed for the people the import marked as having left (a dry run: would close).")
class LeaversClosed:
    relationships_ended: int = strawberry.field(description="Open relationships ended early (LEFT_COMPANY).")
    meetings_cancelled: int = strawberry.field(description="Their meetings still ahead, cancelled in the calendars.")
    requests_cancelled: int = strawberry.field(description="Pending mentor requests to or from them.")
    enrollments_withdrawn: int


@strawberry.type
class ImportPeoplePayload:
    created: int
    updated: int
    unchanged: int
    dry_run: bool
    errors: list[ImportRowError]
    warnings: list[str]
    leavers: int = strawberry.field(description="Active people a left_on cell marked as having left.")
    leavers_closed: LeaversClosed

    @classmethod
    def from_report(cls, report: importer.ImportReport) -> ImportPeoplePayload:
        return cls(
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
            dry_run=report.dry_run,
            errors=[ImportRowError(row=e.row, email=e.email, field=e.field, message=e.message) for e in report.errors],
            warnings=list(report.warnings),
            leavers=report.leavers,
            leavers_closed=LeaversClosed(
                relationships_ended=report.closed.relationships_ended,
                meetings_cancelled=report.closed.meetings_cancelled,
                requests_cancelled=report.closed.requests_cancelled,
                enrollments_withdrawn=report.closed.enrollments_withdrawn,
            ),
        )
