"""Online backups while chargers write, restores that check first, and the check at start."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command

from app.bootstrap import Engine
from app.config import Settings
from app.domain.model import IdTagStatus
from app.services.clock import utcnow
from app.store import migrate
from app.store.backup import BackupError, Backups, BackupsNotSupported
from app.store.database import Database
from app.store.integrity import INTEGRITY_ALARM, check_at_start, check_file
from app.store.repositories import SqlEventLog
from tests.fakes.waiting import until
from tests.integration.ocpp16_steps import add_tag, booted, start
from tests.integration.test_storage_failures import meter_values, opened, stored_values


def backups_of(settings: Settings) -> Backups:
    return Backups.from_settings(settings)


def database_of(settings: Settings) -> Path:
    path = Backups.from_settings(settings).database
    assert path is not None
    return path


def tags_in(path: Path) -> set[str]:
    with opened(path) as conn:
        return {str(r[0]) for r in conn.execute("SELECT id_tag FROM id_tags")}


async def test_backup_while_a_charger_writes_loses_nothing_and_is_sound(
    engine: Engine, ocpp_url: str, settings: Settings
) -> None:
    await add_tag(engine, "TAG-1")
    cp = await booted(ocpp_url, "CP-BACKUP")
    tx = int((await start(cp, "TAG-1"))["transactionId"])
    acknowledged: set[int] = set()
    for value in range(100, 150):
        assert await cp.ok("MeterValues", meter_values(tx, value)) == {}
        acknowledged.add(value)
    before_backup = set(acknowledged)

    backups = backups_of(settings)
    backups.pages_per_step = 1  # many steps, with commits in between
    mid_backup = threading.Event()
    steps: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        steps.append((done, total))
        if len(steps) == 2:
            # Hold the copy here until a charger's write has committed: the writer is
            # never blocked by a backup in progress.
            assert mid_backup.wait(10), "a write waited for the backup"

    stop = asyncio.Event()

    async def charger() -> None:
        value = 1000
        while not stop.is_set():
            assert await cp.ok("MeterValues", meter_values(tx, value)) == {}
            acknowledged.add(value)
            if len(steps) >= 2:
                mid_backup.set()
            value += 1

    writing = asyncio.create_task(charger())
    made = await backups.back_up_async(progress=progress)
    stop.set()
    await writing

    assert len(steps) > 2
    assert steps[-1][0] == steps[-1][1]  # all pages copied, without starting over
    assert made.path.parent == database_of(settings).parent / "backups"
    assert made.name.startswith("chargedesk-")
    assert check_file(made.path).ok
    with opened(made.path) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migrate.head_revision(),
        )
    in_copy = stored_values(made.path, tx)
    assert before_backup <= in_copy <= acknowledged
    # Every acknowledged sample is in the live database.
    assert stored_values(database_of(settings), tx) == acknowledged
    # The copy is one file: no -wal or -shm beside it.
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.name]
    assert [b.path for b in backups.files()] == [made.path]
    await cp.close()


async def test_restore_round_trip_keeps_the_replaced_database(settings: Settings) -> None:
    async with Engine(settings) as engine:
        await add_tag(engine, "KEEP")
        made = await backups_of(settings).back_up_async()
        await add_tag(engine, "LATER")
        # While the engine runs, a restore is refused and nothing changes.
        with pytest.raises(BackupError, match="still using the database"):
            await backups_of(settings).restore_async(made.path)
    database = database_of(settings)
    assert tags_in(database) == {"KEEP", "LATER"}

    result = backups_of(settings).restore(made.path)

    assert result.upgraded_to is None
    assert result.revision == migrate.head_revision()
    assert result.kept_as is not None
    assert result.kept_as.name.startswith("chargedesk.sqlite3.before-restore-")
    assert tags_in(result.kept_as) == {"KEEP", "LATER"}
    assert made.path.is_file()  # the backup itself stays
    async with Engine(settings) as engine:
        tags = {t.id_tag for t in await engine.services.tags.tags()}
        assert tags == {"KEEP"}
        await add_tag(engine, "AFTER", IdTagStatus.ACCEPTED)
    assert tags_in(database) == {"KEEP", "AFTER"}


async def test_older_backup_is_upgraded_after_the_restore(settings: Settings) -> None:
    old = Path(database_of(settings).parent / "old-version.sqlite3")
    command.upgrade(migrate.alembic_config(f"sqlite:///{old}"), "0005")
    with opened(old) as conn:
        conn.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('OLD', 'Accepted', '')")
    checked = check_file(old)
    assert checked.ok
    assert checked.needs_upgrade
    assert "upgraded to" in checked.message

    result = backups_of(settings).restore(old)

    assert result.kept_as is None  # there was no database yet
    assert result.revision == "0005"
    assert result.upgraded_to == migrate.head_revision()
    assert migrate.current_revision(settings.db_url) == migrate.head_revision()
    assert tags_in(database_of(settings)) == {"OLD"}


def _copy_with(settings: Settings, tmp_path: Path, sql: str) -> Path:
    migrate.upgrade(settings.db_url)
    target = tmp_path / "edited.sqlite3"
    made = backups_of(settings).back_up(to=target)
    assert made.path == target
    with opened(target) as conn:
        conn.execute(sql)
    return target


def test_backup_from_a_newer_version_is_refused(settings: Settings, tmp_path: Path) -> None:
    newer = _copy_with(settings, tmp_path, "UPDATE alembic_version SET version_num = '9999'")
    database = database_of(settings)
    before = database.read_bytes()
    checked = check_file(newer)
    assert not checked.ok
    assert checked.newer
    assert "newer ChargeDesk" in checked.message
    with pytest.raises(BackupError, match="newer ChargeDesk"):
        backups_of(settings).restore(newer)
    assert database.read_bytes() == before
    assert not list(database.parent.glob("*.before-restore-*"))


def test_damaged_or_foreign_files_are_refused(settings: Settings, tmp_path: Path) -> None:
    good = _copy_with(
        settings, tmp_path, "INSERT INTO id_tags VALUES ('X', 'Accepted', NULL, NULL, '', NULL, 1)"
    )
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(good.read_bytes())
    page = 4096
    for offset in range(2 * page, len(data) - page, page):  # scribble over every page but 1
        data[offset + 8 : offset + 200] = b"\xa5" * 192
    damaged.write_bytes(bytes(data))
    text_file = tmp_path / "notes.sqlite3"
    text_file.write_text("not a database at all\n" * 100)
    foreign = tmp_path / "other-app.sqlite3"
    with opened(foreign) as conn:
        conn.execute("CREATE TABLE things (x)")
    missing = tmp_path / "nowhere.sqlite3"

    database = database_of(settings)
    before = database.read_bytes()
    for path, words in (
        (damaged, "damaged"),
        (text_file, "not a readable SQLite database"),
        (foreign, "not a ChargeDesk database"),
        (missing, "does not exist"),
    ):
        checked = check_file(path)
        assert not checked.ok, path
        assert words in checked.message, checked.message
        with pytest.raises(BackupError, match="not restored"):
            backups_of(settings).restore(path)
    assert database.read_bytes() == before


def test_only_the_newest_are_kept_and_the_schedule(settings: Settings) -> None:
    migrate.upgrade(settings.db_url)
    backups = Backups(settings.db_url, keep=2, every_hours=24)
    assert backups.due()
    made = [backups.back_up() for _ in range(3)]
    listed = [b.path for b in backups.files()]
    assert len(listed) == 2
    assert made[0].path not in listed
    assert not backups.due()
    assert backups.due(datetime.now(UTC) + timedelta(hours=25))
    assert not Backups(settings.db_url, every_hours=0).due(datetime.now(UTC) + timedelta(days=9))
    # A copy made before a schema upgrade is listed, and never pruned by count.
    upgrade_copy = migrate.backup_sqlite(database_of(settings))
    listing = backups.files()
    assert [b.path for b in listing if b.before_upgrade] == [upgrade_copy]
    backups.prune()
    assert upgrade_copy.is_file()


async def test_scheduled_backup_runs_when_due(settings: Settings) -> None:
    migrate.upgrade(settings.db_url)
    backups = Backups(settings.db_url, every_hours=1)
    first = await backups.run_if_due()
    assert first is not None
    assert await backups.run_if_due() is None
    assert await backups.run_if_due(datetime.now(UTC) + timedelta(hours=2)) is not None


async def test_the_schedule_task_backs_up_and_stops_when_cancelled(settings: Settings) -> None:
    migrate.upgrade(settings.db_url)
    backups = Backups(settings.db_url, every_hours=24)
    task = asyncio.create_task(backups.run_schedule(every=0.05, first_after=0))
    await until(lambda: len(backups.files()) == 1)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(backups.files()) == 1  # one is due per day, not per look


def test_postgresql_is_told_to_use_pg_dump() -> None:
    backups = Backups("postgresql://chargedesk@localhost/chargedesk")
    assert not backups.supported
    assert not backups.due()
    with pytest.raises(BackupsNotSupported, match="pg_dump"):
        backups.back_up()
    with pytest.raises(BackupsNotSupported, match="pg_dump"):
        backups.files()


async def test_integrity_check_at_start(settings: Settings) -> None:
    migrate.upgrade(settings.db_url)
    db = Database(settings.db_url)
    await db.start()
    try:
        report = await check_at_start(db, SqlEventLog(db), utcnow)
        assert report.ok
        assert report.checked
    finally:
        await db.close()

    # Damage the tables' pages (not the first, which says what the file is).
    database = database_of(settings)
    data = bytearray(database.read_bytes())
    for offset in range(2 * 4096, len(data), 4096):
        data[offset : offset + 100] = b"\x5a" * 100
    database.write_bytes(bytes(data))
    db = Database(settings.db_url)
    await db.start()
    try:
        report = await check_at_start(db, SqlEventLog(db), utcnow)
    finally:
        await db.close()
    assert not report.ok
    assert report.problems


async def test_integrity_alarm_is_recorded(settings: Settings) -> None:
    """Damage that leaves the event log writable: the alarm is stored for the operator."""
    migrate.upgrade(settings.db_url)
    database = database_of(settings)
    with opened(database) as conn:
        conn.execute("INSERT INTO id_tags (id_tag, status, note) VALUES ('A', 'Accepted', '')")
        page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
        root = int(
            conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'id_tags'").fetchone()[0]
        )
    # Closing the last connection folded the -wal into the file.
    with database.open("r+b") as fh:  # the tag table's page is no b-tree page any more
        fh.seek((root - 1) * page_size)
        fh.write(b"\x01")
    db = Database(settings.db_url)
    await db.start()
    try:
        report = await check_at_start(db, SqlEventLog(db), utcnow)
        assert not report.ok
        recorded = await SqlEventLog(db).recent()
    finally:
        await db.close()
    [alarm] = [r for r in recorded if r.kind == INTEGRITY_ALARM]
    assert alarm.severity.value == "alarm"
    assert "Restore the newest good backup" in alarm.message
    assert "chargedesk db restore" in alarm.message


async def test_a_cancelled_backup_leaves_no_partial_file(settings: Settings) -> None:
    """The engine stopping mid-backup: the copy stops after its step, nothing half-made stays."""
    migrate.upgrade(settings.db_url)
    backups = backups_of(settings)
    backups.pages_per_step = 1
    started = threading.Event()
    release = threading.Event()

    def progress(_done: int, _total: int) -> None:
        started.set()
        release.wait(10)  # hold the copy mid-way until the task is cancelled

    task = asyncio.create_task(backups.back_up_async(progress=progress))
    await until(started.is_set)
    task.cancel()
    release.set()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert backups.directory is not None
    assert list_folder(backups.directory) == []
    assert backups.files() == []


def list_folder(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
