"""Store side of the meter sample rollups (issue 7): raw samples into 15-minute rollups,
and the raw samples that are rolled up and old enough deleted."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    cast,
    delete,
    func,
    insert,
    select,
    update,
)

from app.domain.analytics_rollup import RawSample, Rollup, roll_up
from app.store.repositories.analytics_facts import rolled_through
from app.store.schema import (
    meter_rollups,
    meter_samples,
    rollup_progress,
)

_M = meter_samples.c


def _utc(text: str) -> datetime:
    t = datetime.fromisoformat(text)
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _rollup_row(rollup: Rollup) -> dict[str, Any]:
    row = asdict(rollup)
    start = row["bucket_start"]
    row["first_offset"] = (row.pop("first_at") - start).total_seconds()
    row["last_offset"] = (row.pop("last_at") - start).total_seconds()
    return row


def roll_up_next(conn: Connection, now: datetime, most: int) -> int:
    """Roll up the next raw samples (at most `most` ids) past the progress mark."""
    p = rollup_progress.c
    row = conn.execute(select(p.rolled_through_id, p.seen_max_id)).first()
    highest = int(conn.execute(select(func.coalesce(func.max(_M.id), 0))).scalar_one())
    if row is None:
        conn.execute(
            insert(rollup_progress),
            {"id": 1, "rolled_through_id": 0, "seen_max_id": highest, "updated_at": now},
        )
        done, seen = 0, highest
    else:
        done, seen = int(row[0]), int(row[1])
    # One writer on SQLite: every id up to the highest is committed. Elsewhere an id
    # handed out may still be in flight, so only ids seen a run ago are taken.
    limit = highest if conn.dialect.name == "sqlite" else seen
    upto = min(done + most, limit)
    if upto <= done:
        conn.execute(update(rollup_progress).values(seen_max_id=highest, updated_at=now))
        return 0
    # The time as stored, parsed by fromisoformat: exact, and far cheaper than the
    # type's own conversion over millions of rows.
    rows = conn.execute(
        select(
            _M.station_id, _M.connector_id, _M.transaction_id, cast(_M.timestamp, String),
            _M.measurand, _M.unit, _M.phase, _M.location, _M.value,
        )
        .where((_M.id > done) & (_M.id <= upto))
        .order_by(_M.timestamp, _M.id)
    ).all()  # fmt: skip
    rollups = roll_up(
        RawSample(sid, cid, tx, _utc(at), m, unit, phase, loc, value)
        for sid, cid, tx, at, m, unit, phase, loc, value in rows
    )
    if rollups:
        conn.execute(insert(meter_rollups), [_rollup_row(r) for r in rollups])
    conn.execute(update(rollup_progress).values(rolled_through_id=upto, updated_at=now))
    return max(1, len(rows))


def drop_rolled(conn: Connection, station_id: str, cutoff: datetime) -> int:
    where = (_M.station_id == station_id) & (_M.timestamp < cutoff)
    return conn.execute(
        delete(meter_samples).where(where & (_M.id <= rolled_through(conn)))
    ).rowcount
