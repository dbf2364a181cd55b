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
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Float,
    Integer,
    Subquery,
    cast,
    extract,
    func,
    or_,
    select,
    true,
    union_all,
)

from app.domain.analytics import (
    Authorisation,
    ConnectorPeak,
    ConnectorRef,
    LinkChange,
    PowerPeak,
    Reading,
    SessionFact,
    StatusReport,
    instant,
)
from app.domain.analytics_rollup import ROLLUP_SECONDS
from app.domain.errors import NotFound
from app.domain.metering import ENERGY_REGISTER
from app.domain.model import TransactionState
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


def epoch_of(column: ColumnElement[Any], dialect: str) -> ColumnElement[float]:
    if dialect == "sqlite":
        millis = func.round((func.julianday(column) - 2440587.5) * 86_400_000.0)
        return cast(millis / 1000.0, Float)
    return cast(extract("epoch", column), Float)


def quarter_hour(column: ColumnElement[Any], dialect: str) -> ColumnElement[int]:
    """The 15-minute bucket number of a time (epoch seconds ÷ 900, rounded down)."""
    if dialect == "sqlite":
        return cast(cast(func.strftime("%s", column), Integer) / ROLLUP_SECONDS, Integer)
    return cast(func.floor(extract("epoch", column) / ROLLUP_SECONDS), Integer)


def outlet(location: ColumnElement[str | None]) -> ColumnElement[bool]:
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


def connector_refs(conn: Connection, ids: list[str]) -> list[ConnectorRef]:
    c = connectors.c
    rows = conn.execute(
        select(c.station_id, c.connector_id).where(c.station_id.in_(ids) & (c.connector_id > 0))
    )
    return [ConnectorRef(sid, cid) for sid, cid in rows]


def statuses(
    conn: Connection, refs: list[ConnectorRef], ids: list[str], start: datetime, end: datetime
) -> list[StatusReport]:
    s = status_history.c
    at = func.coalesce(s.station_timestamp, s.received_at)
    columns = (
        s.station_id,
        s.connector_id,
        epoch_of(at, conn.dialect.name),
        s.status,
        s.error_code,
    )
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


def links(conn: Connection, ids: list[str], start: datetime, end: datetime) -> list[LinkChange]:
    e = events.c
    columns = (e.station_id, epoch_of(e.timestamp, conn.dialect.name), e.kind)
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


def sessions(
    conn: Connection,
    ids: list[str],
    start: datetime,
    end: datetime,
    where: ColumnElement[bool] | None = None,
) -> list[SessionFact]:
    """Transactions on the stations overlapping start..end (and where), with their final
    price."""
    t, c = transactions.c, session_charges.c
    d = conn.dialect.name
    query = (
        select(
            t.id,
            t.station_id,
            t.connector_id,
            t.id_tag,
            epoch_of(t.started_at, d),
            t.state,
            epoch_of(t.stopped_at, d),
            t.meter_start,
            t.meter_stop,
            epoch_of(t.last_meter_at, d),
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
            & (true() if where is None else where)
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


def readings(
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
    register &= (_M.id > rolled) & outlet(_M.location)
    summed = (_R.measurand == ENERGY_REGISTER) & _R.phase.is_(None) & (_R.unit == "Wh")
    summed &= outlet(_R.location)
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        raw = select(_M.transaction_id, epoch_of(_M.timestamp, d), _M.value)
        for tx, at, wh in conn.execute(raw.where(_M.transaction_id.in_(chunk) & register)):
            out.append(Reading(int(tx), float(at), float(wh)))
        bucket = epoch_of(_R.bucket_start, d)
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


def power_rows(
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
        & outlet(c.location)
    )


def peaks(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> list[ConnectorPeak]:
    best: dict[tuple[str, int], float] = {}
    for summed, c, column in ((False, _M, _M.value), (True, _R, _R.maximum)):
        query = (
            select(c.station_id, c.connector_id, func.max(column))
            .where(power_rows(ids, start, end, rolled, summed=summed))
            .group_by(c.station_id, c.connector_id)
        )
        for sid, cid, watts in conn.execute(query):
            key = (sid, int(cid))
            best[key] = max(best.get(key, float(watts)), float(watts))
    return [ConnectorPeak(sid, cid, w) for (sid, cid), w in sorted(best.items())]


def _bucket_means(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> Subquery:
    """Each connector's mean power per 15-minute bucket (b, mean); a bucket may be part
    rolled up, part raw, so both are summed before the mean."""
    d = conn.dialect.name
    raw_bucket = quarter_hour(_M.timestamp, d)
    parts = union_all(
        select(
            _M.station_id.label("s"),
            _M.connector_id.label("c"),
            raw_bucket.label("b"),
            func.sum(_M.value).label("w"),
            func.count().label("n"),
        )
        .where(power_rows(ids, start, end, rolled, summed=False))
        .group_by(_M.station_id, _M.connector_id, raw_bucket),
        select(
            _R.station_id,
            _R.connector_id,
            quarter_hour(_R.bucket_start, d),
            _R.total,
            _R.samples,
        ).where(power_rows(ids, start, end, rolled, summed=True)),
    ).subquery()
    return (
        select(parts.c.b, (func.sum(parts.c.w) / func.sum(parts.c.n)).label("mean"))
        .group_by(parts.c.s, parts.c.c, parts.c.b)
        .subquery()
    )


def bucket_sums(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> list[tuple[int, float]]:
    """(bucket number, sum over connectors of their mean power) of every 15-minute bucket
    with power in start..end."""
    means = _bucket_means(conn, ids, start, end, rolled)
    query = select(means.c.b, func.sum(means.c.mean)).group_by(means.c.b)
    return [(int(b), float(w)) for b, w in conn.execute(query) if w is not None]


def site_peak(
    conn: Connection, ids: list[str], start: datetime, end: datetime, rolled: int
) -> PowerPeak | None:
    """The 15-minute bucket with the highest sum over connectors of their mean power (the
    earliest of equal ones)."""
    means = _bucket_means(conn, ids, start, end, rolled)
    total = func.sum(means.c.mean)
    row = conn.execute(
        select(means.c.b, total).group_by(means.c.b).order_by(total.desc(), means.c.b).limit(1)
    ).first()
    if row is None or row[1] is None:
        return None
    return PowerPeak(instant(int(row[0]) * ROLLUP_SECONDS), float(row[1]))


def authorisations(
    conn: Connection, ids: list[str], start: datetime, end: datetime
) -> list[Authorisation]:
    e = events.c
    tag = e.data["id_tag"].as_string()
    query = select(e.station_id, epoch_of(e.timestamp, conn.dialect.name), tag).where(
        e.kind.in_(AUTHORISED_KINDS)
        & e.station_id.in_(ids)
        & (e.timestamp >= start)
        & (e.timestamp < end)
    )
    return [Authorisation(sid, t, float(at)) for sid, at, t in conn.execute(query) if t]


def connection_limit(conn: Connection, site_id: int | None) -> int | None:
    if site_id is None:
        return None
    value = conn.execute(
        select(site_connection_limits.c.limit_w).where(site_connection_limits.c.site_id == site_id)
    ).scalar()
    return None if value is None else int(value)
