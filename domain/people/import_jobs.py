"""A large people import as a background job: the request records it and answers at once; the job reports
its progress (rows decided out of rows in the file) and, once done, the import's report.

A job runs in the process that accepted it, as a task on its loop (parsing and checking in worker threads, see
importer.py), and writes everything in the import's one transaction: a server killed mid-import leaves no row
of it written. Such a job cannot resume. It stops sending heartbeats, and once they are older than
STALE_AFTER it reads as FAILED (saying why), so the administrator runs the file again.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import os
import uuid
from collections.abc import Callable
from enum import Enum

from tortoise import fields
from tortoise.models import Model

from domain.access import Viewer
from domain.background import BackgroundTasks
from domain.clock import utc_now
from domain.errors import DomainError
from domain.idempotency.service import AnswerCodec
from domain.people.import_report import REPORT_CODEC, ImportReport, report_as_dict, report_from_dict
from domain.people.importer import import_people_csv

log = logging.getLogger("mentorgraph.people.import")

# Files with more data rows than this run as a job unless the client asks otherwise (importPeople's
# `background`); smaller ones answer inline, as importPeople always did.
INLINE_ROWS = 2_000
HEARTBEAT_SECONDS = 2.0
STALE_AFTER = datetime.timedelta(seconds=30)
INTERRUPTED = "The server running this import stopped before it finished; nothing was written. Run the file again."
_RUNNER = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"


class ImportJobStatus(str, Enum):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"


class PeopleImportJob(Model):
    id = fields.IntField(primary_key=True)
    # The token's email: an administrator may import before having a profile of their own.
    started_by = fields.CharField(max_length=254)
    status = fields.CharEnumField(ImportJobStatus, max_length=9, default=ImportJobStatus.QUEUED, db_index=True)
    dry_run = fields.BooleanField(default=False)
    total_rows = fields.IntField(default=0)
    processed_rows = fields.IntField(default=0)
    # The file until the job ends, then null: it holds people's details, and only the report is needed after.
    csv = fields.TextField(null=True)
    report = fields.JSONField(null=True)
    failure = fields.TextField(default="")
    runner = fields.CharField(max_length=80, default="")
    created_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    heartbeat_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "people_import_job"

    @property
    def import_report(self) -> ImportReport | None:
        return None if self.report is None else report_from_dict(self.report)


def data_rows(csv_text: str) -> int:
    """About how many people a file holds (its lines after the header), to decide inline or background."""
    return max(0, csv_text.strip().count("\n"))


async def create_job(viewer: Viewer, *, csv_text: str, dry_run: bool) -> PeopleImportJob:
    """Records a QUEUED job for an administrator (PermissionDenied for anyone else); `start_in_background` runs it."""
    viewer.require_role()
    return await PeopleImportJob.create(
        started_by=viewer.email, dry_run=dry_run, csv=csv_text, total_rows=data_rows(csv_text), created_at=utc_now()
    )


async def visible_job(viewer: Viewer, job_id: int) -> PeopleImportJob | None:
    """The job for an administrator (a job no heartbeat has kept alive reads FAILED); None for anyone else."""
    if not viewer.is_admin:
        return None
    job = await PeopleImportJob.get_or_none(id=job_id)
    if job is None or job.status not in (ImportJobStatus.QUEUED, ImportJobStatus.RUNNING):
        return job
    now = utc_now()
    # A job this process runs is alive whatever its heartbeat says: on SQLite the import's write transaction
    # holds the one connection, so no heartbeat is written until it commits.
    if job.id not in _progress and now - (job.heartbeat_at or job.created_at) > STALE_AFTER:
        # Guarded: a job that has just finished (or been claimed and kept alive) is left as it is.
        ended = await PeopleImportJob.filter(
            id=job.id, status=job.status, heartbeat_at=job.heartbeat_at, finished_at=None
        ).update(status=ImportJobStatus.FAILED, failure=INTERRUPTED, finished_at=now, csv=None)
        if ended:
            log.warning("people import job %s stopped without finishing (runner %s)", job.id, job.runner or "none")
        await job.refresh_from_db()
    return job


_tasks = BackgroundTasks()
# Progress of the jobs running in this process, as (processed, total): kept here as well as in the table,
# because on SQLite the import's write transaction holds the one connection until it commits.
_progress: dict[int, tuple[int, int]] = {}


def progress_of(job: PeopleImportJob) -> tuple[int, int]:
    """(processed rows, total rows): this process's live count while it runs the job, else the stored one."""
    return _progress.get(job.id, (job.processed_rows, job.total_rows))


