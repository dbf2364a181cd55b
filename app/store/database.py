"""Engine set-up and the group-committing writer.

All writes go through one writer thread. Operations submitted while a commit
is in flight are gathered and committed together in the next transaction, so
one fsync acknowledges many charger messages: durability without giving up
throughput. Reads run on their own threads and never block the writer (WAL).
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from app.domain.errors import StorageUnavailable

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[Connection], T]

MAX_BATCH = 2000
STORAGE_RECOVERY_QUIET = 60.0  # seconds


class StorageProblem(StrEnum):
    FULL = "full"
    READ_ONLY = "read_only"
    IO_ERROR = "io_error"
    CANNOT_OPEN = "cannot_open"


_PLAIN_WORDS = {
    StorageProblem.FULL: "the disk holding the database is full",
    StorageProblem.READ_ONLY: "the database file is read-only",
    StorageProblem.IO_ERROR: "the disk holding the database failed to write (disk I/O error)",
    StorageProblem.CANNOT_OPEN: "the database file cannot be opened for writing",
}
_WHAT_TO_DO = {
    StorageProblem.FULL: "free space on that disk",
    StorageProblem.READ_ONLY: "make the file and its -wal file writable for ChargeDesk",
    StorageProblem.IO_ERROR: "check the disk; it may have been switched to read-only",
    StorageProblem.CANNOT_OPEN: "check that the folder exists and ChargeDesk may write in it",
}
# SQLite's primary result codes (the low byte of an extended code).
_BY_SQLITE_CODE = {
    13: StorageProblem.FULL,  # SQLITE_FULL
    8: StorageProblem.READ_ONLY,  # SQLITE_READONLY
    10: StorageProblem.IO_ERROR,  # SQLITE_IOERR
    14: StorageProblem.CANNOT_OPEN,  # SQLITE_CANTOPEN
}


class StorageFailure(StorageUnavailable):
    """The database cannot take writes because of the disk or the file, not the data.

    Nothing of the refused write was stored (SQLite rolled its transaction back);
    the engine keeps running and writes again once the cause is put right.
    """

    def __init__(self, problem: StorageProblem, detail: str, path: str = "") -> None:
        where = f" ({path})" if path else ""
        remedy = _WHAT_TO_DO[problem][0].upper() + _WHAT_TO_DO[problem][1:]
        super().__init__(
            f"Nothing was saved: {_PLAIN_WORDS[problem]}{where}. {remedy}; "
            "ChargeDesk saves again by itself once it can."
        )
        self.problem = problem
        self.detail = detail
        self.path = path
        self.since = datetime.now(UTC)


def storage_problem(exc: BaseException) -> StorageProblem | None:
    """Which storage problem an error from the driver is, if it is one at all."""
    original = exc.orig if isinstance(exc, DBAPIError) else exc
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _BY_SQLITE_CODE:
        return _BY_SQLITE_CODE[code & 0xFF]
    text = str(original).lower()
    if "disk i/o error" in text:
        return StorageProblem.IO_ERROR
    if "database or disk is full" in text:
        return StorageProblem.FULL
    if "readonly database" in text or "read-only" in text:
        return StorageProblem.READ_ONLY
    return None


# Told once when writes start failing for a storage reason (the failure) and once
# when they succeed again (None); called on the engine loop.
StorageListener = Callable[["StorageFailure | None"], None]


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def create_engines(url: str) -> tuple[Engine, Engine]:
    """Return (writer, reader) engines with the pragmas durability needs."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        engine = create_engine(url, pool_pre_ping=True)
        return engine, engine
    if parsed.database in (None, "", ":memory:"):
        raise ValueError("ChargeDesk needs a file-backed SQLite database, not :memory:")
    Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    writer = create_engine(url, connect_args={"check_same_thread": False})
    reader = create_engine(url, connect_args={"check_same_thread": False})
    _configure_sqlite(writer, immediate=True)
    _configure_sqlite(reader, immediate=False)
    return writer, reader


