"""The database: connecting Tortoise, deriving Alembic's metadata, running migrations."""