# Told "succeeded" or "failed" as each job of this process ends (the metrics listen).
FINISHED_LISTENERS: list[Callable[[str], None]] = []


def start_in_background(job_id: int) -> asyncio.Task:
    """Runs the job as a task on this loop."""
    return _tasks.start(run_job(job_id))


async def wait_for_jobs() -> None:
    """Lets every job started in this process finish (shutdown, tests)."""
    await _tasks.wait()


async def run_job(job_id: int) -> None:
    now = utc_now()
    claimed = await PeopleImportJob.filter(id=job_id, status=ImportJobStatus.QUEUED).update(
        status=ImportJobStatus.RUNNING, runner=_RUNNER, started_at=now, heartbeat_at=now
    )
    if not claimed:
        return  # someone else has it, or it already ended
    job = await PeopleImportJob.get(id=job_id)
    _progress[job_id] = (0, job.total_rows)
    heartbeat = asyncio.create_task(_beat(job_id), name=f"people-import-{job_id}-heartbeat")
    result = "failed"
    try:
        report = await import_people_csv(job.csv or "", dry_run=job.dry_run, on_progress=_counter(job_id))
        total = report.created + report.updated + report.unchanged + report.rejected_rows
        await _end(
            job_id, status=ImportJobStatus.SUCCEEDED, report=report_as_dict(report), processed=total, total=total
        )
        result = "succeeded"
    except DomainError as error:
        await _end(job_id, status=ImportJobStatus.FAILED, failure=error.message)
    except Exception:
        log.exception("people import job %s failed", job_id)
        await _end(job_id, status=ImportJobStatus.FAILED, failure="Unexpected error; nothing was written.")
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        _progress.pop(job_id, None)
        for listener in FINISHED_LISTENERS:
            listener(result)


def _counter(job_id: int):
    """The importer's `on_progress(written, to write)` as rows decided: rows needing no write are decided once
    the checks are done, the rest as they are written."""

    def on_progress(written: int, to_write: int) -> None:
        _, total = _progress.get(job_id, (0, 0))
        _progress[job_id] = (max(0, total - to_write) + written, total)

    return on_progress


async def _beat(job_id: int) -> None:
    """Keeps the job alive in the table (and its stored progress current) while this process runs it."""
    while True:
        await asyncio.sleep(HEARTBEAT_SECONDS)
        processed, total = _progress.get(job_id, (0, 0))
        with contextlib.suppress(Exception):  # a missed beat is retried; the import goes on regardless
            await PeopleImportJob.filter(id=job_id, status=ImportJobStatus.RUNNING).update(
                heartbeat_at=utc_now(), processed_rows=processed, total_rows=total
            )


async def _end(
    job_id: int,
    *,
    status: ImportJobStatus,
    report: dict | None = None,
    failure: str = "",
    processed: int | None = None,
    total: int | None = None,
) -> None:
    changes = {"status": status, "report": report, "failure": failure, "finished_at": utc_now(), "csv": None}
    if processed is not None:
        changes |= {"processed_rows": processed, "total_rows": total}
    await PeopleImportJob.filter(id=job_id, status=ImportJobStatus.RUNNING).update(**changes)


async def _recall_answer(answer: dict) -> ImportReport | PeopleImportJob:
    if "job" in answer:
        return await PeopleImportJob.get(id=answer["job"])
    return await REPORT_CODEC.recall(answer)


def _remember_answer(outcome: ImportReport | PeopleImportJob) -> dict:
    if isinstance(outcome, PeopleImportJob):
        return {"job": outcome.id}
    return REPORT_CODEC.remember(outcome)


# importPeople's answer under its idempotency key: the inline report, or the job a large file became.
IMPORT_ANSWER_CODEC = AnswerCodec(remember=_remember_answer, recall=_recall_answer)
