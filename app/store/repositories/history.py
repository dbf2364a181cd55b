"""Store side of app/services/history.py: the graphs' aggregates, computed in SQL.

Only aggregates leave the database: one row per connector and bucket for
power, one per transaction and local day for energy. Bucket numbers come
from epoch arithmetic that SQLite and PostgreSQL each spell their own way;
day slots come from a CASE over the UTC instants of local midnights, so the
database needs no time-zone data.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Integer,
    Row,
    String,
    TextualSelect,
    bindparam,
    case,
    func,
    or_,
    select,
    text,
    type_coerce,
)

from app.domain.history import (
    BucketGrid,
    RegisterSpan,
    StatusChange,
    TransactionSpan,
)
from app.domain.history_columns import PowerMark, PowerRead
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import TransactionState
from app.store.database import Database
from app.store.repositories.history_power import as_utc, read_power
from app.store.schema import (
    UtcDateTime,
    connectors,
    meter_samples,
    transactions,
)

POWER = "Power.Active.Import"
# How far ahead of ours a station's clock may run: what bounds, through received_at,
# where a status report that happened at a given time can be in the index.
CLOCK_AHEAD = timedelta(days=1)
PHASES = ("L1", "L2", "L3", "L1-N", "L2-N", "L3-N")
_CHUNK = 500


def _outlet(location: ColumnElement[str | None]) -> ColumnElement[bool]:
    return or_(location.is_(None), location == "Outlet")


_STATES = {state.value: state for state in TransactionState}


def _span_from_row(
    id_: int,
    station_id: str,
    connector_id: int,
    started_at: Any,
    stopped_at: Any,
    meter_start: float,
    meter_stop: float | None,
    state_value: str,
    last_meter_at: Any,
    last_meter_wh: float | None,
) -> TransactionSpan:
    """A session's row, its times as stored (see as_utc)."""
    state = _STATES[state_value]
    if state is TransactionState.CLOSED:
        ended_at, meter_end = stopped_at, meter_stop
    elif state is TransactionState.SUSPECT:
        # Silent for too long: it ends, as far as anyone knows, at its last reading.
        ended_at, meter_end = last_meter_at or started_at, last_meter_wh
    else:
        ended_at, meter_end = None, None
    return TransactionSpan(
        id=id_,
        station_id=station_id,
        connector_id=connector_id,
        started_at=as_utc(started_at),
        ended_at=None if ended_at is None else as_utc(ended_at),
        meter_start_wh=float(meter_start),
        meter_end_wh=float(meter_end) if meter_end is not None else None,
    )


def _spans(conn: Connection, start: datetime, end: datetime) -> list[TransactionSpan]:
    t = transactions.c
    # The start wrapped in an expression: the planner then finds the few sessions that
    # end after start (or are open) on ix_transactions_stopped, rather than walking
    # every session that started before end on ix_transactions_started.
    began = func.coalesce(t.started_at, t.started_at)
    # Times as stored: only the ones used become datetimes (7 days: 2,800 sessions).
    rows = conn.execute(
        select(
            t.id,
            t.station_id,
            t.connector_id,
            type_coerce(t.started_at, String),
            type_coerce(t.stopped_at, String),
            t.meter_start,
            t.meter_stop,
            t.state,
            type_coerce(t.last_meter_at, String),
            t.last_meter_wh,
        )
        .where(
            (began < end)
            & (t.connector_id > 0)
            & or_(t.stopped_at.is_(None), t.stopped_at >= start)
        )
        .order_by(began)
    )
    return [
        _span_from_row(tid, sid, cid, began_at, stopped, m0, m1, state, last_at, last_wh)
        for tid, sid, cid, began_at, stopped, m0, m1, state, last_at, last_wh in rows
    ]


class SqlHistoryRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def power_columns(
        self, grid: BucketGrid, since: tuple[BucketGrid, PowerMark] | None = None
    ) -> PowerRead:
        """Per-connector power aggregates per bucket, as columns; given a previous
        read (its grid and mark), only the buckets from the first that changed
        (app/store/repositories/history_power.py)."""
        return await self._db.read(lambda conn: read_power(conn, grid, since))

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
                or _crosses(bounds, s.started_at, s.ended_at)
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
        data), each connector (of the connectors table) is probed through
        ix_status_history_connector (station, connector, received_at), a hundred
        probes to a statement: a report's received_at bounds where it can be, since no
        station clock runs more than CLOCK_AHEAD ahead of ours (a late report is found
        however late). The range itself is read on (station, received_at). The cost
        grows with the reports received since start, which for the graphs (ranges
        that end now) is the range itself (bench/analytics_bench.py)."""

        def op(conn: Connection) -> list[StatusChange]:
            reported = _reported_connectors(conn)
            rows: list[Row[Any, Any, Any, Any]] = []
            # Each probe is one index seek; many go in one statement (UNION ALL).
            seen: dict[tuple[str, int], Any] = {}
            for chunk in _chunks(reported, _PROBES):
                # The latest report received before start that happened before it; any
                # report that happened later was received after its time - CLOCK_AHEAD.
                params: dict[str, Any] = {"start": start}
                for i, (sid, cid) in enumerate(chunk):
                    params[f"s{i}"], params[f"c{i}"] = sid, cid
                for sid, cid, when in conn.execute(_received_before(len(chunk)), params):
                    seen[(sid, int(cid))] = when
            for chunk in _chunks(reported, _PROBES):
                params = {"start": start}
                for i, (sid, cid) in enumerate(chunk):
                    params[f"s{i}"], params[f"c{i}"] = sid, cid
                    params[f"r{i}"] = _since(seen.get((sid, cid)), start)
                rows += conn.execute(_state_before(len(chunk)), params).all()
            if reported:
                rows += conn.execute(
                    _changes_between(),
                    {
                        "stations": sorted({sid for sid, _ in reported}),
                        "since": start - CLOCK_AHEAD,
                        "start": start,
                        "end": end,
                    },
                ).all()
            return [
                StatusChange(sid, int(cid), as_utc(when), status) for sid, cid, when, status in rows
            ]

        return await self._db.read(op)

    async def connector_count(self) -> int:
        def op(conn: Connection) -> int:
            query = (
                select(func.count()).select_from(connectors).where(connectors.c.connector_id > 0)
            )
            return int(conn.execute(query).scalar_one())

        return await self._db.read(op)


_PROBES = 100


def _chunks(items: list[tuple[str, int]], size: int) -> list[list[tuple[str, int]]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _since(seen: Any, start: datetime) -> datetime:
    return start if seen is None else as_utc(seen) - CLOCK_AHEAD


# The status statements are written out (the same for every chunk of a size) rather
# than built from expressions: building 200 probes each time took 0.2 s.
_AT = "coalesce(station_timestamp, received_at)"


def _times(*names: str) -> list[BindParameter[datetime]]:
    return [bindparam(name, type_=UtcDateTime()) for name in names]


def _probe_union(selects: list[str]) -> str:
    """Each probe a subquery of its own, so its ORDER BY and LIMIT stay."""
    return " UNION ALL ".join(f"SELECT * FROM ({q}) AS p{i}" for i, q in enumerate(selects))


@cache
def _received_before(n: int) -> TextualSelect:
    probes = [
        f"SELECT station_id, connector_id, {_AT} AS at FROM status_history"
        f" WHERE station_id = :s{i} AND connector_id = :c{i}"
        f" AND received_at < :start AND {_AT} < :start"
        " ORDER BY received_at DESC, id DESC LIMIT 1"
        for i in range(n)
    ]
    return (
        text(_probe_union(probes))
        .bindparams(*_times("start"))
        .columns(station_id=String, connector_id=Integer, at=String)
    )


@cache
def _state_before(n: int) -> TextualSelect:
    probes = [
        f"SELECT station_id, connector_id, {_AT} AS at, status FROM status_history"
        f" WHERE station_id = :s{i} AND connector_id = :c{i}"
        f" AND received_at >= :r{i} AND {_AT} < :start"
        f" ORDER BY {_AT} DESC, id DESC LIMIT 1"
        for i in range(n)
    ]
    return (
        text(_probe_union(probes))
        .bindparams(*_times("start", *(f"r{i}" for i in range(n))))
        .columns(station_id=String, connector_id=Integer, at=String, status=String)
    )


@cache
def _changes_between() -> TextualSelect:
    # connector_id + 0: a range of (station, received_at), not every report of the
    # station on (station, connector).
    return (
        text(
            f"SELECT station_id, connector_id, {_AT} AS at, status FROM status_history"
            " WHERE station_id IN :stations AND connector_id + 0 > 0"
            f" AND received_at >= :since AND {_AT} >= :start AND {_AT} < :end"
            f" ORDER BY {_AT}, id"
        )
        .bindparams(bindparam("stations", expanding=True), *_times("since", "start", "end"))
        .columns(station_id=String, connector_id=Integer, at=String, status=String)
    )


def _reported_connectors(conn: Connection) -> list[tuple[str, int]]:
    """Every (station, connector > 0) that may have a status report: the connectors
    table, to which the store adds a connector with its first report (in the same
    transaction). A connector without one is probed and found to have none."""
    c = connectors.c
    query = (
        select(c.station_id, c.connector_id)
        .where(c.connector_id > 0)
        .order_by(c.station_id, c.connector_id)
    )
    return [(str(sid), int(cid)) for sid, cid in conn.execute(query)]


def _crosses(bounds: Sequence[datetime], start: datetime, end: datetime) -> bool:
    """Whether a bound lies strictly between start and end (bounds ascend)."""
    after = bisect_right(bounds, start)
    return after < len(bounds) and bounds[after] < end
