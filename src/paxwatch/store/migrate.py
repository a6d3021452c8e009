"""Run the Alembic migrations programmatically (``paxwatch db upgrade``)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from paxwatch.store.engine import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(store: Store, revision: str = "head") -> str | None:
    """Bring the database to ``revision`` (the latest by default); return the new revision."""
    config = alembic_config()
    with store.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return current_revision(store)


def current_revision(store: Store) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with store.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest migration of the code (what ``upgrade`` brings a database to)."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no Alembic migration found in the package")
    return head
