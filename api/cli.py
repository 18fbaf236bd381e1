"""The `mentorgraph` command: serve, migrate, seed-demo, token, export-schema, import-people, sweep, and the
calendar commands of api/calendar_cli.py."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path

from api.calendar_cli import add_calendar_commands
from api.command_errors import CommandFailed
from api.settings import Mode, Settings, SettingsError, load_settings
from domain.access import Role

PROGRESS_FROM_ROWS = 2_000
# An idle kept-alive connection is closed after this long (uvicorn's default, stated so the README can say it).
KEEP_ALIVE_SECONDS = 5
SCHEMA_FILE = Path(__file__).resolve().parents[1] / "schema.graphql"


def _with_database(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    from api.database.connection import close_database, open_database

    async def run() -> int:
        await open_database(settings.database_url, statement_timeout_ms=settings.db_statement_timeout_ms)
        try:
            return await work()
        finally:
            await close_database()

    return asyncio.run(run())


def _require_migrated(settings: Settings, *, unreachable_ok: bool = False) -> None:
    """Stops a command the database is not migrated for; `serve` may start before the database answers."""
    from sqlalchemy.exc import DBAPIError

    from api.database.migrations import pending_migrations

    try:
        missing = pending_migrations(settings.database_url)
    except DBAPIError as error:
        reason = str(error.orig or error).strip().splitlines()[0]
        if not unreachable_ok:
            raise CommandFailed(_unreachable(settings, error)) from None
        print(
            f"mentorgraph: the database does not answer yet ({reason}); /readyz says 503 until it does", file=sys.stderr
        )
        return
    if missing:
        raise CommandFailed(
            f"the database lacks migrations {', '.join(missing)}: run `mentorgraph migrate` first "
            f"({settings.database_url})"
        )


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from api.serving import serving_app
    from api.slow_clients import HeaderDeadlineProtocol

    _require_migrated(settings, unreachable_ok=True)
    host = args.host or settings.host
    port = settings.port if args.port is None else args.port
    workers = args.workers or 1
    if workers > 1 and settings.engine == "sqlite":
        raise CommandFailed(
            "--workers needs PostgreSQL: an SQLite file takes one writer at a time, so more processes would only "
            "queue for its lock; serve SQLite with one worker"
        )
    _require_free_port(host, port)
    options = {
        "host": host,
        "port": port,
        "log_level": settings.log_level.lower(),
        "log_config": _uvicorn_log_config(settings.log_format),
        # In JSON the request line (api/request_log.py) says all that uvicorn's access line does, and more.
        "access_log": settings.log_format != "json",
        "http": HeaderDeadlineProtocol,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
    }
    if workers > 1:
        if settings.metrics:
            _share_metrics_between_workers()
        # Each worker process builds its own app from the same environment (api/serving.py).
        uvicorn.run("api.serving:worker_app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(serving_app(settings), **options)
    return 0


def _share_metrics_between_workers() -> None:
    """prometheus-client's multiprocess mode: each worker writes its samples to files in one fresh directory."""
    import os
    import tempfile

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="mentorgraph-metrics-")


def _require_free_port(host: str, port: int) -> None:
    """Refuses a port another process holds before the server starts, so the refusal is one line, not a log."""
    import socket

    try:
        socket.create_server((host, port)).close()
    except OSError as error:
        raise CommandFailed(
            f"cannot listen on {host}:{port}: {error.strerror or error}; stop what runs there or choose another "
            "port with --port or MENTORGRAPH_PORT"
        ) from None


