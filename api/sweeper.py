"""The time-driven sweeps: expiring mentor requests, warning and concluding quiet relationships, missing meetings,
purging delivered outbox messages past MENTORGRAPH_OUTBOX_RETENTION_DAYS.

`serve` runs them every MENTORGRAPH_SWEEP_INTERVAL_SECONDS; `mentorgraph sweep` runs them once, for a
scheduler. On PostgreSQL one process sweeps at a time (an advisory lock): with several workers or servers,
whoever finds the lock taken skips that round. Each sweep is a guarded UPDATE besides.
"""

from __future__ import annotations

import asyncio
import datetime
import logging
import os
import uuid
from dataclasses import dataclass

from api.database.exclusive import one_process_at_a_time
from api.settings import Settings
from domain.clock import utc_now
from domain.feedback.emails import deliver_queued
from domain.feedback.sweeps import open_due_surveys, queue_reminders
from domain.meetings.sweeps import mark_missed
from domain.outbox.service import purge as purge_outbox
from domain.relationships.inactivity import sweep_inactive
from domain.relationships.requests import expire_requests
from integrations.email.smtp import SmtpSender

log = logging.getLogger("mentorgraph.sweeper")
# This process's name on the outbox leases it takes.
_WORKER = f"sweeper-{os.getpid()}-{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True)
class SweepReport:
    expired_requests: int
    inactivity_notices: int
    auto_concluded: int
    missed_meetings: int
    surveys_opened: int = 0
    survey_reminders: int = 0
    emails_sent: int = 0
    outbox_purged: int = 0
    # Another process held the sweep lock: this round did nothing.
    skipped: bool = False

    @classmethod
    def skipped_round(cls) -> SweepReport:
        return cls(0, 0, 0, 0, skipped=True)

    def summary(self) -> str:
        if self.skipped:
            return "another process is sweeping; this round skipped"
        return (
            f"{self.expired_requests} mentor requests expired, {self.inactivity_notices} inactivity notices, "
            f"{self.auto_concluded} relationships auto-concluded, {self.missed_meetings} meetings missed, "
            f"{self.surveys_opened} surveys opened, {self.survey_reminders} survey reminders, "
            f"{self.emails_sent} emails sent, {self.outbox_purged} delivered outbox messages purged"
        )


async def send_emails(settings: Settings, now: datetime.datetime) -> int:
    """Delivers queued email when an SMTP host is configured; otherwise it waits in the queue."""
    if not settings.smtp_host:
        return 0
    sender = SmtpSender(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender=settings.smtp_from,
        timeout=settings.smtp_timeout_seconds,
    )
    domain = settings.smtp_from.rpartition("@")[2] or "mentorgraph"
    return await deliver_queued(sender, now, domain=domain, worker=_WORKER, policy=settings.retry_policy)


SWEEP_LOCK = "mentorgraph-sweeps"


async def run_sweeps(settings: Settings, *, now: datetime.datetime | None = None) -> SweepReport:
    async with one_process_at_a_time(SWEEP_LOCK) as ours:
        if not ours:
            return SweepReport.skipped_round()
        return await _sweep(settings, now or utc_now())


async def _sweep(settings: Settings, now: datetime.datetime) -> SweepReport:
    timing = settings.relationship_timing
    expired = await expire_requests(now)
    inactivity = await sweep_inactive(now, inactive_after=timing.inactive_after, notice=timing.inactivity_notice)
    missed = await mark_missed(now, grace=settings.booking_rules.missed_grace)
    # After the relationship sweeps, so a relationship concluded just now gets its closing survey.
    opened = await open_due_surveys(now)
    reminders = await queue_reminders(now)
    sent = await send_emails(settings, now)
    retention = settings.outbox_retention_days
    purged = await purge_outbox(processed_before=now - datetime.timedelta(days=retention)) if retention else 0
    return SweepReport(
        expired, len(inactivity.noticed), len(inactivity.concluded), missed, opened, reminders, sent, purged
    )


async def sweep_forever(settings: Settings) -> None:
    """Sweeps now and then every interval until cancelled; a failed round is logged and the next one tried."""
    from api.metrics import count_sweep

    while True:
        try:
            report = await run_sweeps(settings)
            log.info("sweep: %s", report.summary())
            count_sweep("skipped" if report.skipped else "done")
        except Exception:
            log.exception("sweep failed; trying again in %s s", settings.sweep_interval_seconds)
            count_sweep("failed")
        await asyncio.sleep(settings.sweep_interval_seconds)
