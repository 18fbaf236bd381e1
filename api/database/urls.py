"""One database URL, two dialects of spelling it: Tortoise's and SQLAlchemy's (for Alembic)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

SUPPORTED_SCHEMES = ("sqlite", "postgres", "postgresql")


class DatabaseUrlError(ValueError):
    pass


def engine_of(url: str) -> str:
    """'sqlite' or 'postgres', or DatabaseUrlError for anything else."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        return "sqlite"
    if scheme in ("postgres", "postgresql"):
        return "postgres"
    raise DatabaseUrlError(f"unsupported scheme {scheme!r}; use one of {', '.join(SUPPORTED_SCHEMES)}")


def sqlite_path(url: str) -> str:
    """The file path in `sqlite://var/db.sqlite3` (relative) or `sqlite:///abs/db.sqlite3` (absolute)."""
    return url[len("sqlite://") :]


def tortoise_url(url: str) -> str:
    if engine_of(url) == "postgres":
        return "postgres://" + url.split("://", 1)[1]
    return url


def sqlalchemy_url(url: str) -> str:
    if engine_of(url) == "postgres":
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    path = sqlite_path(url)
    if path == ":memory:":
        return "sqlite://"
    return "sqlite:///" + str(Path(path).resolve())


def ensure_sqlite_folder(url: str) -> None:
    if engine_of(url) == "sqlite" and sqlite_path(url) != ":memory:":
        Path(sqlite_path(url)).resolve().parent.mkdir(parents=True, exist_ok=True)
