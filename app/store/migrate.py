"""Schema upgrades: Alembic from the first table, with a backup before any upgrade."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration. Checked against Alembic by a test; lets a start-up on a
# current database skip importing Alembic at all (it costs more than half a second).
HEAD_REVISION = "0009"


class DatabaseTooNew(RuntimeError):
    """The database was written by a newer ChargeDesk than this one."""


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


def current_revision(url: str) -> str | None:
    """The schema revision stored in the database (plain SQL, no Alembic import)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("alembic_version"):
                return None
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).all()
            return str(rows[0][0]) if rows else None
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
    from alembic import util

    try:
        return script.get_revision(revision) is not None
    except util.CommandError:
        return False


def upgrade(url: str, *, backup: bool = True) -> str | None:
    """Bring the schema to head; return the path of the backup made, if any."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        # First run on a fresh machine: the user data directory does not exist yet.
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    current = current_revision(url)
    if current == HEAD_REVISION:
        return None
    from alembic import command
    from alembic.script import ScriptDirectory

    head = head_revision()
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
    if backup and current is not None and parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        if path.is_file():
            made = str(backup_sqlite(path))
            log.info("backed up the database to %s before upgrading", made)
    command.upgrade(alembic_config(url), "head")
    log.info("database schema upgraded from %s to %s", current or "empty", head)
    return made
