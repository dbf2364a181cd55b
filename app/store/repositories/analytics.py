"""Store side of app/services/analytics.py: the facts behind the reports, and the rollups.

SQLAlchemy Core only, the same on SQLite and PostgreSQL. Times leave the
database as epoch seconds (rounded to the millisecond in SQL) because the
reports fold hundreds of thousands of rows and parsing datetimes would cost
more than the arithmetic. Meter data comes from meter_rollups and from the
raw samples not yet rolled up (ids past rollup_progress.rolled_through_id), so a
report never reads a sample twice, and reads few raw rows however long they are kept.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    String,
    cast,
    delete,
    extract,
    func,
    insert,
    or_,
    select,
    true,
    union_all,
    update,
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
from app.domain.analytics_rollup import ROLLUP_SECONDS, RawSample, Rollup, roll_up
from app.domain.errors import NotFound
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import TransactionState
from app.store.database import Database
from app.store.schema import (
    connectors,
    events,
    meter_rollups,
    meter_samples,
    rollup_progress,
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
    # In id order; the domain sorts each connector's reports by time. No condition on
    # the connector here, so the planner takes (station, received_at) for the range.
    rows += conn.execute(
        select(*columns)
        .where(s.station_id.in_(ids) & (s.received_at >= start - _CLOCK_SLACK) & (at < end))
        .order_by(s.id)
    ).all()
    return [StatusReport(sid, cid, t, st, err) for sid, cid, t, st, err in rows if cid > 0]


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
    for row in conn.execute(query):
        tid, sid, cid, tag, began, state, stopped, m0, m1, last_at, last_wh, total, final = row
        ended: float | None
        if state == TransactionState.CLOSED.value:
            ended, meter_end = stopped, m1
        elif state == TransactionState.SUSPECT.value:
            # Silent too long: it ended, as far as anyone knows, at its last reading.
            ended, meter_end = (last_at if last_at is not None else began), last_wh
        else:
            ended, meter_end = None, None
        ended = None if ended is None else float(ended)
        meter_end = None if meter_end is None else float(meter_end)
        revenue = int(total) if final and total is not None else None
        times = (float(began), ended)
        out.append(SessionFact(int(tid), sid, int(cid), tag, *times, float(m0), meter_end, revenue))
    return out


def rolled_through(conn: Connection) -> int:
    """Raw samples with an id up to this are in meter_rollups; reports read the rest raw."""
    value = conn.execute(select(rollup_progress.c.rolled_through_id)).scalar()
    return 0 if value is None else int(value)


def _readings(
    conn: Connection, facts: Sequence[SessionFact], start: float, end: float, rolled: int
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
    register &= (_M.id > rolled) & _outlet(_M.location)
    summed = (_R.measurand == ENERGY_REGISTER) & _R.phase.is_(None) & (_R.unit == "Wh")
    summed &= _outlet(_R.location)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        raw = select(_M.transaction_id, _epoch(_M.timestamp, d), _M.value)
        for tx, at, wh in conn.execute(raw.where(_M.transaction_id.in_(chunk) & register)):
            out.append(Reading(int(tx), float(at), float(wh)))
        bucket = _epoch(_R.bucket_start, d)
        ends = select(
            _R.transaction_id,
            bucket + _R.first_offset,
            _R.first_value,
            bucket + _R.last_offset,
            _R.last_value,
        ).where(_R.transaction_id.in_(chunk) & summed)
        for tx, a_at, a_wh, b_at, b_wh in conn.execute(ends):
            out.append(Reading(int(tx), float(a_at), float(a_wh)))
            out.append(Reading(int(tx), float(b_at), float(b_wh)))
    return out


def _power(
    ids: list[str], start: datetime, end: datetime, rolled: int, *, summed: bool
) -> ColumnElement[bool]:
    """Active import power of connectors in start..end: rollups, or raw samples not yet
    rolled up (a report period's bounds fall on bucket bounds)."""
    c = _R if summed else _M
    at = _R.bucket_start if summed else _M.timestamp
    # The raw tail is found by id (the primary key); the station, spelled as an
    # expression, keeps the planner off the (station, time) index, which would walk
    # every raw sample kept.
    station = c.station_id if summed else c.station_id + ""
    tail = true() if summed else _M.id > rolled
    return (
        tail
        & station.in_(ids)
        & (at >= start)
        & (at < end)
        & (c.measurand == POWER)
        & (c.unit == "W")
        & c.phase.is_(None)
        & (c.connector_id > 0)
        & _outlet(c.location)
    )


def _peaks(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> list[ConnectorPeak]:
    best: dict[tuple[str, int], float] = {}
    for summed, c, column in ((False, _M, _M.value), (True, _R, _R.maximum)):
        query = (
            select(c.station_id, c.connector_id, func.max(column))
            .where(_power(ids, start, end, rolled, summed=summed))
            .group_by(c.station_id, c.connector_id)
        )
        for sid, cid, watts in conn.execute(query):
            key = (sid, int(cid))
            best[key] = max(best.get(key, float(watts)), float(watts))
    return [ConnectorPeak(sid, cid, w) for (sid, cid), w in sorted(best.items())]


def _site_peak(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> PowerPeak | None:
    """The 15-minute bucket with the highest sum over connectors of their mean power; a
    bucket may be part rolled up, part raw, so both are summed before the mean."""
    d = conn.dialect.name
    raw_bucket = _quarter_hour(_M.timestamp, d)
    parts = union_all(
        select(
            _M.station_id.label("s"),
            _M.connector_id.label("c"),
            raw_bucket.label("b"),
            func.sum(_M.value).label("w"),
            func.count().label("n"),
        )
        .where(_power(ids, start, end, rolled, summed=False))
        .group_by(_M.station_id, _M.connector_id, raw_bucket),
        select(
            _R.station_id,
            _R.connector_id,
            _quarter_hour(_R.bucket_start, d),
            _R.total,
            _R.samples,
        ).where(_power(ids, start, end, rolled, summed=True)),
    ).subquery()
    means = (
        select(parts.c.b, (func.sum(parts.c.w) / func.sum(parts.c.n)).label("mean"))
        .group_by(parts.c.s, parts.c.c, parts.c.b)
        .subquery()
    )
    total = func.sum(means.c.mean)
    row = conn.execute(
        select(means.c.b, total).group_by(means.c.b).order_by(total.desc()).limit(1)
    ).first()
    if row is None or row[1] is None:
        return None
    return PowerPeak(instant(int(row[0]) * ROLLUP_SECONDS), float(row[1]))


def _authorisations(
    conn: Connection, ids: list[str], start: datetime, end: datetime
) -> list[Authorisation]:
    e = events.c
    tag = e.data["id_tag"].as_string()
    query = select(e.station_id, _epoch(e.timestamp, conn.dialect.name), tag).where(
        e.kind.in_(AUTHORISED_KINDS)
        & e.station_id.in_(ids)
        & (e.timestamp >= start)
        & (e.timestamp < end)
    )
    return [Authorisation(sid, t, float(at)) for sid, at, t in conn.execute(query) if t]


def _limit(conn: Connection, site_id: int | None) -> int | None:
    if site_id is None:
        return None
    value = conn.execute(
        select(site_connection_limits.c.limit_w).where(site_connection_limits.c.site_id == site_id)
    ).scalar()
    return None if value is None else int(value)


def _utc(text: str) -> datetime:
    t = datetime.fromisoformat(text)
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def _rollup_row(rollup: Rollup) -> dict[str, Any]:
    row = asdict(rollup)
    start = row["bucket_start"]
    row["first_offset"] = (row.pop("first_at") - start).total_seconds()
    row["last_offset"] = (row.pop("last_at") - start).total_seconds()
    return row


def _roll_up_next(conn: Connection, now: datetime, most: int) -> int:
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


def _drop_rolled(conn: Connection, station_id: str, cutoff: datetime) -> int:
    where = (_M.station_id == station_id) & (_M.timestamp < cutoff)
    return conn.execute(
        delete(meter_samples).where(where & (_M.id <= rolled_through(conn)))
    ).rowcount


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
            rolled = rolled_through(conn)
            bounds = (epoch(start), epoch(end))
            return SiteFacts(
                site_id,
                name,
                tuple(refs),
                tuple(_statuses(conn, refs, ids, start, end)),
                tuple(_links(conn, ids, start, end)),
                tuple(found),
                tuple(_readings(conn, found, *bounds, rolled)) if usage else (),
                tuple(_peaks(conn, ids, start, end, rolled)) if usage else (),
                _site_peak(conn, ids, start, end, rolled) if demand else None,
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
            return found, _readings(conn, found, epoch(start), epoch(end), rolled_through(conn))

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

    async def roll_up_next(self, now: datetime, most: int) -> int:
        """Roll up the next raw samples, at most `most` ids, in one write transaction;
        0 when there are none left."""
        return await self._db.write(lambda conn: _roll_up_next(conn, now, most))

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

    async def drop_rolled_before(self, station_id: str, cutoff: datetime) -> int:
        """Delete a station's raw samples older than cutoff that are rolled up."""
        return await self._db.write(lambda conn: _drop_rolled(conn, station_id, cutoff))
