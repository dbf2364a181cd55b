"""An installed ChargeDesk meets a database written by another version.

Installing a newer version over an older one keeps the user's database; the
first start (control room, `serve`, or `chargedesk db upgrade`) migrates it
after a backup copy. Going back to an older version must not touch a database
the newer one wrote: it refuses with a message that says what to do.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from app.bootstrap import Engine
from app.cli.main import main
from app.config import Settings
from app.store import migrate

FUTURE = "9999_from_a_newer_chargedesk"


def _revision(path: Path) -> str:
    with sqlite3.connect(path) as raw:
        row = raw.execute("SELECT version_num FROM alembic_version").fetchone()
    return str(row[0])


def _tags(path: Path) -> list[str]:
    with sqlite3.connect(path) as raw:
        return [r[0] for r in raw.execute("SELECT id_tag FROM id_tags ORDER BY id_tag")]


def _previous_release(url: str) -> str:
    """The revision before head: the schema the previous version left behind."""
    script = ScriptDirectory.from_config(migrate.alembic_config(url))
    head = script.get_revision(migrate.head_revision())
    assert head is not None
    previous = head.down_revision
    assert isinstance(previous, str), "the migrations are one straight line"
    return previous


def _older_database(db_url: str) -> tuple[Path, str]:
    path = Path(db_url.removeprefix("sqlite:///"))
    previous = _previous_release(db_url)
    command.upgrade(migrate.alembic_config(db_url), previous)
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('KEEP', 'Accepted', '')")
    return path, previous


def _backups(path: Path) -> list[Path]:
    return sorted(path.parent.glob(f"{path.stem}.backup-*{path.suffix}"))


async def test_the_first_start_after_an_upgrade_migrates_after_a_backup(
    settings: Settings, db_url: str
) -> None:
    path, previous = _older_database(db_url)

    async with Engine(settings) as engine:
        assert engine.backup_path is not None

    backup = Path(engine.backup_path)
    assert backup.parent == path.parent, "the backup sits beside the database"
    assert _backups(path) == [backup]
    assert _revision(backup) == previous, "the backup is the database as the old version left it"
    assert _tags(backup) == ["KEEP"]
    assert _revision(path) == migrate.HEAD_REVISION
    assert _tags(path) == ["KEEP"]


async def test_a_second_start_makes_no_further_backup(settings: Settings, db_url: str) -> None:
    path, _ = _older_database(db_url)
    async with Engine(settings):
        pass
    async with Engine(settings) as again:
        assert again.backup_path is None
    assert len(_backups(path)) == 1


def test_db_upgrade_names_the_backup_it_made(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, previous = _older_database(db_url)

    assert main(["db", "upgrade", "--db", db_url]) == 0

    out = capsys.readouterr().out
    (backup,) = _backups(path)
    assert f"Schema at {migrate.HEAD_REVISION}" in out
    assert str(backup) in out
    assert _revision(backup) == previous
    assert main(["db", "current", "--db", db_url]) == 0
    assert capsys.readouterr().out.strip() == migrate.HEAD_REVISION


def _newer_database(db_url: str) -> Path:
    path = Path(db_url.removeprefix("sqlite:///"))
    migrate.upgrade(db_url, backup=False)
    with sqlite3.connect(path) as raw:
        raw.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('KEEP', 'Accepted', '')")
        raw.execute("UPDATE alembic_version SET version_num = ?", (FUTURE,))
    return path


def test_an_older_version_refuses_a_newer_database_and_says_what_to_do(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _newer_database(db_url)
    before = path.read_bytes()

    assert main(["db", "upgrade", "--db", db_url]) == 3

    err = capsys.readouterr().err
    assert err.startswith("chargedesk: ")
    assert FUTURE in err
    assert "newer version" in err
    assert "Install that version or restore a backup" in err
    assert path.read_bytes() == before, "the newer database is left exactly as it was"
    assert _backups(path) == []


def test_listing_commands_refuse_a_newer_database_too(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _newer_database(db_url)

    assert main(["stations", "list", "--db", db_url]) == 3

    assert "newer version" in capsys.readouterr().err
    assert _revision(path) == FUTURE
    assert _tags(path) == ["KEEP"]


async def test_the_engine_does_not_start_on_a_newer_database(
    settings: Settings, db_url: str
) -> None:
    path = _newer_database(db_url)

    with pytest.raises(migrate.DatabaseTooNew, match="newer version"):
        async with Engine(settings):
            pass

    assert _revision(path) == FUTURE
    assert _tags(path) == ["KEEP"]
    assert _backups(path) == []
