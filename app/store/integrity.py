"""The database's health: is a file sound and ChargeDesk's, the check at start, and the
alarm when the disk or the file stops taking writes.

A check reads every page, so it runs on its own connection in a worker thread: the
engine keeps serving chargers meanwhile (docs/backups.md has the figures).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from app.domain.model import Severity
from app.domain.ports import Clock, EventLog
from app.store import migrate
from app.store.database import Database, StorageFailure

log = logging.getLogger(__name__)
T = TypeVar("T")

# Tables every ChargeDesk database has had since the first schema.
CORE_TABLES = frozenset({"alembic_version", "stations", "transactions", "events"})
MAX_PROBLEMS = 20
INTEGRITY_ALARM = "database.integrity"
STORAGE_ALARM = "database.storage"
STORAGE_RECOVERED = "database.storage_recovered"
RESTORE_HINT = (
    "Restore the newest good backup: File > Backups… in the control room, or "
    "`chargedesk db backups` then `chargedesk db restore FILE`."
)


@dataclass(frozen=True, slots=True)
class IntegrityReport:
    """What a check of a database file found. ok: SQLite found no damage."""

    database: str
    ok: bool
    problems: tuple[str, ...] = ()
    seconds: float = 0.0
    checked: bool = True  # False: not an SQLite file of ours to check (PostgreSQL)
    note: str = ""


@dataclass(frozen=True, slots=True)
class FileCheck:
    """A backup (or any file) examined before it may replace the database."""

    path: Path
    ok: bool
    message: str
    revision: str | None = None
    newer: bool = False  # written by a newer ChargeDesk than this one

    @property
    def needs_upgrade(self) -> bool:
        return self.ok and self.revision != migrate.HEAD_REVISION


def _open_read_only(path: Path) -> sqlite3.Connection:
    # immutable: a backup is nobody's live database; nothing (-wal, -shm) is made beside it.
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


class CheckStopped(Exception):
    """A check given up before its end (the engine is stopping)."""


def run_check(path: Path, *, quick: bool, stop: threading.Event | None = None) -> IntegrityReport:
    """PRAGMA quick_check (pages and structure) or integrity_check (indexes too).

    stop: set from another thread to give up within milliseconds (raises CheckStopped).
    """
    pragma = "quick_check" if quick else "integrity_check"
    started = time.perf_counter()
    try:
        # Not immutable: the live database's -wal holds the newest pages.
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if stop is not None:
                conn.set_progress_handler(lambda: int(stop.is_set()), 100_000)
            rows = conn.execute(f"PRAGMA {pragma}({MAX_PROBLEMS})").fetchall()
        finally:
            conn.close()
        problems = tuple(str(r[0]) for r in rows if r[0] != "ok")
    except sqlite3.OperationalError as exc:
        if stop is not None and stop.is_set():
            raise CheckStopped() from exc
        problems = (str(exc),)
    except sqlite3.DatabaseError as exc:
        problems = (str(exc),)
    return IntegrityReport(str(path), not problems, problems, time.perf_counter() - started)


async def in_thread_until_cancelled(work: Callable[[threading.Event], T]) -> T:
    """Run work(stop) in a thread; if the awaiting task is cancelled, set stop and wait for
    the thread to give up, so nothing still reads the file once the caller has moved on
    (a restore right after would find the database in use)."""
    stop = threading.Event()
    future = asyncio.ensure_future(asyncio.to_thread(work, stop))
    try:
        return await asyncio.shield(future)
    except asyncio.CancelledError:
        stop.set()
        with contextlib.suppress(Exception):
            await future
        raise


def _known_revision(revision: str) -> bool:
    if revision == migrate.HEAD_REVISION:
        return True
    from alembic import util
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))
    try:
        return script.get_revision(revision) is not None
    except util.CommandError:
        return False


def check_file(path: Path) -> FileCheck:
    """Is this file a sound ChargeDesk database this version can use (perhaps migrated)?"""
    if not path.is_file():
        return FileCheck(path, False, f"{path} does not exist or is not a file")
    try:
        conn = _open_read_only(path)
        try:
            rows = conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})").fetchall()
            problems = [str(r[0]) for r in rows if r[0] != "ok"]
            if problems:
                return FileCheck(path, False, f"{path.name} is damaged: " + "; ".join(problems[:3]))
            tables = {
                str(r[0])
                for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            }
            if not tables >= CORE_TABLES:
                return FileCheck(path, False, f"{path.name} is not a ChargeDesk database")
            found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return FileCheck(path, False, f"{path.name} is not a readable SQLite database ({exc})")
    if len(found) != 1:
        return FileCheck(path, False, f"{path.name} has no schema revision")
    revision = str(found[0][0])
    if not _known_revision(revision):
        return FileCheck(
            path,
            False,
            f"{path.name} is at schema {revision}, written by a newer ChargeDesk than this "
            f"one (which knows up to {migrate.HEAD_REVISION}); install that version to use it",
            revision,
            newer=True,
        )
    note = (
        ""
        if revision == migrate.HEAD_REVISION
        else f"; it is upgraded to {migrate.HEAD_REVISION} after the restore"
    )
    return FileCheck(path, True, f"{path.name} is sound, schema {revision}{note}", revision)


async def check_at_start(
    db: Database, events: EventLog | None = None, clock: Clock | None = None
) -> IntegrityReport:
    """PRAGMA quick_check of the live database, off the engine loop.

    On damage: one error line in the log and (given the event log) an alarm, both
    telling the operator to restore from a backup. Call it as a task after start:
    chargers are served while it reads (about a second per GB, docs/backups.md).
    """
    path = db.path
    if path is None:
        return IntegrityReport(
            db.url.split("://", 1)[0], True, checked=False, note="checked by the database server"
        )
    report = await in_thread_until_cancelled(lambda stop: run_check(path, quick=True, stop=stop))
    if report.ok:
        log.info("database integrity check passed in %.1f s", report.seconds)
        return report
    summary = "; ".join(report.problems[:3])
    message = f"The database is damaged ({summary}). {RESTORE_HINT}"
    log.error("%s (%s)", message, path)
    if events is not None and clock is not None:
        try:
            await events.append(
                INTEGRITY_ALARM,
                Severity.ALARM,
                message,
                None,
                {"problems": list(report.problems), "database": str(path)},
                clock(),
            )
        except Exception as exc:  # the log line above stands; a damaged file may refuse
            log.error("could not record the integrity alarm: %s", exc)
    return report


class StorageAlarm:
    """One alarm per storage failure (disk full, file read-only, I/O error), not per write.

    When writes start failing the alarm is tried at once (a nearly full disk may
    still take it, and the control room shows it live). A read-only file takes
    nothing: then the log has the line (Database writes it), `current` says why, and
    the alarm is stored with when it began and ended as soon as writing works again.
    Either way there is one alarm for the operator to acknowledge.
    """

    def __init__(self, db: Database, events: EventLog, clock: Clock) -> None:
        self._db = db
        self._events = events
        self._clock = clock
        self._began: tuple[StorageFailure, datetime] | None = None
        self._stored_at_start = False
        self._first: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.alarms_raised = 0

    @classmethod
    def attach(cls, db: Database, events: EventLog, clock: Clock) -> StorageAlarm:
        """Watch db (once: attaching twice returns the first watcher)."""
        existing = _ATTACHED.get(db)
        if existing is not None:
            return existing
        alarm = cls(db, events, clock)
        _ATTACHED[db] = alarm
        db.add_storage_listener(alarm._changed)
        return alarm

    @property
    def current(self) -> StorageFailure | None:
        return self._db.storage_failure

    def _spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    def _changed(self, failure: StorageFailure | None) -> None:
        if failure is not None:
            if self._began is None:
                self._began = (failure, self._clock())
                self._stored_at_start = False
                self._first = self._spawn(self._record_start(failure))
            return
        if self._began is None:
            return
        began, at = self._began
        self._began = None
        self._spawn(self._record_end(began, at))

    async def _record_start(self, failure: StorageFailure) -> None:
        try:
            await self._append(Severity.ALARM, f"The database refuses writes: {failure}", failure)
        except Exception:  # as expected on a read-only file: stored when it is over
            return
        self._stored_at_start = True
        self.alarms_raised += 1

    async def _record_end(self, failure: StorageFailure, began: datetime) -> None:
        if self._first is not None:
            await asyncio.gather(self._first, return_exceptions=True)
        now = self._clock()
        span = f"from {began:%Y-%m-%d %H:%M:%S} UTC until {now:%H:%M:%S} UTC"
        try:
            if self._stored_at_start:
                await self._append(
                    Severity.INFO, f"The database takes writes again (refused {span}).", failure
                )
            else:
                await self._append(
                    Severity.ALARM, f"The database refused writes {span}: {failure}", failure
                )
                self.alarms_raised += 1
        except Exception as exc:  # it failed again: the next recovery records it
            log.error("could not record the storage alarm: %s", exc)
            self._began = (failure, began)

    async def _append(self, severity: Severity, message: str, failure: StorageFailure) -> None:
        kind = STORAGE_ALARM if severity is Severity.ALARM else STORAGE_RECOVERED
        data: dict[str, object] = {"problem": failure.problem.value, "detail": failure.detail}
        await self._events.append(kind, severity, message, None, data, self._clock())

    async def close(self) -> None:
        """Wait for an alarm being recorded (call before the database closes)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)


_ATTACHED: weakref.WeakKeyDictionary[Database, StorageAlarm] = weakref.WeakKeyDictionary()
