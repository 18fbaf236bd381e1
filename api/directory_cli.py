"""`mentorgraph sync-directory`: people, reporting lines, time zones and leavers from Entra ID or Workspace.

Run once (from cron or a systemd timer), or with `--every SECONDS` as a long-running job. Each run takes the
same kind of PostgreSQL advisory lock as the sweeps (api/database/exclusive.py): with two schedulers, the
one that finds the lock taken skips its round. Progress goes to stderr; the summary and the per-record report
(the CSV import's, one line per problem) to stdout; the exit status is 1 when any record was rejected.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from pathlib import Path

from api.command_errors import CommandFailed
from api.settings import Settings

MAPPING_VARIABLE = "MENTORGRAPH_DIRECTORY_MAPPING"
LOCK = "mentorgraph-directory-sync"
log = logging.getLogger("mentorgraph.directory")


def _mapping(path: str | None):
    from domain.errors import ValidationFailed
    from domain.people.directory_mapping import DirectoryMapping, read_mapping

    if not path:
        return DirectoryMapping()
    try:
        return read_mapping(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise CommandFailed(f"--mapping: cannot read {path}: {error.strerror or error}") from None
    except ValidationFailed as error:
        raise CommandFailed(f"--mapping {path}: {error.field}: {error.message}") from None


async def _connection(provider: str, connection_id: int | None):
    from domain.calendar.models import CalendarConnection, ConnectionKind, ConnectionStatus, Provider

    connections = await CalendarConnection.filter(
        kind=ConnectionKind.COMPANY, provider=Provider(provider.upper()), status=ConnectionStatus.ACTIVE
    ).order_by("id")
    if connection_id is not None:
        connections = [c for c in connections if c.id == connection_id]
    if not connections:
        command = "connect-microsoft-tenant" if provider == "microsoft" else "connect-google-workspace"
        which = f" with id {connection_id}" if connection_id is not None else ""
        raise CommandFailed(f"no active {provider} company connection{which}: run `mentorgraph {command}` first")
    if len(connections) > 1:
        ids = ", ".join(f"{c.id} ({', '.join(c.domains)})" for c in connections)
        raise CommandFailed(f"several {provider} company connections: choose one with --connection ({ids})")
    return connections[0]


class _Progress:
    """One stderr line per stage, rewritten in place as the count grows."""

    def __init__(self) -> None:
        self.stage = ""
        self.open = False

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage and self.open:
            print(file=sys.stderr)
        self.stage = stage
        counted = f"{done:,} of {total:,}" if total else f"{done:,}"
        self.open = not (total is not None and done == total)
        print(f"\r  {stage}: {counted}", end="" if self.open else "\n", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.open:
            print(file=sys.stderr, flush=True)
            self.open = False


def _print(report) -> None:
    print(report.summary())
    for error in report.errors:
        print(f"  record {error.row} ({error.email or '?'}): {error.field}: {error.message}")


async def sync_once(settings: Settings, args: argparse.Namespace, mapping, *, quiet: bool = False):
    """One run under the lock; None when another process holds it."""
    from api.database.exclusive import one_process_at_a_time
    from domain.clock import utc_now
    from integrations.directory.retry import DirectoryUnavailable
    from integrations.directory.sources import DirectoryOptions, sync_connection

    connection = await _connection(args.provider, args.connection)
    options = DirectoryOptions(
        google_admin_email=args.admin_email or "",
        google_directory_url=args.directory_url or DirectoryOptions.google_directory_url,
        google_calendar_time_zones=args.time_zones,
    )
    progress = _Progress()
    async with one_process_at_a_time(f"{LOCK}-{connection.id}") as ours:
        if not ours:
            return None
        try:
            return await sync_connection(
                connection,
                settings.calendar_sync,
                options,
                mapping=mapping,
                now=utc_now(),
                dry_run=args.dry_run,
                on_progress=(lambda *_: None) if quiet else progress,
            )
        except (DirectoryUnavailable, ValueError) as error:
            raise CommandFailed(f"directory sync failed, nothing written: {error}") from None
        finally:
            progress.close()


def cmd_sync_directory(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli import _require_migrated
    from api.database.connection import close_database, open_database

    mapping = _mapping(args.mapping)
    _require_migrated(settings)

    async def once() -> int:
        report = await sync_once(settings, args, mapping)
        if report is None:
            print("another process is syncing this directory; this run skipped")
            return 0
        _print(report)
        return 1 if report.errors else 0

    async def forever() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        while not stop.is_set():
            try:
                report = await sync_once(settings, args, mapping, quiet=True)
                log.info("directory sync: %s", "skipped (another process)" if report is None else report.summary())
            except CommandFailed as error:
                log.error("directory sync: %s; trying again in %s s", error, args.every)
            except Exception:
                log.exception("directory sync failed; trying again in %s s", args.every)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=args.every)
        return 0

    async def run() -> int:
        await open_database(settings.database_url, statement_timeout_ms=settings.db_statement_timeout_ms)
        try:
            return await (forever() if args.every else once())
        finally:
            await close_database()

    if args.every:
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
        print(f"directory sync ({args.provider}) every {args.every} s", flush=True)
    return asyncio.run(run())


def add_directory_commands(sub: argparse._SubParsersAction) -> None:
    from api.cli import _whole_number_in

    sync = sub.add_parser(
        "sync-directory", help="sync people, managers, time zones and leavers from Entra ID or Google Workspace"
    )
    sync.add_argument("--provider", choices=["microsoft", "google"], required=True)
    sync.add_argument("--dry-run", action="store_true", help="report what a run would change; write nothing")
    sync.add_argument("--connection", type=int, help="the company connection's id, when there are several")
    sync.add_argument(
        "--mapping",
        default=os.environ.get(MAPPING_VARIABLE),
        help=f"JSON file: which attribute gives the level, which values are departments (default ${MAPPING_VARIABLE})",
    )
    sync.add_argument("--admin-email", help="Google: the Workspace administrator the service account acts as")
    sync.add_argument("--directory-url", help="Google: Admin SDK base URL (default https://admin.googleapis.com/)")
    sync.add_argument(
        "--time-zones",
        choices=["new", "all", "off"],
        default="new",
        help="Google: read Calendar time zones of new accounts (default), of everyone, or not at all",
    )
    sync.add_argument(
        "--every", type=_whole_number_in(60, 7 * 24 * 3600), help="keep running: sync every this many seconds"
    )
    sync.set_defaults(run=cmd_sync_directory)
