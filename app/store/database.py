"""Engine set-up and the group-committing writer.

All writes go through one writer thread. Operations submitted while a commit
is in flight are gathered and committed together in the next transaction, so
one fsync acknowledges many charger messages: durability without giving up
throughput. Reads run on their own threads and never block the writer (WAL).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

T = TypeVar("T")
Operation = Callable[[Connection], T]

MAX_BATCH = 2000


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
        with self.writer_engine.begin() as conn:
            return op(conn)

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
            for pending, outcome in zip(batch, outcomes, strict=True):
                fut = pending.future
                if fut is None:
                    if isinstance(outcome, BaseException):
                        log.error("background write failed: %s", outcome)
                    continue
                if fut.done():
                    continue
                if isinstance(outcome, BaseException):
                    fut.set_exception(outcome)
                else:
                    fut.set_result(outcome)

    def _commit(self, batch: list[_Pending]) -> list[object]:
        try:
            with self.writer_engine.begin() as conn:
                results = self._execute(conn, batch)
            self.batches_committed += 1
            self.operations_committed += len(batch)
            return results
        except Exception as exc:  # one bad op must not fail its neighbours
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
                outcomes.append(exc)
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