def _uvicorn_log_config(log_format: str = "text") -> dict:
    """Uvicorn's own logging, with the request id in each access line (it is logged while the request runs);
    in JSON, every uvicorn line is a JSON object too."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    if log_format == "json":
        for formatter in ("default", "access"):
            config["formatters"][formatter] = {"()": "api.request_log.JsonLogFormatter"}
        return config
    access = config["formatters"]["access"]
    access["fmt"] = access["fmt"].replace("%(levelprefix)s ", "%(levelprefix)s [request %(request_id)s] ", 1)
    return config


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError

    from api.database import migrations

    try:
        migrations.upgrade(settings.database_url, args.revision)
        reached = migrations.current_revision(settings.database_url)
    except DBAPIError as error:
        raise CommandFailed(_unreachable(settings, error)) from None
    print(f"database at revision {reached or 'base'} ({args.revision}): {settings.database_url}")
    return 0


def _unreachable(settings: Settings, error: Exception) -> str:
    reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
    return f"cannot reach the database at {settings.database_url}: {reason}; check MENTORGRAPH_DATABASE_URL"


def cmd_seed_demo(settings: Settings, args: argparse.Namespace) -> int:
    from api.auth import issue_development_token
    from api.demo import DEMO_COORDINATOR, DEMO_MENTEE, seed_demo

    _require_migrated(settings)

    async def work() -> int:
        summary = await seed_demo()
        print(summary)
        return 0

    code = _with_database(settings, work)
    if code == 0 and settings.mode is Mode.DEVELOPMENT:
        for label, email, role in (
            ("coordinator", DEMO_COORDINATOR, Role.COORDINATOR),
            ("mentee", DEMO_MENTEE, Role.PARTICIPANT),
        ):
            token = issue_development_token(settings, email=email, role=role)
            print(f'\nDemo {label} ({email}) — paste into GraphiQL\'s headers:\n{{"Authorization": "Bearer {token}"}}')
    return code


def cmd_token(settings: Settings, args: argparse.Namespace) -> int:
    from api.auth import issue_development_token

    if settings.mode is Mode.PRODUCTION:
        raise CommandFailed("development tokens are refused in production mode; use the identity provider's tokens")
    from domain.errors import ValidationFailed

    try:
        token = issue_development_token(settings, email=args.email, role=Role(args.role), ttl_minutes=args.ttl)
    except ValidationFailed as error:
        raise CommandFailed(f"--email: {error.message}") from None
    print(token)
    return 0


def cmd_export_schema(settings: Settings, args: argparse.Namespace) -> int:
    from strawberry.printer import print_schema

    from api.app import create_app

    sdl = print_schema(create_app(settings, manage_database=False).state.schema) + "\n"
    target = Path(args.output) if args.output else SCHEMA_FILE
    if args.check:
        current = target.read_text() if target.exists() else ""
        if current != sdl:
            print(f"{target} is stale: run `mentorgraph export-schema` and commit it.", file=sys.stderr)
            return 1
        print(f"{target} is up to date.")
        return 0
    target.write_text(sdl)
    print(f"wrote {target}")
    return 0


def cmd_sweep(settings: Settings, args: argparse.Namespace) -> int:
    from api.sweeper import run_sweeps

    _require_migrated(settings)

    async def work() -> int:
        print((await run_sweeps(settings)).summary())
        return 0

    return _with_database(settings, work)


def cmd_import_people(settings: Settings, args: argparse.Namespace) -> int:
    from domain.people.importer import import_people_csv

    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise CommandFailed(f"cannot read {args.file}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CommandFailed(f"{args.file} is not UTF-8 text; export it as 'CSV UTF-8' and import that") from None
    _require_migrated(settings)

    async def work() -> int:
        report = await import_people_csv(text, dry_run=args.dry_run, on_progress=_running_count)
        print(report.summary())
        for error in report.errors:
            print(f"  row {error.row} ({error.email or '?'}): {error.field}: {error.message}")
        return 1 if report.errors else 0

    return _with_database(settings, work)


def _whole_number_in(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from `low` to `high`, refused with one line otherwise."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} is not from {low} to {high}")
        return value

    return parse


def _running_count(done: int, total: int) -> None:
    """A count on stderr for files large enough to take a while; the summary and per-row report follow on stdout."""
    if total >= PROGRESS_FROM_ROWS:
        print(
            f"\r  {done:,} of {total:,} people written", end="\n" if done == total else "", file=sys.stderr, flush=True
        )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentorgraph", description="Mentorgraph's service and admin commands.")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="serve GraphQL (and GraphiQL) over HTTP")
    serve.add_argument("--host")
    serve.add_argument("--port", type=_whole_number_in(1, 65_535))
    serve.add_argument(
        "--workers", type=_whole_number_in(1, 64), help="server processes on one port (PostgreSQL only; default 1)"
    )
    serve.set_defaults(run=cmd_serve)

    migrate = sub.add_parser("migrate", help="apply database migrations (alembic upgrade)")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(run=cmd_migrate)

    sub.add_parser("seed-demo", help="load the demo organisation (idempotent)").set_defaults(run=cmd_seed_demo)

    token = sub.add_parser("token", help="print a development bearer token")
    token.add_argument("--email", required=True)
    token.add_argument("--role", choices=[r.value for r in Role], default=Role.PARTICIPANT.value)
    token.add_argument("--ttl", type=_whole_number_in(1, 366 * 24 * 60), help="minutes until it expires")
    token.set_defaults(run=cmd_token)

    export = sub.add_parser("export-schema", help="write the GraphQL SDL to schema.graphql")
    export.add_argument("--output")
    export.add_argument("--check", action="store_true", help="fail if the file differs from the code")
    export.set_defaults(run=cmd_export_schema)

    people = sub.add_parser("import-people", help="upsert people from an HRIS CSV export")
    people.add_argument("file")
    people.add_argument("--dry-run", action="store_true", help="check and count as an import would; write nothing")
    people.set_defaults(run=cmd_import_people)

    sweep = sub.add_parser("sweep", help="expire requests, conclude quiet relationships, mark missed meetings")
    sweep.set_defaults(run=cmd_sweep)

    add_calendar_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"mentorgraph: configuration error: {error}", file=sys.stderr)
        return 2
    try:
        return args.run(settings, args)
    except CommandFailed as error:
        print(f"mentorgraph: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
