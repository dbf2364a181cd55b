"""The graphs' power aggregates (app/store/repositories/history.py), read whole or
only from the first bucket that changed since a previous read.

Whole: one row per connector and bucket, summed in SQL. Since a previous read
(SQLite only): SQLite gives a new row an id above every committed one, so the
samples stored since are those above the previous read's highest id; the buckets
from the earliest of them on (and any beyond the previous range) are read again,
by the same statement, and the rest are kept. That the kept ones are still
there is checked by counting, on the index, the samples up to the previous
highest id in the previous range: housekeeping's rollups (or a station's
deletion) change that count, and the whole grid is read again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    String,
    case,
    cast,
    distinct,
    extract,
    func,
    or_,
    select,
    type_coerce,
)

from app.domain.history import BucketGrid
from app.domain.history_columns import ColumnsBuilder, PowerColumns, PowerMark, PowerRead
from app.store.schema import meter_samples, stations

POWER = "Power.Active.Import"
PHASES = ("L1", "L2", "L3", "L1-N", "L2-N", "L3-N")
_M = meter_samples.c


def _bucket_index(
    column: ColumnElement[datetime], grid: BucketGrid, dialect: str
) -> ColumnElement[int]:
    start = int(grid.start_epoch)
    if dialect == "sqlite":
        # Timestamps are stored as text; strftime('%s') gives whole epoch seconds.
        seconds = cast(func.strftime("%s", column), Integer)
        return cast((seconds - start) / grid.width, Integer)
    return cast(func.floor((extract("epoch", column) - start) / grid.width), Integer)


def _power_samples(station_ids: list[str], start: datetime, end: datetime) -> ColumnElement[bool]:
    """The active import power samples of the connectors (not connector 0) in start..end."""
    return (
        _M.station_id.in_(station_ids)
        & (_M.timestamp >= start)
        & (_M.timestamp < end)
        & (_M.measurand == POWER)
        & (_M.unit == "W")
        & (_M.connector_id > 0)
        & or_(_M.location.is_(None), _M.location == "Outlet")
    )


def read_power(
    conn: Connection, grid: BucketGrid, since: tuple[BucketGrid, PowerMark] | None
) -> PowerRead:
    # Naming the stations lets both databases use (station_id, timestamp).
    station_ids = list(conn.execute(select(stations.c.id)).scalars())
    if not station_ids or grid.count == 0:
        return PowerRead(PowerColumns.empty(), 0, None)
    # Read first: a sample stored meanwhile is above it, so read again next time.
    highest = (
        int(conn.execute(select(func.coalesce(func.max(_M.id), 0))).scalar_one())
        if conn.dialect.name == "sqlite"
        else None
    )
    first, before = 0, 0
    if since is not None and highest is not None:
        changed = _first_changed(conn, grid, since, highest, station_ids)
        if changed is not None:
            first, before = changed
    columns = _aggregate(conn, grid, first, station_ids)
    if highest is None:
        return PowerRead(columns, first, None)
    lower = grid.start + timedelta(seconds=first * grid.width)
    samples = before + _count(conn, station_ids, lower, grid.end, highest)
    return PowerRead(columns, first, PowerMark(highest, samples))


def _count(
    conn: Connection, station_ids: list[str], start: datetime, end: datetime, highest: int
) -> int:
    """Power samples (of any unit or connector: deleting any shows) in start..end with
    an id up to highest, counted on ix_meter_samples_power."""
    where = (
        _M.station_id.in_(station_ids)
        & (_M.timestamp >= start)
        & (_M.timestamp < end)
        & (_M.measurand == POWER)
        & (_M.id <= highest)
    )
    return int(conn.execute(select(func.count()).where(where)).scalar_one())


def _first_changed(
    conn: Connection,
    grid: BucketGrid,
    since: tuple[BucketGrid, PowerMark],
    highest: int,
    station_ids: list[str],
) -> tuple[int, int] | None:
    """(first bucket to read again, samples up to highest before it), or None when the
    previous read cannot be kept (another width or an earlier range, or deletions)."""
    old, mark = since
    if old.width != grid.width or old.start > grid.start or old.end > grid.end:
        return None
    earliest = conn.execute(
        select(type_coerce(func.min(_M.timestamp), String)).where(
            (_M.id > mark.sample_id) & (_M.id <= highest) & (_M.measurand == POWER)
        )
    ).scalar_one()
    first = grid.index_of(old.end)
    if earliest is not None:
        first = min(first, grid.index_of(as_utc(earliest)))
    first = max(0, first)
    lower = grid.start + timedelta(seconds=first * grid.width)

    # Every sample above the previous highest id is at or after `lower`, so the samples
    # up to highest before `lower` are the kept ones but those before the new start.
    def count(start: datetime, end: datetime) -> int:
        return _count(conn, station_ids, start, end, mark.sample_id)

    kept = count(old.start, old.end)
    if kept != mark.samples:
        return None
    before = kept - count(old.start, grid.start) - count(lower, old.end)
    return first, int(before)


def _aggregate(
    conn: Connection, grid: BucketGrid, first: int, station_ids: list[str]
) -> PowerColumns:
    """Buckets first… of the grid as columns."""
    m = _M
    index = _bucket_index(m.timestamp, grid, conn.dialect.name).label("i")
    no_phase = m.phase.is_(None)
    per_phase = m.phase.in_(PHASES)
    lower = grid.start + timedelta(seconds=first * grid.width)
    query = (
        select(
            m.station_id,
            m.connector_id,
            index,
            func.coalesce(func.sum(case((no_phase, m.value))), 0.0),
            func.count(case((no_phase, 1))),
            func.coalesce(func.sum(case((per_phase, m.value))), 0.0),
            func.count(distinct(case((per_phase, m.timestamp)))),
            # As stored: no datetime per row (see as_utc).
            type_coerce(func.max(m.timestamp), String),
        )
        .where(_power_samples(station_ids, lower, grid.end))
        .group_by(m.station_id, m.connector_id, index)
        .order_by(m.station_id, m.connector_id, index)
    )
    builder = ColumnsBuilder(grid.count)
    add = builder.add
    for sid, cid, i, ts, tn, ps, pn, last in conn.execute(query):
        # PowerBucket.weight(): the total's samples, else the phases' instants.
        if tn:
            add(sid, cid, int(i), float(ts), int(tn), last)
        else:
            add(sid, cid, int(i), float(ps), int(pn), last)
    return builder.build(as_utc)


def as_utc(value: Any) -> datetime:
    """A stored timestamp read raw: SQLite's text (the DateTime type's fixed-width
    'YYYY-MM-DD HH:MM:SS.ffffff', so ordered as text as in time) or a datetime."""
    if isinstance(value, str):
        # Parsed with its offset: five times quicker than replacing the zone after.
        return datetime.fromisoformat(value + "+00:00")
    assert isinstance(value, datetime)
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
