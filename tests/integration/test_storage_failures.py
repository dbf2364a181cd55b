"""A full disk or a read-only database file: a clear alarm once, chargers still answered,
nothing half-written, and everything back once the cause is put right."""

from __future__ import annotations

import asyncio
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, text

from app.bootstrap import Engine
from app.domain.alarms import AlarmFilter
from app.store.database import StorageFailure, StorageProblem
from app.store.integrity import STORAGE_ALARM, StorageAlarm
from app.store.repositories import SqlEventLog
from tests.fakes.raw_charger import RawCharger
from tests.fakes.waiting import until
from tests.integration.ocpp16_steps import add_tag, ago, booted, iso, start


def failing(engine: Engine) -> StorageFailure | None:
    return engine.db.storage_failure


def _db_file(engine: Engine) -> Path:
    path = engine.db.path
    assert path is not None
    return path


@contextmanager
def read_only(database: Path) -> Iterator[None]:
    """Make the database file and its -wal read-only, as a wrong permission or a disk
    remounted read-only does. Root ignores file modes, so as root the files are made
    immutable too. Never the -shm: SQLite maps it into memory, and an immutable mapping
    kills the process."""
    files = [database, database.with_name(database.name + "-wal")]
    as_root = os.geteuid() == 0
    if as_root and shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: a read-only file cannot be made")
    for f in files:
        f.chmod(0o444)
    if as_root:
        subprocess.run(["chattr", "+i", *map(str, files)], check=True)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", *map(str, files)], check=True)
        for f in files:
            f.chmod(0o644)


