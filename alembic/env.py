"""Alembic environment: the target metadata comes from the Tortoise models."""

from __future__ import annotations

from sqlalchemy import create_engine, pool

from alembic import context
from api.database.metadata import build_metadata
from api.database.urls import ensure_sqlite_folder, sqlalchemy_url
from api.settings import get_settings

target_metadata = build_metadata()


def _database_url() -> str:
    # Tests and the CLI hand a URL over explicitly; otherwise the settings decide.
    url = context.config.attributes.get("database_url") or get_settings().database_url
    ensure_sqlite_folder(url)
    return sqlalchemy_url(url)


def _configure(**kwargs) -> None:
    context.configure(
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=True,  # SQLite can only alter tables by copying them
        **kwargs,
    )


def run_migrations_offline() -> None:
    _configure(url=_database_url(), literal_binds=True, dialect_opts={"paramstyle": "named"})
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = context.config.attributes.get("connection")
    if connectable is not None:
        _configure(connection=connectable)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_database_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
