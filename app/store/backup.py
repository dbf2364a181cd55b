"""Online backups of the SQLite database, on a schedule and on demand, and restores.

A backup is read through its own connection inside one read transaction, so it
is one consistent moment of the database; in WAL mode the writer never waits
for it. It is copied in steps (a progress bar can follow) into a `.partial` file,
checked (integrity_check, schema revision), and only then given its final name.

PostgreSQL is backed up by pg_dump (docs/backups.md): these functions say so
rather than pretend.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import Settings
from app.domain.errors import ChargeDeskError
from app.store import migrate
from app.store.integrity import FileCheck, check_file, in_thread_until_cancelled

log = logging.getLogger(__name__)

PREFIX = "chargedesk-"
SUFFIX = ".sqlite3"
NAME = re.compile(r"^chargedesk-(\d{8}-\d{6})(?:-(\d+))?\.sqlite3$")
# migrate.backup_sqlite's copies before a schema upgrade, beside the database.
UPGRADE_NAME = re.compile(r"\.backup-(\d{8}T\d{6})Z\.sqlite3$")
PAGES_PER_STEP = 1024  # 4 MB with SQLite's default page size
SCHEDULE_CHECK_EVERY = 300.0  # seconds between looks at whether a backup is due
SCHEDULE_FIRST_AFTER = 120.0  # seconds after start before the first look
PG_DUMP_MESSAGE = (
    "This database is on PostgreSQL: back it up with the server's own tools "
    "(pg_dump, or your provider's snapshots); ChargeDesk backs up only SQLite files."
)

# (pages copied, pages in all), from the backup thread.
Progress = Callable[[int, int], None]

# One backup or restore at a time in this process (the scheduler and a click may meet).
_busy = threading.Lock()


class BackupError(ChargeDeskError):
    """A backup or restore that did not happen, in words an operator can act on."""


class BackupsNotSupported(BackupError):
    def __init__(self) -> None:
        super().__init__(PG_DUMP_MESSAGE)


@dataclass(frozen=True, slots=True)
class BackupFile:
    path: Path
    created_at: datetime  # UTC
    size_bytes: int
    before_upgrade: bool = False  # made by a schema upgrade, not kept by count

    @property
    def name(self) -> str:
        return self.path.name


@dataclass(frozen=True, slots=True)
class RestoreResult:
    restored_from: Path
    kept_as: Path | None  # the database as it was before the restore (None: there was none)
    revision: str  # the backup's schema revision
    upgraded_to: str | None  # set when the backup was older than this version


def sqlite_path(db_url: str) -> Path | None:
    parsed = make_url(db_url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database).expanduser()


def backup_dir(db_file: Path, configured: str = "") -> Path:
    """Where backups go: the backup_dir setting, else `backups` beside the database."""
    return Path(configured).expanduser() if configured else db_file.parent / "backups"


def _stamp(now: datetime) -> str:
    return now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")


def _fsync_dir(directory: Path) -> None:
    if os.name == "nt":  # Windows cannot open a folder; its rename is durable enough
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def copy_database(
    source: Path,
    target: Path,
    *,
    progress: Progress | None = None,
    pages_per_step: int = PAGES_PER_STEP,
) -> None:
    """Copy a live database with SQLite's backup API into target (a single file)."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
    try:
        # One read transaction over every step: each step sees the same snapshot, so
        # commits meanwhile neither restart the copy nor tear it.
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()
        dest = sqlite3.connect(partial, isolation_level=None)
        try:
            dest.execute("PRAGMA journal_mode=DELETE")

            def step(_status: int, remaining: int, total: int) -> None:
                if progress is not None:
                    progress(total - remaining, total)

            src.backup(dest, pages=pages_per_step, progress=step)
            # The copy carries the source's WAL flag; a backup is one self-contained file.
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
        src.execute("COMMIT")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with partial.open("rb") as fh:
        os.fsync(fh.fileno())
    os.replace(partial, target)
    _fsync_dir(target.parent)


