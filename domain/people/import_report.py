"""What a people import did: counts, per-row errors and file-level warnings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from domain.idempotency.service import AnswerCodec
from domain.people.leavers import LeaversClosed


@dataclass(frozen=True)
class ImportRowError:
    """One problem with one row. `row` counts as a spreadsheet does (the header is row 1); `field` is the column."""

    row: int
    email: str | None
    field: str
    message: str


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    errors: list[ImportRowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # People the import marked as having left, and what closed for them (domain/people/leavers.py).
    leavers: int = 0
    closed: LeaversClosed = field(default_factory=LeaversClosed)

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """One line of counts, then one line per warning."""
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.errors:
            counts += f"; {self.rejected_rows} rows rejected ({len(self.errors)} errors)"
        lines = [f"dry run, nothing written: {counts}" if self.dry_run else counts]
        if self.leavers:
            closed = self.closed
            lines.append(
                f"{self.leavers} left: {closed.relationships_ended} relationships ended (LEFT_COMPANY), "
                f"{closed.meetings_cancelled} meetings cancelled, {closed.requests_cancelled} mentor requests "
                f"cancelled, {closed.enrollments_withdrawn} enrollments withdrawn"
            )
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


def report_as_dict(report: ImportReport) -> dict:
    """The report as JSON (kept under an idempotency key, or on a finished import job)."""
    return asdict(report)


def report_from_dict(answer: dict) -> ImportReport:
    errors = [ImportRowError(**error) for error in answer.get("errors", [])]
    closed = LeaversClosed(**answer.get("closed", {}))
    return ImportReport(**{**answer, "errors": errors, "closed": closed})


async def _recall(answer: dict) -> ImportReport:
    return report_from_dict(answer)


# An import retried with its idempotency key answers with the first run's report.
REPORT_CODEC = AnswerCodec(remember=report_as_dict, recall=_recall)
