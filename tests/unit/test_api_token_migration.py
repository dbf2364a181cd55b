"""Schema 0003 (API tokens) on a database made by the previous version."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command

from app.store import migrate


def _tables(path: Path | str) -> set[str]:
    with sqlite3.connect(path) as raw:
        return {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _at_0002_with_a_tag(tmp_path: Path) -> tuple[str, Path]:
    path = tmp_path / "older.sqlite3"
    url = f"sqlite:///{path}"
    command.upgrade(migrate.alembic_config(url), "0002")
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('KEEP', 'Accepted', '')")
    return url, path


def test_a_database_of_the_previous_version_gains_the_token_table_after_a_backup(
    tmp_path: Path,
) -> None:
    url, path = _at_0002_with_a_tag(tmp_path)
    backup = migrate.upgrade(url)
    assert migrate.current_revision(url) == migrate.HEAD_REVISION
    assert backup is not None
    assert "api_tokens" not in _tables(backup), "the backup is the database as it was"
    assert "api_tokens" in _tables(path)
    with sqlite3.connect(path) as raw:
        assert raw.execute("SELECT id_tag FROM id_tags").fetchall() == [("KEEP",)]
        assert raw.execute("SELECT count(*) FROM api_tokens").fetchone() == (0,)


def test_the_schema_refuses_two_tokens_of_one_name(tmp_path: Path) -> None:
    url, path = _at_0002_with_a_tag(tmp_path)
    migrate.upgrade(url, backup=False)
    insert = (
        "INSERT INTO api_tokens (id, name, scope, secret_hash, created_at) "
        "VALUES (?, 'ci', 'read', 'h', '2026-11-25 08:00:00')"
    )
    with sqlite3.connect(path) as raw:
        raw.execute(insert, ("0a1b2c3d",))
        with pytest.raises(sqlite3.IntegrityError, match=r"api_tokens\.name"):
            raw.execute(insert, ("0a1b2c3e",))


def test_downgrading_drops_only_the_token_table(tmp_path: Path) -> None:
    url, path = _at_0002_with_a_tag(tmp_path)
    migrate.upgrade(url, backup=False)
    command.downgrade(migrate.alembic_config(url), "0002")
    assert migrate.current_revision(url) == "0002"
    assert "api_tokens" not in _tables(path)
    assert {"id_tags", "sites", "alarm_acknowledgements"} <= _tables(path)
    migrate.upgrade(url, backup=False)
    assert "api_tokens" in _tables(path)
