"""Store side of app/services/analytics.py: the facts behind the reports, and the rollups.

SQLAlchemy Core only, the same on SQLite and PostgreSQL. Times leave the
database as epoch seconds (rounded to the millisecond in SQL) because the
reports fold hundreds of thousands of rows and parsing datetimes would cost
more than the arithmetic. Meter data comes from the raw samples and from
meter_rollups alike; the two never cover the same 15-minute bucket.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    cast,
    delete,
    extract,
    func,
    insert,
    or_,
    select,
)

from app.domain.analytics import (
    Authorisation,
    ConnectorPeak,
    ConnectorRef,
    LinkChange,
    PowerPeak,
    Reading,
    SessionFact,
    SiteFacts,
    StatusReport,
    epoch,
    instant,
)
from app.domain.analytics_rollup import ROLLUP_SECONDS, RawSample, bucket_start, roll_up
from app.domain.errors import NotFound
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import TransactionState
from app.store.database import Database
from app.store.schema import (
    connectors,
    events,
    meter_rollups,
    meter_samples,
    session_charges,
    site_connection_limits,
    sites,
    station_positions,
    stations,
    status_history,
    transactions,
)

POWER = "Power.Active.Import"
LINK_KINDS = ("station.connected", "station.disconnected")
# Authorize answered Accepted: a registered tag (logged by TransactionService.authorize
# once it records acceptances) or a walk-in.
AUTHORISED_KINDS = ("authorization.accepted", "authorization.walk_in")
# A report received this long before a period may still have happened inside it
# (a station's clock ahead of ours); older ones only set the state it begins in.
_CLOCK_SLACK = timedelta(days=1)
_CHUNK = 500
_M, _R = meter_samples.c, meter_rollups.c


def _epoch(column: ColumnElement[Any], dialect: str) -> ColumnElement[float]:
    if dialect == "sqlite":
        millis = func.round((func.julianday(column) - 2440587.5) * 86_400_000.0)
        return cast(millis / 1000.0, Float)
    return cast(extract("epoch", column), Float)


def _quarter_hour(column: ColumnElement[Any], dialect: str) -> ColumnElement[int]:
    """The 15-minute bucket number of a time (epoch seconds ÷ 900, rounded down)."""
    if dialect == "sqlite":
        return cast(cast(func.strftime("%s", column), Integer) / ROLLUP_SECONDS, Integer)
    return cast(func.floor(extract("epoch", column) / ROLLUP_SECONDS), Integer)


def _outlet(location: ColumnElement[str | None]) -> ColumnElement[bool]:
    return or_(location.is_(None), location == "Outlet")


def station_ids(conn: Connection, site_id: int | None) -> tuple[str, list[str]]:
    """The site's name and its stations (every station, named "", for site None)."""
    if site_id is None:
        return "", sorted(conn.execute(select(stations.c.id)).scalars())
    name = conn.execute(select(sites.c.name).where(sites.c.id == site_id)).scalar()
    if name is None:
        raise NotFound(f"No site with id {site_id}")
    ids = conn.execute(
        select(station_positions.c.station_id).where(station_positions.c.site_id == site_id)
    ).scalars()
    return str(name), sorted(ids)


def _connectors(conn: Connection, ids: list[str]) -> list[ConnectorRef]:
    c = connectors.c
    rows = conn.execute(
        select(c.station_id, c.connector_id).where(c.station_id.in_(ids) & (c.connector_id > 0))
    )
    return [ConnectorRef(sid, cid) for sid, cid in rows]


