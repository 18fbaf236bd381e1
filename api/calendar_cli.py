"""Calendar commands of `mentorgraph`: company connections, secret keys, and the outbox worker."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from api.command_errors import CommandFailed
from api.settings import Settings


def _secret_reference(args: argparse.Namespace, name: str) -> dict:
    """Where a secret is read from at use time: an environment variable or a file, never the database."""
    env, file = getattr(args, f"{name}_env"), getattr(args, f"{name}_file")
    if bool(env) == bool(file):
        raise CommandFailed(f"give exactly one of --{name.replace('_', '-')}-env and --{name.replace('_', '-')}-file")
    if env and env not in os.environ:
        raise CommandFailed(f"--{name.replace('_', '-')}-env: {env} is not set in this environment")
    if file and not Path(file).is_file():
        raise CommandFailed(f"--{name.replace('_', '-')}-file: {file} is not a readable file")
    return {f"{name}_env": env} if env else {f"{name}_file": str(Path(file).resolve())}


def _connect(settings: Settings, provider: str, domains: list[str], config: dict) -> int:
    from api.cli import _require_migrated, _with_database
    from domain.calendar.connections import connect_company
    from domain.calendar.models import Provider
    from domain.clock import utc_now
    from domain.errors import ValidationFailed

    _require_migrated(settings)

    async def work() -> int:
        try:
            connection = await connect_company(
                provider=Provider(provider), domains=domains, config=config, now=utc_now()
            )
        except ValidationFailed as error:
            raise CommandFailed(f"--domain: {error.message}") from None
        print(f"connection {connection.id}: {provider} for {', '.join(connection.domains)}")
        return 0

    return _with_database(settings, work)


def cmd_connect_google(settings: Settings, args: argparse.Namespace) -> int:
    config = _secret_reference(args, "service_account")
    if args.api_url:
        config["api_url"] = args.api_url
    return _connect(settings, "GOOGLE", args.domain, config)


def cmd_connect_microsoft(settings: Settings, args: argparse.Namespace) -> int:
    config = {"tenant_id": args.tenant_id, "client_id": args.client_id, **_secret_reference(args, "client_secret")}
    for name in ("authority_url", "graph_url", "ca_file"):
        if getattr(args, name):
            config[name] = getattr(args, name)
    return _connect(settings, "MICROSOFT", args.domain, config)


def cmd_new_secret_key(settings: Settings, args: argparse.Namespace) -> int:
    from domain.calendar.secrets import new_key

    print(new_key())
    return 0


def cmd_rotate_secret_key(settings: Settings, args: argparse.Namespace) -> int:
    from api.cli import _require_migrated, _with_database
    from domain.calendar.connections import rotate_tokens
    from domain.meetings.feed import rotate_feed_keys

    _require_migrated(settings)
    cipher = settings.token_cipher()

    async def work() -> int:
        print(f"{await rotate_tokens(cipher)} refresh tokens re-encrypted under the first key")
        print(f"{await rotate_feed_keys(cipher)} calendar feed tokens re-encrypted under the first key")
        return 0

    return _with_database(settings, work)


def cmd_worker(settings: Settings, args: argparse.Namespace) -> int:
    import asyncio
    import logging
    import signal

    from api.cli import _require_migrated
    from api.database.connection import close_database, open_database
    from integrations.calendar.inbound_worker import InboundWorker
    from integrations.calendar.worker import CalendarWorker

    _require_migrated(settings)
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")

    async def run() -> int:
        await open_database(settings.database_url)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        worker = CalendarWorker(settings.calendar_sync, name=args.name)
        inbound = InboundWorker(settings.calendar_sync)
        print(f"calendar worker {worker.name} draining the outbox", flush=True)
        try:
            await asyncio.gather(worker.run_forever(stop), inbound.run_forever(stop))
        finally:
            await close_database()
        return 0

    return asyncio.run(run())


def add_calendar_commands(sub: argparse._SubParsersAction) -> None:
    worker = sub.add_parser(
        "worker",
        help="send meeting changes to Google and Outlook calendars (the outbox) and take back theirs (inbound)",
    )
    worker.add_argument("--name", help="this worker's name in leases (default host:pid:random)")
    worker.set_defaults(run=cmd_worker)

    google = sub.add_parser(
        "connect-google-workspace", help="sync meetings of these domains through a Workspace service account"
    )
    google.add_argument("--domain", action="append", required=True, help="an email domain it covers (repeatable)")
    google.add_argument("--service-account-env", help="environment variable holding the key JSON")
    google.add_argument("--service-account-file", help="path of the key JSON file")
    google.add_argument("--api-url", help="Calendar API base URL (default Google's)")
    google.set_defaults(run=cmd_connect_google)

    microsoft = sub.add_parser(
        "connect-microsoft-tenant", help="sync meetings of these domains through an Entra app registration"
    )
    microsoft.add_argument("--domain", action="append", required=True, help="an email domain it covers (repeatable)")
    microsoft.add_argument("--tenant-id", required=True)
    microsoft.add_argument("--client-id", required=True)
    microsoft.add_argument("--client-secret-env", help="environment variable holding the client secret")
    microsoft.add_argument("--client-secret-file", help="path of a file holding the client secret")
    microsoft.add_argument("--authority-url", help="default https://login.microsoftonline.com")
    microsoft.add_argument("--graph-url", help="default https://graph.microsoft.com/v1.0")
    microsoft.add_argument("--ca-file", help="CA bundle for a TLS-inspecting proxy")
    microsoft.set_defaults(run=cmd_connect_microsoft)

    sub.add_parser("new-secret-key", help="print a new MENTORGRAPH_SECRET_KEY value").set_defaults(
        run=cmd_new_secret_key
    )
    sub.add_parser(
        "rotate-secret-key", help="re-encrypt stored refresh tokens under the first MENTORGRAPH_SECRET_KEY key"
    ).set_defaults(run=cmd_rotate_secret_key)