def _configure_sqlite(engine: Engine, *, immediate: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN is explicit (see below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # The writer takes the write lock up front: a deferred transaction that
        # reads first could otherwise fail to upgrade when the CLI wrote meanwhile.
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


# A grouped write: many items of one kind become one statement per group commit.
GroupFlush = Callable[[Connection, list[Any]], list[Any]]


@dataclass(slots=True)
class _Pending:
    op: Operation[Any] | None
    future: asyncio.Future[Any] | None
    group: GroupFlush | None = None
    item: Any = None


class Database:
    """Owns the engines, the writer thread and the group-commit loop."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.writer_engine, self.reader_engine = create_engines(url)
        self._write_thread = ThreadPoolExecutor(1, thread_name_prefix="chargedesk-writer")
        self._read_threads = ThreadPoolExecutor(2, thread_name_prefix="chargedesk-reader")
        self._queue: deque[_Pending] = deque()
        self._wakeup = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self.batches_committed = 0
        self.operations_committed = 0
        self._storage_failure: StorageFailure | None = None
        self._last_refusal = 0.0
        # A nearly full disk still takes some small writes: the failure is over only
        # once writes succeed with no refusal for this many seconds (one alarm, not a
        # flurry of them).
        self.storage_recovery_quiet = STORAGE_RECOVERY_QUIET
        self._storage_listeners: list[StorageListener] = []
        # Writes refused for a storage reason since the current failure began.
        self.writes_refused = 0

    @property
    def path(self) -> Path | None:
        """The SQLite database file, or None on another database."""
        parsed = make_url(self.url)
        if parsed.get_backend_name() != "sqlite" or not parsed.database:
            return None
        return Path(parsed.database).expanduser()

    @property
    def storage_failure(self) -> StorageFailure | None:
        """Why writes are failing right now (None while they succeed)."""
        return self._storage_failure

    def add_storage_listener(self, listener: StorageListener) -> None:
        """Be told when writes start failing for a storage reason, and when they recover."""
        self._storage_listeners.append(listener)

    @property
    def dialect(self) -> str:
        return self.writer_engine.dialect.name

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(
                self._run(), name="chargedesk-group-commit"
            )

    async def close(self) -> None:
        """Commit everything queued, then release the engines."""
        self._closing = True
        self._wakeup.set()
        if self._task is not None:
            await self._task
            self._task = None
        self._write_thread.shutdown(wait=True)
        self._read_threads.shutdown(wait=True)
        self.writer_engine.dispose()
        self.reader_engine.dispose()

    async def write(self, op: Operation[T]) -> T:
        """Run op in the next group commit; return its result once it is durable."""
        if self._closing:
            raise RuntimeError("the database is closing")
        future: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(op, future))
        self._wakeup.set()
        return await future

    async def write_grouped(self, flush: GroupFlush, item: Any) -> Any:
        """Like write(), but every item queued for the same flush in one group commit is
        handed to one call of flush(conn, items), which returns one result per item.

        For the hot path (meter values): one INSERT of many rows instead of one per call.
        Items of different stations never depend on each other, and a station waits for
        each reply before it sends again, so grouped items run after the batch's other
        operations.
        """
        if self._closing:
            raise RuntimeError("the database is closing")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.append(_Pending(None, future, flush, item))
        self._wakeup.set()
        return await future

    def write_nowait(self, op: Operation[Any]) -> None:
        """Queue op for the next group commit without waiting for it."""
        if self._closing:
            return
        self._queue.append(_Pending(op, None))
        self._wakeup.set()

    async def read(self, op: Operation[T]) -> T:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._read_threads, self._run_read, op)

    def run_sync_write(self, op: Operation[T]) -> T:
        """For CLI commands and migrations that run without the engine loop."""
        try:
            with self.writer_engine.begin() as conn:
                return op(conn)
        except Exception as exc:
            failure = self._storage_failure_from(exc)
            if failure is None:
                raise
            raise failure from exc

    def run_sync_read(self, op: Operation[T]) -> T:
        return self._run_read(op)

    def _run_read(self, op: Operation[T]) -> T:
        with self.reader_engine.connect() as conn:
            result = op(conn)
            conn.rollback()
            return result

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._queue:
                if self._closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            batch = [self._queue.popleft() for _ in range(min(len(self._queue), MAX_BATCH))]
            try:
                outcomes = await loop.run_in_executor(self._write_thread, self._commit, batch)
            except BaseException as exc:  # the loop itself must survive anything
                outcomes = [exc] * len(batch)
                log.exception("group commit failed")
            self._note_storage(outcomes)
            for pending, outcome in zip(batch, outcomes, strict=True):
                fut = pending.future
                if fut is None:
                    # A storage failure is logged once, when it begins (_note_storage).
                    if isinstance(outcome, BaseException) and not isinstance(
                        outcome, StorageFailure
                    ):
                        log.error("background write failed: %s", outcome)
                    continue
                if fut.done():
                    continue
                if isinstance(outcome, BaseException):
                    fut.set_exception(outcome)
                else:
                    fut.set_result(outcome)

    def _note_storage(self, outcomes: list[object]) -> None:
        """Tell the listeners once when writes start failing for a storage reason, and
        once when one succeeds again; never once per write."""
        failure = next((o for o in outcomes if isinstance(o, StorageFailure)), None)
        if failure is not None:
            self.writes_refused += sum(isinstance(o, StorageFailure) for o in outcomes)
            self._last_refusal = time.monotonic()
            if self._storage_failure is not None:
                return
            self._storage_failure = failure
            log.error("%s (%s)", failure, failure.detail)
        elif (
            self._storage_failure is not None
            and any(not isinstance(o, BaseException) for o in outcomes)
            and time.monotonic() - self._last_refusal >= self.storage_recovery_quiet
        ):
            log.warning(
                "the database takes writes again; %d writes were refused meanwhile",
                self.writes_refused,
            )
            self._storage_failure = None
            self.writes_refused = 0
        else:
            return
        for listener in list(self._storage_listeners):
            try:
                listener(self._storage_failure)
            except Exception:
                log.exception("storage listener failed")

    def _storage_failure_from(self, exc: Exception) -> StorageFailure | None:
        problem = storage_problem(exc)
        if problem is None:
            return None
        original = exc.orig if isinstance(exc, DBAPIError) else exc
        if problem is not StorageProblem.FULL:
            # A connection SQLite opened read-only stays so, and one that met an I/O error
            # may hold a stale view: open afresh next time, so a fix takes effect at once.
            self.writer_engine.dispose()
        path = self.path
        return StorageFailure(problem, str(original), str(path) if path else "")

    def _commit(self, batch: list[_Pending]) -> list[object]:
        try:
            with self.writer_engine.begin() as conn:
                results = self._execute(conn, batch)
            self.batches_committed += 1
            self.operations_committed += len(batch)
            return results
        except Exception as exc:  # one bad op must not fail its neighbours
            failure = self._storage_failure_from(exc)
            if failure is not None:
                # The disk, not an operation, is at fault: one by one would fail alike.
                return [failure] * len(batch)
            if len(batch) == 1:
                # Its caller gets the error, as in the replay below: a refusal raised by a
                # check inside the write (InvalidInput) is no crash to log with a traceback.
                return [exc]
        # Replay one by one so only the failing operation reports its error.
        outcomes: list[object] = []
        for pending in batch:
            try:
                with self.writer_engine.begin() as conn:
                    outcomes.extend(self._execute(conn, [pending]))
                self.batches_committed += 1
                self.operations_committed += 1
            except Exception as exc:
                outcomes.append(self._storage_failure_from(exc) or exc)
        return outcomes

    @staticmethod
    def _execute(conn: Connection, batch: list[_Pending]) -> list[object]:
        results: list[object] = [None] * len(batch)
        groups: dict[GroupFlush, list[int]] = {}
        for index, pending in enumerate(batch):
            if pending.group is not None:
                groups.setdefault(pending.group, []).append(index)
            else:
                assert pending.op is not None
                results[index] = pending.op(conn)
        for flush, indexes in groups.items():
            outcomes = flush(conn, [batch[i].item for i in indexes])
            for index, outcome in zip(indexes, outcomes, strict=True):
                results[index] = outcome
        return results