def _statuses(
    conn: Connection, refs: list[ConnectorRef], ids: list[str], start: datetime, end: datetime
) -> list[StatusReport]:
    s = status_history.c
    at = func.coalesce(s.station_timestamp, s.received_at)
    columns = (s.station_id, s.connector_id, _epoch(at, conn.dialect.name), s.status, s.error_code)
    rows: list[Any] = []
    for ref in refs:  # the state each connector begins the period in: one index probe each
        rows += conn.execute(
            select(*columns)
            .where(
                (s.station_id == ref.station_id)
                & (s.connector_id == ref.connector_id)
                & (s.received_at < start)
            )
            .order_by(s.received_at.desc(), s.id.desc())
            .limit(1)
        ).all()
    rows += conn.execute(
        select(*columns)
        .where(
            s.station_id.in_(ids)
            & (s.connector_id > 0)
            & (s.received_at >= start - _CLOCK_SLACK)
            & (at < end)
        )
        .order_by(at, s.id)
    ).all()
    return [StatusReport(sid, cid, float(t), st, err) for sid, cid, t, st, err in rows]


def _links(conn: Connection, ids: list[str], start: datetime, end: datetime) -> list[LinkChange]:
    e = events.c
    columns = (e.station_id, _epoch(e.timestamp, conn.dialect.name), e.kind)
    rows: list[Any] = []
    for sid in ids:
        rows += conn.execute(
            select(*columns)
            .where((e.station_id == sid) & e.kind.in_(LINK_KINDS) & (e.timestamp < start))
            .order_by(e.timestamp.desc(), e.id.desc())
            .limit(1)
        ).all()
    rows += conn.execute(
        select(*columns)
        .where(
            e.kind.in_(LINK_KINDS)
            & e.station_id.in_(ids)
            & (e.timestamp >= start)
            & (e.timestamp < end)
        )
        .order_by(e.timestamp, e.id)
    ).all()
    return [LinkChange(sid, float(t), kind == "station.connected") for sid, t, kind in rows]


def sessions(conn: Connection, ids: list[str], start: datetime, end: datetime) -> list[SessionFact]:
    """Transactions on the stations overlapping start..end, with their final price."""
    t, c = transactions.c, session_charges.c
    d = conn.dialect.name
    query = (
        select(
            t.id,
            t.station_id,
            t.connector_id,
            t.id_tag,
            _epoch(t.started_at, d),
            t.state,
            _epoch(t.stopped_at, d),
            t.meter_start,
            t.meter_stop,
            _epoch(t.last_meter_at, d),
            t.last_meter_wh,
            c.total_minor,
            c.final,
        )
        .select_from(transactions.outerjoin(session_charges, c.transaction_id == t.id))
        .where(
            t.station_id.in_(ids)
            & (t.connector_id > 0)
            & (t.started_at < end)
            & or_(t.stopped_at.is_(None), t.stopped_at >= start)
        )
        .order_by(t.started_at, t.id)
    )
    out = []
    for (
        tid,
        sid,
        cid,
        tag,
        began,
        state,
        stopped,
        m0,
        m1,
        last_at,
        last_wh,
        total,
        final,
    ) in conn.execute(query):
        ended: float | None
        if state == TransactionState.CLOSED.value:
            ended, meter_end = stopped, m1
        elif state == TransactionState.SUSPECT.value:
            # Silent too long: it ended, as far as anyone knows, at its last reading.
            ended, meter_end = (last_at if last_at is not None else began), last_wh
        else:
            ended, meter_end = None, None
        revenue = int(total) if final and total is not None else None
        out.append(
            SessionFact(
                int(tid),
                sid,
                int(cid),
                tag,
                float(began),
                None if ended is None else float(ended),
                float(m0),
                None if meter_end is None else float(meter_end),
                revenue,
            )
        )
    return out


def _readings(
    conn: Connection, facts: Sequence[SessionFact], start: float, end: float
) -> list[Reading]:
    """Register readings of the sessions a period's bounds cut (or still open)."""
    ids = [
        s.id
        for s in facts
        if s.ended_at is None or s.meter_end_wh is None or s.started_at < start or s.ended_at > end
    ]
    d = conn.dialect.name
    out: list[Reading] = []
    register = (_M.measurand == ENERGY_REGISTER) & _M.phase.is_(None) & (_M.unit == "Wh")
    rolled = (_R.measurand == ENERGY_REGISTER) & _R.phase.is_(None) & (_R.unit == "Wh")
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        raw = select(_M.transaction_id, _epoch(_M.timestamp, d), _M.value).where(
            _M.transaction_id.in_(chunk) & register & _outlet(_M.location)
        )
        out += [Reading(int(tx), float(at), float(wh)) for tx, at, wh in conn.execute(raw)]
        ends = select(
            _R.transaction_id,
            _epoch(_R.first_at, d),
            _R.first_value,
            _epoch(_R.last_at, d),
            _R.last_value,
        ).where(_R.transaction_id.in_(chunk) & rolled & _outlet(_R.location))
        for tx, a_at, a_wh, b_at, b_wh in conn.execute(ends):
            out.append(Reading(int(tx), float(a_at), float(a_wh)))
            out.append(Reading(int(tx), float(b_at), float(b_wh)))
    return out


