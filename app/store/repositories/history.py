"""Store side of app/services/history.py: the graphs' aggregates, computed in SQL.

Only aggregates leave the database: one row per connector and bucket for
power, one per transaction and local day for energy. Bucket numbers come
from epoch arithmetic that SQLite and PostgreSQL each spell their own way;
day slots come from a CASE over the UTC instants of local midnights, so the
database needs no time-zone data.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Integer,
    Row,
    case,
    cast,
    distinct,
    extract,
    func,
    or_,
    select,
    tuple_,
)

from app.domain.history import (
    BucketGrid,
    PowerBucket,
    RegisterSpan,
    StatusChange,
    TransactionSpan,
)
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import TransactionState
from app.store.database import Database
from app.store.schema import connectors, meter_samples, stations, status_history, transactions

POWER = "Power.Active.Import"
# How far ahead of ours a station's clock may run: what bounds, through received_at,
# where a status report that happened at a given time can be in the index.
CLOCK_AHEAD = timedelta(days=1)
PHASES = ("L1", "L2", "L3", "L1-N", "L2-N", "L3-N")
_CHUNK = 500


def _bucket_index(
    column: ColumnElement[datetime], grid: BucketGrid, dialect: str
) -> ColumnElement[int]:
    start = int(grid.start_epoch)
    if dialect == "sqlite":
        # Timestamps are stored as text; strftime('%s') gives whole epoch seconds.
        seconds = cast(func.strftime("%s", column), Integer)
        return cast((seconds - start) / grid.width, Integer)
    return cast(func.floor((extract("epoch", column) - start) / grid.width), Integer)


def _outlet(location: ColumnElement[str | None]) -> ColumnElement[bool]:
    return or_(location.is_(None), location == "Outlet")


def _span_from_row(row: object) -> TransactionSpan:
    m = row._mapping  # type: ignore[attr-defined]
    state = TransactionState(m["state"])
    if state is TransactionState.CLOSED:
        ended_at, meter_end = m["stopped_at"], m["meter_stop"]
    elif state is TransactionState.SUSPECT:
        # Silent for too long: it ends, as far as anyone knows, at its last reading.
        ended_at, meter_end = m["last_meter_at"] or m["started_at"], m["last_meter_wh"]
    else:
        ended_at, meter_end = None, None
    return TransactionSpan(
        id=m["id"],
        station_id=m["station_id"],
        connector_id=m["connector_id"],
        started_at=m["started_at"],
        ended_at=ended_at,
        meter_start_wh=float(m["meter_start"]),
        meter_end_wh=float(meter_end) if meter_end is not None else None,
    )


def _spans(conn: Connection, start: datetime, end: datetime) -> list[TransactionSpan]:
    t = transactions.c
    rows = conn.execute(
        select(
            t.id,
            t.station_id,
            t.connector_id,
            t.started_at,
            t.stopped_at,
            t.meter_start,
            t.meter_stop,
            t.state,
            t.last_meter_at,
            t.last_meter_wh,
        )
        .where(
            (t.started_at < end)
            & (t.connector_id > 0)
            & or_(t.stopped_at.is_(None), t.stopped_at >= start)
        )
        .order_by(t.started_at)
    )
    return [_span_from_row(r) for r in rows]


class SqlHistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def power_buckets(self, grid: BucketGrid) -> list[PowerBucket]:
        def op(conn: Connection) -> list[PowerBucket]:
            # Naming the stations lets both databases use (station_id, timestamp).
            station_ids = list(conn.execute(select(stations.c.id)).scalars())
            if not station_ids or grid.count == 0:
                return []
            m = meter_samples.c
            index = _bucket_index(m.timestamp, grid, conn.dialect.name).label("i")
            no_phase = m.phase.is_(None)
            per_phase = m.phase.in_(PHASES)
            query = (
                select(
                    m.station_id,
                    m.connector_id,
                    index,
                    func.coalesce(func.sum(case((no_phase, m.value))), 0.0),
                    func.count(case((no_phase, 1))),
                    func.coalesce(func.sum(case((per_phase, m.value))), 0.0),
                    func.count(distinct(case((per_phase, m.timestamp)))),
                    func.max(m.timestamp),
                )
                .where(
                    m.station_id.in_(station_ids)
                    & (m.timestamp >= grid.start)
                    & (m.timestamp < grid.end)
                    & (m.measurand == POWER)
                    & (m.unit == "W")
                    & (m.connector_id > 0)
                    & _outlet(m.location)
                )
                .group_by(m.station_id, m.connector_id, index)
            )
            return [
                PowerBucket(sid, cid, int(i), float(ts), int(tn), float(ps), int(pn), last)
                for sid, cid, i, ts, tn, ps, pn, last in conn.execute(query)
            ]

        return await self._db.read(op)

    async def transaction_spans(self, start: datetime, end: datetime) -> list[TransactionSpan]:
        def op(conn: Connection) -> list[TransactionSpan]:
            return _spans(conn, start, end)

        return await self._db.read(op)

    async def energy_by_slot(
        self, bounds: Sequence[datetime]
    ) -> tuple[list[TransactionSpan], list[RegisterSpan]]:
        """Transactions overlapping bounds[0]..bounds[-1], and their register readings
        grouped by slot (-1 before the first bound, len(bounds)-1 after the last)."""

        def op(conn: Connection) -> tuple[list[TransactionSpan], list[RegisterSpan]]:
            spans = _spans(conn, bounds[0], bounds[-1])
            m = meter_samples.c
            slot = case(
                *[(m.timestamp < bound, i - 1) for i, bound in enumerate(bounds)],
                else_=len(bounds) - 1,
            ).label("slot")
            registers: list[RegisterSpan] = []
            # A finished session inside one slot needs no samples: its meter start and
            # stop say it all. Only sessions crossing a bound (or still open) are split.
            ids = [
                s.id
                for s in spans
                if s.ended_at is None
                or s.meter_end_wh is None
                or any(s.started_at < bound < s.ended_at for bound in bounds)
            ]
            for offset in range(0, len(ids), _CHUNK):
                query = (
                    select(
                        m.transaction_id,
                        slot,
                        func.min(m.timestamp),
                        func.min(m.value),
                        func.max(m.timestamp),
                        func.max(m.value),
                    )
                    .where(
                        m.transaction_id.in_(ids[offset : offset + _CHUNK])
                        & (m.measurand == ENERGY_REGISTER)
                        & m.phase.is_(None)
                        & (m.unit == "Wh")
                        & _outlet(m.location)
                    )
                    .group_by(m.transaction_id, slot)
                )
                registers.extend(
                    RegisterSpan(int(tx), int(s), first_at, float(lo), last_at, float(hi))
                    for tx, s, first_at, lo, last_at, hi in conn.execute(query)
                )
            return spans, registers

        return await self._db.read(op)

    async def status_changes(self, start: datetime, end: datetime) -> list[StatusChange]:
        """Every connector's last report before start, then every report up to end.

        Reports are ordered by the station's own time (`at`), as the connectors table
        orders them, so a queued report that arrives late lands where it happened.
        Rather than ranking every status report ever stored (seconds on a year of
        data), each connector is probed through ix_status_history_connector
        (station, connector, received_at): connectors are found by skip-scan, and
        a report's received_at bounds where it can be, since no station clock runs
        more than CLOCK_AHEAD ahead of ours (a late report is found however late).
        The cost grows with the reports received since start, which for the graphs
        (ranges that end now) is the range itself: 0.4 s instead of 2 s for a 24 h
        graph over a year of 50 stations (bench/analytics_bench.py)."""

        def op(conn: Connection) -> list[StatusChange]:
            s = status_history.c
            at = func.coalesce(s.station_timestamp, s.received_at)
            reported = _reported_connectors(conn)
            rows: list[Row[Any, Any, Any, Any]] = []
            for sid, cid in reported:
                pair = (s.station_id == sid) & (s.connector_id == cid)
                # The latest report received before start that happened before it;
                # any report that happened later was received after its time - CLOCK_AHEAD.
                seen = conn.execute(
                    select(at)
                    .where(pair & (s.received_at < start) & (at < start))
                    .order_by(s.received_at.desc(), s.id.desc())
                    .limit(1)
                ).scalar()
                since = start if seen is None else _utc(seen) - CLOCK_AHEAD
                last = conn.execute(
                    select(s.station_id, s.connector_id, at, s.status)
                    .where(pair & (s.received_at >= since) & (at < start))
                    .order_by(at.desc(), s.id.desc())
                    .limit(1)
                ).first()
                if last is not None:
                    rows.append(last)
            if reported:
                rows += conn.execute(
                    select(s.station_id, s.connector_id, at, s.status)
                    .where(
                        s.station_id.in_(sorted({sid for sid, _ in reported}))
                        & (s.connector_id > 0)
                        & (s.received_at >= start - CLOCK_AHEAD)
                        & (at >= start)
                        & (at < end)
                    )
                    .order_by(at, s.id)
                ).all()
            return [StatusChange(sid, cid, when, status) for sid, cid, when, status in rows]

        return await self._db.read(op)

    async def connector_count(self) -> int:
        def op(conn: Connection) -> int:
            query = (
                select(func.count()).select_from(connectors).where(connectors.c.connector_id > 0)
            )
            return int(conn.execute(query).scalar_one())

        return await self._db.read(op)


def _reported_connectors(conn: Connection) -> list[tuple[str, int]]:
    """Every (station, connector > 0) with a status report: a skip-scan of
    ix_status_history_connector, one index seek per connector."""
    s = status_history.c
    found: list[tuple[str, int]] = []
    after: tuple[str, int] | None = None
    while True:
        query = select(s.station_id, s.connector_id).where(s.connector_id > 0)
        if after is not None:
            query = query.where(tuple_(s.station_id, s.connector_id) > tuple_(*after))
        row = conn.execute(query.order_by(s.station_id, s.connector_id).limit(1)).first()
        if row is None:
            return found
        after = (str(row[0]), int(row[1]))
        found.append(after)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
