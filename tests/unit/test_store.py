"""The store: group commit, isolation of failing writes, migrations and backups."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Connection, text

from app.store import migrate
from app.store.database import Database


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


async def _open(url: str) -> Database:
    migrate.upgrade(url)
    db = Database(url)
    await db.start()
    return db


def _insert_tag(tag: str) -> Callable[[Connection], str]:
    def op(conn: Connection) -> str:
        conn.execute(
            text("INSERT INTO id_tags (id_tag, status, note) VALUES (:t, 'Accepted', '')"),
            {"t": tag},
        )
        return tag

    return op


async def test_concurrent_writes_share_commits_and_all_survive_a_reopen(tmp_path: Path) -> None:
    url = _url(tmp_path)
    db = await _open(url)
    results = await asyncio.gather(*(db.write(_insert_tag(f"T{i}")) for i in range(200)))
    assert results == [f"T{i}" for i in range(200)]
    assert db.operations_committed >= 200
    assert db.batches_committed < 200, "writes waiting together must share a commit"
    await db.close()
    with sqlite3.connect(tmp_path / "store.sqlite3") as raw:
        assert raw.execute("SELECT count(*) FROM id_tags").fetchone() == (200,)


async def test_a_failing_write_fails_alone(tmp_path: Path) -> None:
    db = await _open(_url(tmp_path))
    await db.write(_insert_tag("DUP"))
    good = db.write(_insert_tag("GOOD"))
    bad = db.write(_insert_tag("DUP"))
    outcomes = await asyncio.gather(good, bad, return_exceptions=True)
    assert outcomes[0] == "GOOD"
    assert isinstance(outcomes[1], Exception)

    def count(conn: Connection) -> int:
        return int(conn.execute(text("SELECT count(*) FROM id_tags")).scalar_one())

    assert await db.read(count) == 2
    await db.close()


async def test_close_commits_writes_nobody_waited_for(tmp_path: Path) -> None:
    db = await _open(_url(tmp_path))
    for i in range(10):
        db.write_nowait(_insert_tag(f"N{i}"))
    await db.close()
    with sqlite3.connect(tmp_path / "store.sqlite3") as raw:
        assert raw.execute("SELECT count(*) FROM id_tags").fetchone() == (10,)


async def test_sqlite_runs_with_wal_full_sync_and_foreign_keys(tmp_path: Path) -> None:
    db = await _open(_url(tmp_path))

    def pragmas(conn: Connection) -> tuple[str, int, int]:
        return (
            conn.exec_driver_sql("PRAGMA journal_mode").scalar_one(),
            conn.exec_driver_sql("PRAGMA synchronous").scalar_one(),
            conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one(),
        )

    assert await db.read(pragmas) == ("wal", 2, 1)
    await db.close()


def test_in_memory_sqlite_is_refused() -> None:
    with pytest.raises(ValueError, match="file-backed"):
        Database("sqlite://")


def test_upgrade_is_idempotent_and_backs_up_only_an_older_schema(tmp_path: Path) -> None:
    url = _url(tmp_path)
    assert migrate.upgrade(url) is None  # fresh: nothing to back up
    assert migrate.current_revision(url) == migrate.head_revision()
    assert migrate.upgrade(url) is None  # already current
    with sqlite3.connect(tmp_path / "store.sqlite3") as raw:
        raw.execute("UPDATE alembic_version SET version_num = 'base-older'")
    # An unknown revision is a newer database: refused, untouched.
    with pytest.raises(migrate.DatabaseTooNew, match="newer version"):
        migrate.upgrade(url)
    with sqlite3.connect(tmp_path / "store.sqlite3") as raw:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("base-older",)


def test_backup_copies_the_data(tmp_path: Path) -> None:
    url = _url(tmp_path)
    migrate.upgrade(url)
    with sqlite3.connect(tmp_path / "store.sqlite3") as raw:
        raw.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('KEEP', 'Accepted', '')")
    copy = migrate.backup_sqlite(tmp_path / "store.sqlite3")
    with sqlite3.connect(copy) as raw:
        assert raw.execute("SELECT id_tag FROM id_tags").fetchall() == [("KEEP",)]


def test_migrations_create_exactly_the_schema_the_code_uses(tmp_path: Path) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from app.store.schema import metadata

    url = _url(tmp_path)
    migrate.upgrade(url)
    engine = create_engine(url)
    with engine.connect() as conn:
        drift = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert drift == []


def test_the_head_constant_names_the_newest_migration() -> None:
    assert migrate.head_revision() == migrate.HEAD_REVISION


def test_first_run_creates_the_data_directory(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'not' / 'yet' / 'there.sqlite3'}"
    migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.HEAD_REVISION