def _power_filter(ids: list[str], start: datetime, end: datetime, rolled: bool) -> Any:
    c = _R if rolled else _M
    at = _R.bucket_start if rolled else _M.timestamp
    return (
        c.station_id.in_(ids)
        & (at >= start)
        & (at < end)
        & (c.measurand == POWER)
        & (c.unit == "W")
        & c.phase.is_(None)
        & (c.connector_id > 0)
        & _outlet(c.location)
    )


def _peaks(conn: Connection, ids: list[str], start: datetime, end: datetime) -> list[ConnectorPeak]:
    best: dict[tuple[str, int], float] = {}
    for rolled, column in ((False, _M.value), (True, _R.maximum)):
        c = _R if rolled else _M
        query = (
            select(c.station_id, c.connector_id, func.max(column))
            .where(_power_filter(ids, start, end, rolled))
            .group_by(c.station_id, c.connector_id)
        )
        for sid, cid, watts in conn.execute(query):
            key = (sid, int(cid))
            best[key] = max(best.get(key, float(watts)), float(watts))
    return [ConnectorPeak(sid, cid, w) for (sid, cid), w in sorted(best.items())]


def _site_peak(
    conn: Connection, ids: list[str], start: datetime, end: datetime
) -> PowerPeak | None:
    d = conn.dialect.name
    best: tuple[float, int] | None = None
    raw_bucket = _quarter_hour(_M.timestamp, d).label("b")
    rolled_bucket = _quarter_hour(_R.bucket_start, d).label("b")
    inners = (
        select(raw_bucket, func.avg(_M.value).label("w"))
        .where(_power_filter(ids, start, end, False))
        .group_by(_M.station_id, _M.connector_id, raw_bucket)
        .subquery(),
        select(rolled_bucket, (func.sum(_R.total) / func.sum(_R.samples)).label("w"))
        .where(_power_filter(ids, start, end, True))
        .group_by(_R.station_id, _R.connector_id, rolled_bucket)
        .subquery(),
    )
    for inner in inners:
        total = func.sum(inner.c.w)
        row = conn.execute(
            select(inner.c.b, total).group_by(inner.c.b).order_by(total.desc()).limit(1)
        ).first()
        if row is not None and row[1] is not None and (best is None or row[1] > best[0]):
            best = (float(row[1]), int(row[0]))
    return None if best is None else PowerPeak(instant(best[1] * ROLLUP_SECONDS), best[0])


def _authorisations(
    conn: Connection, ids: list[str], start: datetime, end: datetime
) -> list[Authorisation]:
    e = events.c
    query = select(e.station_id, _epoch(e.timestamp, conn.dialect.name), e.data).where(
        e.kind.in_(AUTHORISED_KINDS)
        & e.station_id.in_(ids)
        & (e.timestamp >= start)
        & (e.timestamp < end)
    )
    out = []
    for sid, at, data in conn.execute(query):
        tag = data.get("id_tag") if isinstance(data, dict) else None
        if isinstance(tag, str) and tag:
            out.append(Authorisation(sid, tag, float(at)))
    return out


def _limit(conn: Connection, site_id: int | None) -> int | None:
    if site_id is None:
        return None
    value = conn.execute(
        select(site_connection_limits.c.limit_w).where(site_connection_limits.c.site_id == site_id)
    ).scalar()
    return None if value is None else int(value)


