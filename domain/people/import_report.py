"""What a people import did: counts, per-row errors and file-level warnings."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from domain.idempotency.service import AnswerCodec


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

    @property
    def rejected_rows(self) -> int:
        return len({error.row for error in self.errors})

    def summary(self) -> str:
        """One line of counts, then one line per warning."""
        counts = f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"
        if self.errors:
            counts += f"; {self.rejected_rows} rows rejected ({len(self.errors)} errors)"
        lines = [f"dry run, nothing written: {counts}" if self.dry_run else counts]
        lines.extend(f"warning: {warning}" for warning in self.warnings)
        return "\n".join(lines)


def _remember(report: ImportReport) -> dict:
    return asdict(report)


async def _recall(answer: dict) -> ImportReport:
    errors = [ImportRowError(**error) for error in answer.get("errors", [])]
    return ImportReport(**{**answer, "errors": errors})


# An import retried with its idempotency key answers with the first run's report.
REPORT_CODEC = AnswerCodec(remember=_remember, recall=_recall)