class Backups:
    """Backups of one database: make, list, keep the newest N, schedule, restore."""

    def __init__(
        self, db_url: str, *, directory: str = "", keep: int = 14, every_hours: float = 24.0
    ) -> None:
        self.db_url = db_url
        self.database = sqlite_path(db_url)
        self.directory = backup_dir(self.database, directory) if self.database else None
        self.keep = keep
        self.every_hours = every_hours
        self.pages_per_step = PAGES_PER_STEP

    @classmethod
    def from_settings(cls, settings: Settings) -> Backups:
        return cls(
            settings.db_url,
            directory=settings.backup_dir,
            keep=settings.backup_keep,
            every_hours=settings.backup_every_hours,
        )

    @property
    def supported(self) -> bool:
        return self.database is not None

    def _paths(self) -> tuple[Path, Path]:
        if self.database is None or self.directory is None:
            raise BackupsNotSupported()
        return self.database, self.directory

    # ---- listing ------------------------------------------------------------------

    def files(self) -> list[BackupFile]:
        """Backups, newest first: ours in the backup folder, and those made before upgrades."""
        database, directory = self._paths()
        found: list[tuple[datetime, int, BackupFile]] = []
        if directory.is_dir():
            for path in directory.iterdir():
                match = NAME.match(path.name)
                if match and path.is_file():
                    when = datetime.strptime(match[1], "%Y%m%d-%H%M%S").replace(tzinfo=UTC)
                    serial = int(match[2] or 1)  # two in one second: -2, -3, …
                    found.append((when, serial, BackupFile(path, when, path.stat().st_size)))
        if database.parent.is_dir():
            for path in database.parent.glob(f"{database.stem}.backup-*{database.suffix}"):
                match = UPGRADE_NAME.search(path.name)
                if match and path.is_file():
                    when = datetime.strptime(match[1], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
                    size = path.stat().st_size
                    found.append((when, 0, BackupFile(path, when, size, before_upgrade=True)))
        return [b for _when, _serial, b in sorted(found, key=lambda f: f[:2], reverse=True)]

    def prune(self) -> list[Path]:
        """Delete the scheduled and on-demand backups beyond the newest `keep`."""
        removed = []
        ours = [b for b in self.files() if not b.before_upgrade]
        for old in ours[max(self.keep, 1) :]:
            old.path.unlink(missing_ok=True)
            removed.append(old.path)
        if removed:
            log.info("removed %d old backups (keeping %d)", len(removed), self.keep)
        return removed

    # ---- making -------------------------------------------------------------------

    def back_up(self, to: Path | None = None, progress: Progress | None = None) -> BackupFile:
        """Copy the live database now, check the copy; blocking (run it in a thread)."""
        database, directory = self._paths()
        if not database.is_file():
            raise BackupError(f"there is no database at {database} to back up")
        if to is None:
            directory.mkdir(parents=True, exist_ok=True)
            target = directory / f"{PREFIX}{_stamp(datetime.now(UTC))}{SUFFIX}"
            serial = 1
            while target.exists():  # two in one second: keep both
                serial += 1
                target = directory / f"{PREFIX}{_stamp(datetime.now(UTC))}-{serial}{SUFFIX}"
        else:
            target = to.expanduser()
            if target.resolve() == database.resolve():
                raise BackupError("a backup cannot overwrite the database it copies")
            target.parent.mkdir(parents=True, exist_ok=True)
        with _busy:
            try:
                copy_database(
                    database, target, progress=progress, pages_per_step=self.pages_per_step
                )
            except OSError as exc:
                raise BackupError(f"the backup could not be written to {target}: {exc}") from exc
            except sqlite3.Error as exc:  # reading the database or writing the copy
                raise BackupError(f"the backup to {target} failed: {exc}") from exc
        checked = check_file(target)
        if not checked.ok:
            failed = target.with_name(target.name + ".failed")
            os.replace(target, failed)
            raise BackupError(f"the backup failed its check and was set aside: {checked.message}")
        log.info("backed up the database to %s (schema %s)", target, checked.revision)
        made = BackupFile(target, datetime.now(UTC), target.stat().st_size)
        if to is None:
            self.prune()
        return made

    async def back_up_async(
        self, to: Path | None = None, progress: Progress | None = None
    ) -> BackupFile:
        """back_up() in a thread; cancelling the caller stops the copy after its current
        step and removes the partial file."""

        def work(stop: threading.Event) -> BackupFile:
            def step(done: int, total: int) -> None:
                if stop.is_set():
                    raise BackupError("the backup was stopped before it was complete")
                if progress is not None:
                    progress(done, total)

            return self.back_up(to, step)

        return await in_thread_until_cancelled(work)

    def due(self, now: datetime | None = None) -> bool:
        """A scheduled backup is due: switched on, and the newest one is old enough."""
        if not self.supported or self.every_hours <= 0:
            return False
        newest = next((b for b in self.files() if not b.before_upgrade), None)
        now = now or datetime.now(UTC)
        return newest is None or now - newest.created_at >= timedelta(hours=self.every_hours)

    async def run_schedule(
        self, every: float = SCHEDULE_CHECK_EVERY, first_after: float = SCHEDULE_FIRST_AFTER
    ) -> None:
        """For the engine: a task that backs up whenever one is due, until cancelled.
        The first look waits first_after seconds: start-up (and its integrity check) first."""
        await asyncio.sleep(first_after)
        while True:
            await self.run_if_due()
            await asyncio.sleep(every)

    async def run_if_due(self, now: datetime | None = None) -> BackupFile | None:
        """For the engine's housekeeping loop: back up when due; a failure is logged."""
        if not self.due(now):
            return None
        try:
            return await self.back_up_async()
        except BackupError as exc:
            log.error("the scheduled backup failed: %s", exc)
            return None

    # ---- checking and restoring ---------------------------------------------------

    def check(self, path: Path) -> FileCheck:
        self._paths()
        return check_file(path.expanduser())

    def restore(self, backup: Path) -> RestoreResult:
        """Replace the database with a checked backup; the engine must be stopped.

        The database as it was is kept beside it as `<name>.before-restore-<time>`;
        a backup from an older ChargeDesk is upgraded to this version's schema.
        """
        database, _directory = self._paths()
        backup = backup.expanduser()
        checked = check_file(backup)
        if not checked.ok:
            raise BackupError(f"not restored: {checked.message}")
        assert checked.revision is not None
        if database.exists() and backup.resolve() == database.resolve():
            raise BackupError("not restored: that file is the database itself")
        with _busy:
            kept = self._swap(database, backup)
        log.warning("restored the database from %s; the previous one is kept as %s", backup, kept)
        upgraded = None
        if checked.revision != migrate.HEAD_REVISION:
            migrate.upgrade(self.db_url, backup=False)  # the kept copy and the backup remain
            now_at = migrate.current_revision(self.db_url)
            upgraded = now_at if now_at != checked.revision else None
        return RestoreResult(backup, kept, checked.revision, upgraded)

    async def restore_async(self, backup: Path) -> RestoreResult:
        return await asyncio.to_thread(self.restore, backup)

    def _swap(self, database: Path, backup: Path) -> Path | None:
        stamp = _stamp(datetime.now(UTC))
        incoming = database.with_name(f".{database.name}.restoring")
        kept: Path | None = database.with_name(f"{database.name}.before-restore-{stamp}")
        shutil.copyfile(backup, incoming)
        try:
            with incoming.open("rb") as fh:
                os.fsync(fh.fileno())
            if database.exists():
                assert kept is not None
                _release_wal(database)
                try:
                    os.link(database, kept)  # instant, and the database is never missing
                except OSError:
                    shutil.copy2(database, kept)
            else:
                kept = None
                _remove_leftovers(database)  # another file's -wal must never meet this one
            os.replace(incoming, database)
            _fsync_dir(database.parent)
        finally:
            incoming.unlink(missing_ok=True)
        return kept


def _release_wal(database: Path) -> None:
    """Fold the -wal into the file and leave WAL mode, which needs every other
    connection gone: a running engine (here or in another process) is refused."""
    try:
        conn = sqlite3.connect(database, timeout=0, isolation_level=None)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()
        finally:
            conn.close()
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(
                "not restored: ChargeDesk is still using the database (the engine or the "
                "control room is running); stop it first"
            ) from exc
        raise BackupError(f"not restored: the database could not be set aside: {exc}") from exc
    if mode is None or str(mode[0]).lower() != "delete":
        raise BackupError(
            "not restored: ChargeDesk is still using the database (the engine or the "
            "control room is running); stop it first"
        )
    _remove_leftovers(database)


def _remove_leftovers(database: Path) -> None:
    for leftover in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            database.with_name(database.name + leftover).unlink()
