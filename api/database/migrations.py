"""Running Alembic from code: the CLI's `migrate` and the tests' schema set-up use the same path."""

from __future__ import annotations

from pathlib import Path

from alembic.config import Config

from alembic import command

ROOT = Path(__file__).resolve().parents[2]


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "alembic"))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None before any migration); a SQLite file that is missing stays missing."""
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine, pool

    from api.database.urls import engine_of, sqlalchemy_url, sqlite_path

    if engine_of(database_url) == "sqlite" and not Path(sqlite_path(database_url)).exists():
        return None
    engine = create_engine(sqlalchemy_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def pending_migrations(database_url: str) -> list[str]:
    """Revisions the code has and the database lacks, oldest first; empty when it is at head (or ahead of it)."""
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError

    scripts = ScriptDirectory.from_config(alembic_config(database_url))
    current = current_revision(database_url)
    try:
        behind = list(scripts.iterate_revisions("heads", current or "base"))
    except RevisionError:
        return []  # a revision this code does not know: a newer release migrated the database
    return [script.revision for script in reversed(behind) if script.revision != current]