@contextmanager
def opened(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection committed and closed on leaving (sqlite3's own `with` only commits)."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            yield conn
    finally:
        conn.close()


def meter_values(transaction_id: int, value: int) -> dict[str, Any]:
    return {
        "connectorId": 1,
        "transactionId": transaction_id,
        "meterValue": [
            {
                "timestamp": iso(ago(0)),
                "sampledValue": [
                    {"value": str(value), "measurand": "Energy.Active.Import.Register"}
                ],
            }
        ],
    }


def stored_values(database: Path, transaction_id: int) -> set[int]:
    with opened(database) as conn:
        rows = conn.execute(
            "SELECT value FROM meter_samples WHERE transaction_id = ?", (transaction_id,)
        ).fetchall()
    return {int(r[0]) for r in rows}


def integrity(database: Path) -> str:
    with opened(database) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


async def charging(engine: Engine, url: str) -> tuple[RawCharger, int]:
    await add_tag(engine, "TAG-1")
    cp = await booted(url, "CP-DISK")
    answer = await start(cp, "TAG-1")
    return cp, int(answer["transactionId"])


def watch(engine: Engine) -> tuple[StorageAlarm, list[StorageFailure | None]]:
    seen: list[StorageFailure | None] = []
    engine.db.add_storage_listener(seen.append)
    alarm = StorageAlarm.attach(engine.db, SqlEventLog(engine.db), engine.services.clock)
    return alarm, seen


async def storage_alarms(engine: Engine) -> list[str]:
    found = await engine.services.alarms.find(AlarmFilter())
    return [a.message for a in found if a.kind == STORAGE_ALARM]


async def test_read_only_file_raises_one_alarm_and_loses_nothing(
    engine: Engine, ocpp_url: str
) -> None:
    database = _db_file(engine)
    cp, tx = await charging(engine, ocpp_url)
    alarm, seen = watch(engine)
    acknowledged = set()
    for value in range(1100, 1105):
        assert await cp.ok("MeterValues", meter_values(tx, value)) == {}
        acknowledged.add(value)

    with read_only(database):
        # Files already open keep their mode; a connection opened from now on sees it.
        engine.db.writer_engine.dispose()
        refused = []
        for value in range(1200, 1210):
            answer = await cp.call("MeterValues", meter_values(tx, value))
            assert answer[0] == 4, answer  # CALLERROR: the charger keeps it and resends
            assert answer[2] == "InternalError"
            refused.append(value)
        # Messages that need no write are still answered.
        assert "currentTime" in await cp.ok("Heartbeat", {})
        failure = failing(engine)
        assert failure is not None
        assert failure.problem in (StorageProblem.READ_ONLY, StorageProblem.IO_ERROR)
        assert "Nothing was saved" in str(failure)
        assert str(database) in str(failure)
        assert seen == [failure]  # once, not once per refused write
        # Reads still work: the control room can show what there is.
        assert stored_values(database, tx) == acknowledged

    # Writable again: the charger resends, and it is stored (no quiet spell here).
    engine.db.storage_recovery_quiet = 0.0
    for value in refused:
        assert await cp.ok("MeterValues", meter_values(tx, value)) == {}
        acknowledged.add(value)
    assert failing(engine) is None
    assert seen[1:] == [None]
    await until(lambda: alarm.alarms_raised == 1)
    [message] = await storage_alarms(engine)
    assert "read-only" in message or "disk I/O error" in message
    assert stored_values(database, tx) == acknowledged
    assert integrity(database) == "ok"
    await cp.close()


async def test_full_disk_raises_one_alarm_and_rolls_back_whole_transactions(
    engine: Engine, ocpp_url: str
) -> None:
    database = _db_file(engine)
    cp, tx = await charging(engine, ocpp_url)
    alarm, seen = watch(engine)

    def pages(conn: Connection) -> int:
        return int(conn.execute(text("PRAGMA page_count")).scalar_one())

    def limit_to(count: int) -> Any:
        def op(conn: Connection) -> int:
            return int(conn.execute(text(f"PRAGMA max_page_count = {count}")).scalar_one())

        return op

    # The disk is "full" once the file would grow past the pages it has now.
    full_at = await engine.db.write(pages)
    assert await engine.db.write(limit_to(full_at)) == full_at

    # One write that would have stored 2,000 rows and fails part way: none of them stays.
    before = await engine.db.read(
        lambda c: c.execute(text("SELECT count(*) FROM events")).scalar_one()
    )

    def many_events(conn: Connection) -> None:
        for n in range(2000):
            conn.execute(
                text(
                    "INSERT INTO events (timestamp, kind, severity, message, data) "
                    "VALUES (:t, 'test.bulk', 'info', :m, '{}')"
                ),
                {"t": ago(0), "m": f"row {n} " + "x" * 200},
            )

    with pytest.raises(StorageFailure) as raised:
        await engine.db.write(many_events)
    assert raised.value.problem is StorageProblem.FULL
    assert "disk holding the database is full" in str(raised.value)
    after = await engine.db.read(
        lambda c: c.execute(text("SELECT count(*) FROM events")).scalar_one()
    )
    assert after == before

    def count_bulk(conn: Connection) -> int:
        return int(
            conn.execute(text("SELECT count(*) FROM events WHERE kind = 'test.bulk'")).scalar_one()
        )

    assert await engine.db.read(count_bulk) == 0

    # Many writes in flight at once: each is stored whole or refused whole.
    def insert_event(n: int) -> Any:
        def op(conn: Connection) -> None:
            conn.execute(
                text(
                    "INSERT INTO events (timestamp, kind, severity, message, data) "
                    "VALUES (:t, 'test.many', 'info', :m, '{}')"
                ),
                {"t": ago(0), "m": f"many {n}"},
            )

        return op

    outcomes = await asyncio.gather(
        engine.db.write(many_events),
        *(engine.db.write(insert_event(n)) for n in range(20)),
        return_exceptions=True,
    )
    assert isinstance(outcomes[0], StorageFailure)

    def stored_many(conn: Connection) -> set[str]:
        rows = conn.execute(text("SELECT message FROM events WHERE kind = 'test.many'"))
        return {str(r[0]) for r in rows}

    stored = await engine.db.read(stored_many)
    for n, outcome in enumerate(outcomes[1:]):
        assert (f"many {n}" in stored) == (outcome is None), (n, outcome)
    assert await engine.db.read(count_bulk) == 0

    # The charger's samples fill the last free space; from then on each is refused.
    acknowledged = stored_values(database, tx)
    value = 2000
    while (answer := await cp.call("MeterValues", meter_values(tx, value)))[0] == 3:
        acknowledged.add(value)
        value += 1
        assert value < 7000, "the database never filled up"
    assert answer[2] == "InternalError"
    for value in range(8000, 8005):
        # A nearly full disk may still take a small write now and then: what is
        # acknowledged is stored, the rest is refused so the charger sends it again.
        answer = await cp.call("MeterValues", meter_values(tx, value))
        if answer[0] == 3:
            acknowledged.add(value)
        else:
            assert answer[2] == "InternalError"
    assert "currentTime" in await cp.ok("Heartbeat", {})
    assert failing(engine) is raised.value
    assert seen == [raised.value]  # once, however many writes were refused

    # Space again: the next write that succeeds ends the failure (no quiet spell here).
    # The limit is lifted in a group commit, so it can share a batch with a write the
    # full disk refuses (the frame log's, a station's last-seen time), and be refused
    # with it: a batch that meets a full disk is refused whole. Ask again until alone.
    engine.db.storage_recovery_quiet = 0.0
    lifted = None
    for _ in range(50):
        try:
            lifted = await engine.db.write(limit_to(1_000_000_000))
            break
        except StorageFailure:
            await asyncio.sleep(0.05)
    assert lifted is not None
    assert lifted >= full_at
    assert failing(engine) is None
    assert await cp.ok("MeterValues", meter_values(tx, 9000)) == {}
    acknowledged.add(9000)
    assert seen[1:] == [None]
    assert stored_values(database, tx) == acknowledged
    await until(lambda: alarm.alarms_raised == 1)
    [message] = await storage_alarms(engine)
    assert "disk holding the database is full" in message
    assert integrity(database) == "ok"
    await cp.close()


async def test_engine_stops_cleanly_during_a_storage_failure(settings: Any) -> None:
    """Queued writes that cannot be stored are refused, not hung on, at shutdown."""
    async with Engine(settings) as engine:
        database = _db_file(engine)
        with read_only(database):
            engine.db.writer_engine.dispose()
            with pytest.raises(StorageFailure):
                await engine.db.write(
                    lambda c: c.execute(
                        text(
                            "INSERT INTO events (timestamp, kind, severity, message, data) "
                            "VALUES (:t, 'test.x', 'info', 'x', '{}')"
                        ),
                        {"t": ago(0)},
                    )
                )
            engine.db.write_nowait(lambda c: c.execute(text("DELETE FROM events")))
        # Writable again before the engine stops: its last flush commits.
    assert integrity(database) == "ok"
