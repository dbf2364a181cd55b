"""`chargedesk db backup|backups|check|restore`: what installers and support scripts run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.bootstrap import Engine
from app.config import Settings
from tests.integration.ocpp16_steps import add_tag
from tests.integration.test_cli import run_cli
from tests.integration.test_storage_failures import opened


def tags_in(path: Path) -> set[str]:
    with opened(path) as conn:
        return {str(r[0]) for r in conn.execute("SELECT id_tag FROM id_tags")}


def size_of(path: Path) -> int:
    return path.stat().st_size


def kept_copies(folder: Path) -> list[Path]:
    return list(folder.glob("*.before-restore-*"))


async def test_backup_while_running_then_restore_when_stopped(
    settings: Settings, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    async with Engine(settings) as engine:
        await add_tag(engine, "KEEP")
        code, out, _ = run_cli(capsys, "db", "backup", "--json", "--db", db_url)
        assert code == 0
        made = Path(json.loads(out)["path"])
        await add_tag(engine, "LATER")
        code, _, err = run_cli(capsys, "db", "restore", str(made), "--yes", "--db", db_url)
        assert code == 2
        assert "still using the database" in err

    code, out, _ = run_cli(capsys, "db", "backups", "--json", "--db", db_url)
    assert code == 0
    [listed] = json.loads(out)
    assert listed["path"] == str(made)
    assert listed["kind"] == "backup"
    assert listed["size"] == size_of(made)
    code, out, _ = run_cli(capsys, "db", "backups", "--db", db_url)
    assert out.splitlines()[0].split() == ["CREATED_AT", "SIZE", "KIND", "PATH"]
    assert f"Backup folder: {tmp_path / 'backups'} (every 24 h, newest 14 kept)" in out

    code, out, _ = run_cli(capsys, "db", "check", str(made), "--db", db_url)
    assert code == 0
    assert out.startswith("OK: ")

    code, out, _ = run_cli(capsys, "db", "restore", str(made), "--yes", "--db", db_url)
    assert code == 0, out
    assert "Restored from" in out
    assert "kept as" in out
    assert tags_in(tmp_path / "chargedesk.sqlite3") == {"KEEP"}
    [kept] = kept_copies(tmp_path)
    assert tags_in(kept) == {"KEEP", "LATER"}
    code, out, _ = run_cli(capsys, "db", "check", "--db", db_url)
    assert code == 0
    assert "is sound" in out


def test_restore_asks_and_refuses_without_a_terminal(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "elsewhere" / "copy.sqlite3"
    run_cli(capsys, "db", "upgrade", "--db", db_url)
    code, out, _ = run_cli(capsys, "db", "backup", "--to", str(target), "--db", db_url)
    assert code == 0
    assert f"Backed up to {target}" in out
    # stdin is not a terminal under pytest: no question can be asked.
    code, out, err = run_cli(capsys, "db", "restore", str(target), "--db", db_url)
    assert code == 2
    assert "--yes" in err
    assert "Checked:" in out
    assert not kept_copies(tmp_path)


def test_bad_files_are_refused_with_one_line(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "db", "upgrade", "--db", db_url)
    newer = tmp_path / "newer.sqlite3"
    run_cli(capsys, "db", "backup", "--to", str(newer), "--db", db_url)
    with opened(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    code, out, _ = run_cli(capsys, "db", "check", str(newer), "--db", db_url)
    assert code == 1
    assert out.startswith("Refused: ")
    assert "newer ChargeDesk" in out
    code, _, err = run_cli(capsys, "db", "restore", str(newer), "--yes", "--db", db_url)
    assert code == 2
    assert err.startswith("chargedesk: not restored:")
    assert "newer ChargeDesk" in err
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\x00garbage" * 1000)
    code, _, err = run_cli(capsys, "db", "restore", str(junk), "--yes", "--db", db_url)
    assert code == 2
    assert "not a readable SQLite database" in err
    assert not kept_copies(tmp_path)


def test_damaged_database_fails_its_check(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_cli(capsys, "db", "upgrade", "--db", db_url)
    database = tmp_path / "chargedesk.sqlite3"
    with opened(database) as conn:
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'stations'").fetchone()[0]
        )
    with database.open("r+b") as fh:
        fh.seek((root - 1) * page_size)
        fh.write(b"\x01")
    code, out, _ = run_cli(capsys, "db", "check", "--db", db_url)
    assert code == 1
    assert out.startswith("Damaged:")
    assert "chargedesk db restore FILE" in out
    code, out, _ = run_cli(capsys, "db", "check", "--json", "--db", db_url)
    assert code == 1
    assert json.loads(out)["ok"] is False
    code, out, _ = run_cli(capsys, "db", "check", "--quick", "--db", db_url)
    assert code == 1
    assert out.startswith("Damaged:")


def test_postgresql_is_pointed_at_pg_dump(capsys: pytest.CaptureFixture[str]) -> None:
    url = "postgresql://chargedesk@127.0.0.1:1/chargedesk"
    for argv in (("db", "backup"), ("db", "backups"), ("db", "check")):
        code, _, err = run_cli(capsys, *argv, "--db", url)
        assert code == 2, argv
        assert "pg_dump" in err