def _roll_up_station(conn: Connection, station_id: str, cutoff: datetime, span: timedelta) -> int:
    """Roll up the oldest `span` of a station's samples before cutoff; how many moved."""
    first = conn.execute(
        select(func.min(_M.timestamp)).where(
            (_M.station_id == station_id) & (_M.timestamp < cutoff)
        )
    ).scalar()
    if first is None:
        return 0
    lo = bucket_start(first)
    hi = min(lo + span, cutoff)
    where = (_M.station_id == station_id) & (_M.timestamp >= lo) & (_M.timestamp < hi)
    rows = conn.execute(
        select(
            _M.station_id, _M.connector_id, _M.transaction_id, _M.timestamp, _M.measurand,
            _M.unit, _M.phase, _M.location, _M.value,
        ).where(where).order_by(_M.timestamp, _M.id)
    ).all()  # fmt: skip
    rollups = roll_up(RawSample(*row) for row in rows)
    if rollups:
        conn.execute(insert(meter_rollups), [asdict(r) for r in rollups])
    conn.execute(delete(meter_samples).where(where))
    return len(rows)


class SqlAnalyticsRepository:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def facts(
        self, site_id: int | None, start: datetime, end: datetime, *, usage: bool, demand: bool
    ) -> SiteFacts:
        """What a usage report (usage) and/or a demand report (demand) read, in one read."""

        def op(conn: Connection) -> SiteFacts:
            name, ids = station_ids(conn, site_id)
            refs = _connectors(conn, ids)
            found = sessions(conn, ids, start, end)
            return SiteFacts(
                site_id,
                name,
                tuple(refs),
                tuple(_statuses(conn, refs, ids, start, end)),
                tuple(_links(conn, ids, start, end)),
                tuple(found),
                tuple(_readings(conn, found, epoch(start), epoch(end))) if usage else (),
                tuple(_peaks(conn, ids, start, end)) if usage else (),
                _site_peak(conn, ids, start, end) if demand else None,
                tuple(_authorisations(conn, ids, start, end)) if demand else (),
                _limit(conn, site_id),
            )

        return await self._db.read(op)

    async def sessions(
        self, site_id: int | None, start: datetime, end: datetime
    ) -> tuple[list[SessionFact], list[Reading]]:
        """Sessions of a site overlapping start..end, with the readings to cut them there."""

        def op(conn: Connection) -> tuple[list[SessionFact], list[Reading]]:
            found = sessions(conn, station_ids(conn, site_id)[1], start, end)
            return found, _readings(conn, found, epoch(start), epoch(end))

        return await self._db.read(op)

    async def set_connection_limit(self, site_id: int, limit_w: int | None) -> None:
        def op(conn: Connection) -> None:
            if conn.execute(select(sites.c.id).where(sites.c.id == site_id)).first() is None:
                raise NotFound(f"No site with id {site_id}")
            table = site_connection_limits
            conn.execute(delete(table).where(table.c.site_id == site_id))
            if limit_w is not None:
                conn.execute(insert(table), {"site_id": site_id, "limit_w": limit_w})

        await self._db.write(op)

    async def connection_limit(self, site_id: int) -> int | None:
        return await self._db.read(lambda conn: _limit(conn, site_id))

    async def stations_with_samples_before(self, cutoff: datetime) -> list[str]:
        def op(conn: Connection) -> list[str]:
            return [
                sid
                for sid in conn.execute(select(stations.c.id)).scalars()
                if conn.execute(
                    select(_M.id).where((_M.station_id == sid) & (_M.timestamp < cutoff)).limit(1)
                ).first()
            ]

        return await self._db.read(op)

    async def roll_up_station(self, station_id: str, cutoff: datetime, span: timedelta) -> int:
        """One step: the oldest `span` of the station's raw samples before cutoff, in one
        write transaction (read, aggregate, insert, delete), so a sample that arrives
        meanwhile is either rolled up or left for the next step, never lost."""
        return await self._db.write(lambda conn: _roll_up_station(conn, station_id, cutoff, span))
