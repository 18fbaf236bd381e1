"""The directory of a company connection: the same Entra app or Workspace service account as its calendars."""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field

import httpx

from domain.calendar.models import CalendarConnection, ConnectionKind, Provider
from domain.people.directory import DirectoryReport, sync_directory
from domain.people.directory_mapping import DirectoryMapping
from domain.people.directory_records import DirectorySource, Progress, no_progress
from integrations.calendar.config import SyncConfig
from integrations.directory.retry import RetryRule


@dataclass(frozen=True)
class DirectoryOptions:
    # Workspace: the administrator the service account acts as (domain-wide delegation).
    google_admin_email: str = ""
    google_directory_url: str = "https://admin.googleapis.com/"
    # Workspace: whose time zone to read from their Calendar settings: "new", "all" or "off".
    google_calendar_time_zones: str = "new"
    concurrency: int = 8
    retry: RetryRule = field(default_factory=RetryRule)
    # How a throttled read waits (tests record the waits Retry-After asked for).
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep


@contextlib.asynccontextmanager
async def directory_source(
    connection: CalendarConnection, settings: SyncConfig, options: DirectoryOptions
) -> AsyncIterator[DirectorySource]:
    if connection.kind is not ConnectionKind.COMPANY:
        raise ValueError("a directory is read through a company connection")
    config = connection.config
    if connection.provider is Provider.GOOGLE:
        from integrations.google.directory import TimeZones, WorkspaceDirectory

        yield WorkspaceDirectory(
            config,
            admin_email=config.get("directory_admin_email") or options.google_admin_email,
            directory_url=config.get("directory_url") or options.google_directory_url,
            calendar_url=config.get("api_url", settings.google_calendar_url),
            time_zones=TimeZones(options.google_calendar_time_zones),
            timeout=settings.provider_timeout_seconds,
            concurrency=options.concurrency,
            retry=options.retry,
            sleep=options.sleep,
        )
        return
    from integrations.microsoft.auth import AppTokens
    from integrations.microsoft.directory import GraphDirectory

    ca_file = config.get("ca_file", settings.provider_ca_file)
    tokens = AppTokens(
        config,
        default_authority=settings.microsoft_authority_url,
        ca_file=ca_file,
        timeout=settings.provider_timeout_seconds,
    )
    async with httpx.AsyncClient(
        verify=ssl.create_default_context(cafile=ca_file) if ca_file else True,
        trust_env=False,
        timeout=settings.provider_timeout_seconds,
        limits=httpx.Limits(max_connections=options.concurrency * 2),
    ) as client:
        yield GraphDirectory(
            tokens,
            client=client,
            graph_url=config.get("graph_url", settings.microsoft_graph_url),
            concurrency=options.concurrency,
            retry=options.retry,
            sleep=options.sleep,
        )


async def sync_connection(
    connection: CalendarConnection,
    settings: SyncConfig,
    options: DirectoryOptions,
    *,
    mapping: DirectoryMapping,
    now: datetime.datetime,
    dry_run: bool = False,
    on_progress: Progress = no_progress,
) -> DirectoryReport:
    """One directory run for a company connection: read its directory, apply it."""
    async with directory_source(connection, settings, options) as source:
        return await sync_directory(
            source, connection_id=connection.id, mapping=mapping, now=now, dry_run=dry_run, on_progress=on_progress
        )
