"""Schema upgrades: Alembic from the first table, with a backup before any upgrade."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from alembic import command, util
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer ChargeDesk than this one."""


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(url: str) -> str | None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def backup_sqlite(path: Path) -> Path:
    """Online copy with SQLite's backup API (consistent even while in use)."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    source = sqlite3.connect(path)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def _known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except util.CommandError:
        return False


def upgrade(url: str, *, backup: bool = True) -> str | None:
    """Bring the schema to head; return the path of the backup made, if any."""
    head = head_revision()
    current = current_revision(url)
    if current == head:
        return None
    script = ScriptDirectory.from_config(alembic_config(url))
    if current is not None and not _known(script, current):
        raise DatabaseTooNew(
            f"the database is at schema {current}, which this version of ChargeDesk does "
            "not know; it was written by a newer version. Install that version or restore "
            "a backup."
        )
    made = None
    parsed = make_url(url)
    if backup and current is not None and parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if path.is_file():
            made = str(backup_sqlite(path))
            log.info("backed up the database to %s before upgrading", made)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    log.info("database schema upgraded from %s to %s", current or "empty", head)
    return made
