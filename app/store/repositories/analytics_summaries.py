"""Store side of the day summaries (app/domain/analytics_days.py): written by
housekeeping, read by reports.

Progress is kept by fact id: every status report, link or authorisation event and
power sample with an id up to the marks in analytics_summary_progress is in the
summaries of the days summarised (analytics_summary_stations: first_day … through_day
per station). A fact with a newer id (a charger that was offline, a report received
late) makes its station's days from the fact's own day on stale: reports read those
days raw until housekeeping summarises them again. Sessions and prices are never
summarised (the reports sum them in SQL), so a late stop or a price changes nothing
here.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, String, cast, delete, func, insert, select, update

from app.domain.analytics import ConnectorRef, PowerPeak, ReportPeriod, instant
from app.domain.analytics_days import (
    ConnectorDay,
    ConnectorRuns,
    ConnectorTotals,
    ScopeDay,
    StationDay,
    day_of,
    midnights,
)
from app.domain.analytics_rollup import ROLLUP_SECONDS
from app.store.repositories.analytics_facts import (
    AUTHORISED_KINDS,
    LINK_KINDS,
    POWER,
    epoch_of,
)
from app.store.schema import (
    analytics_days,
    analytics_scope_days,
    analytics_summary_progress,
    analytics_summary_stations,
    events,
    meter_rollups,
    meter_samples,
    session_charges,
    status_history,
    transactions,
)

_D, _P, _S = analytics_days.c, analytics_scope_days.c, analytics_summary_stations.c
_HOURS = struct.Struct("<24d")


class Marks(NamedTuple):
    status_id: int
    event_id: int
    sample_id: int
    transaction_id: int
    priced_at: datetime | None


class Progress(NamedTuple):
    zone: str
    marks: Marks


def zone_key(zone: tzinfo) -> str:
    return str(zone)[:64]


def scope_key(refs: Iterable[ConnectorRef]) -> str:
    """The name of a set of connectors (a site's, or every one) in analytics_scope_days."""
    text = "\n".join(f"{sid}\t{cid}" for sid, cid in sorted(refs))
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()


def current_marks(conn: Connection) -> Marks:
    def top(column: Any) -> int:
        return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one())

    priced = conn.execute(select(func.max(session_charges.c.priced_at))).scalar()
    return Marks(
        top(status_history.c.id),
        top(events.c.id),
        top(meter_samples.c.id),
        top(transactions.c.id),
        priced if isinstance(priced, datetime) else None,
    )


def progress(conn: Connection) -> Progress | None:
    p = analytics_summary_progress.c
    row = conn.execute(
        select(p.zone, p.status_id, p.event_id, p.sample_id, p.transaction_id, p.priced_at)
    ).first()
    if row is None:
        return None
    zone, status, event, sample, transaction, priced = row
    marks = Marks(int(status), int(event), int(sample), int(transaction), priced)
    return Progress(str(zone), marks)


def save_progress(conn: Connection, zone: str, marks: Marks, now: datetime) -> None:
    values = {"zone": zone, **marks._asdict(), "updated_at": now}
    table = analytics_summary_progress
    if conn.execute(update(table).values(values)).rowcount == 0:
        conn.execute(insert(table), {"id": 1, **values})


def newer_facts(conn: Connection, marks: Marks) -> tuple[dict[str, float], float | None]:
    """Per station, the earliest time (epoch s) of a fact with an id past the marks; and
    the earliest start of a newer session less a day, for every station (whether an
    authorisation anywhere was turned away depends on it). Each query walks the primary
    key from its mark: the rows since housekeeping last ran."""
    d = conn.dialect.name
    s, e, m, t = status_history.c, events.c, meter_samples.c, transactions.c
    queries = (
        select(s.station_id, epoch_of(func.coalesce(s.station_timestamp, s.received_at), d))
        .where(s.id > marks.status_id)
        .order_by(s.id),
        select(e.station_id, epoch_of(e.timestamp, d))
        .where((e.id > marks.event_id) & e.kind.in_(LINK_KINDS + AUTHORISED_KINDS))
        .order_by(e.id),
        select(m.station_id, epoch_of(m.timestamp, d))
        .where((m.id > marks.sample_id) & (m.measurand == POWER))
        .order_by(m.id),
    )
    earliest: dict[str, float] = {}
    for query in queries:
        for sid, at in conn.execute(query):
            if sid is not None and at is not None:
                earliest[sid] = min(float(at), earliest.get(sid, float(at)))
    began = conn.execute(
        select(func.min(epoch_of(t.started_at, d))).where(t.id > marks.transaction_id)
    ).scalar()
    # A session priced since: the day it started (its revenue) is stale.
    c = session_charges.c
    priced = select(t.station_id, epoch_of(t.started_at, d)).select_from(
        session_charges.join(transactions, t.id == c.transaction_id)
    )
    if marks.priced_at is not None:
        priced = priced.where(c.priced_at > marks.priced_at)
    else:
        priced = priced.where(c.priced_at.is_not(None))
    for sid, at in conn.execute(priced):
        earliest[sid] = min(float(at), earliest.get(sid, float(at)))
    return earliest, None if began is None else float(began) - 86_400.0


def covered(conn: Connection, ids: Sequence[str]) -> dict[str, tuple[date, date]]:
    """(first_day, through_day) of each station summarised."""
    rows = conn.execute(
        select(_S.station_id, _S.first_day, _S.through_day).where(_S.station_id.in_(ids))
    )
    return {sid: (first, through) for sid, first, through in rows}


def first_fact_day(conn: Connection, station_id: str, zone: tzinfo) -> date | None:
    """The local day before the station's earliest fact (a station clock may run a
    day behind): no summary is needed before it."""
    s, e, m, r = status_history.c, events.c, meter_samples.c, meter_rollups.c
    found = [
        conn.execute(select(func.min(column)).where(sid == station_id)).scalar()
        for column, sid in (
            (s.received_at, s.station_id),
            (s.station_timestamp, s.station_id),
            (e.timestamp, e.station_id),
            (m.timestamp, m.station_id),
            (r.bucket_start, r.station_id),
            (transactions.c.started_at, transactions.c.station_id),
        )
    ]
    times = [t for t in found if isinstance(t, datetime)]
    if not times:
        return None
    return min(t.astimezone(zone).date() for t in times) - timedelta(days=1)


def forget_from(conn: Connection, station_id: str, day: date) -> None:
    """Drop a station's summaries from day on (and every scope's from then on)."""
    conn.execute(delete(analytics_days).where((_D.station_id == station_id) & (_D.day >= day)))
    conn.execute(delete(analytics_scope_days).where(_P.day >= day))


def forget_all(conn: Connection) -> None:
    for table in (
        analytics_days,
        analytics_scope_days,
        analytics_summary_stations,
        analytics_summary_progress,
    ):
        conn.execute(delete(table))


def set_covered(conn: Connection, station_id: str, first: date, through: date) -> None:
    table = analytics_summary_stations
    conn.execute(delete(table).where(_S.station_id == station_id))
    conn.execute(
        insert(table), {"station_id": station_id, "first_day": first, "through_day": through}
    )


def _pack(values: Sequence[float]) -> bytes:
    return struct.pack(f"<{len(values)}d", *values)


def _unpack(data: bytes | None) -> tuple[float, ...]:
    return struct.unpack(f"<{len(data) // 8}d", data) if data else ()


def write_days(
    conn: Connection, days: Sequence[ConnectorDay], stations: Sequence[StationDay]
) -> None:
    rows: list[dict[str, Any]] = [
        {
            "station_id": d.station_id, "connector_id": d.connector_id, "day": d.day,
            "charging_s": d.charging_s, "idle_s": d.idle_s, "observed_s": d.observed_s,
            "usable_s": d.usable_s, "sessions": d.sessions, "revenue_minor": d.revenue_minor,
            "priced": d.priced, "busy": d.busy, "peak_w": d.peak_w,
            "hours": _HOURS.pack(*d.hours), "occupied": _pack(d.occupied),
            "runs": json.dumps(d.runs) if d.runs else None, "authorised": None,
        }
        for d in days
    ]  # fmt: skip
    rows += [
        {
            "station_id": s.station_id, "connector_id": 0, "day": s.day, "charging_s": 0.0,
            "idle_s": 0.0, "observed_s": 0.0, "usable_s": 0.0, "sessions": 0,
            "revenue_minor": 0, "priced": 0, "busy": 0, "peak_w": None,
            "hours": None, "occupied": None,
            "runs": json.dumps(s.offline) if s.offline else None,
            "authorised": json.dumps(s.authorised) if s.authorised else None,
        }
        for s in stations
    ]  # fmt: skip
    for i in range(0, len(rows), 5000):
        conn.execute(insert(analytics_days), rows[i : i + 5000])


def read_totals(
    conn: Connection, ids: Sequence[str], first: date, split: date
) -> list[ConnectorTotals]:
    """Each connector's days first … split - 1 summed (in day order)."""
    query = (
        select(
            _D.station_id, _D.connector_id, func.sum(_D.charging_s), func.sum(_D.idle_s),
            func.sum(_D.observed_s), func.sum(_D.usable_s), func.max(_D.peak_w),
            func.sum(_D.sessions), func.sum(_D.revenue_minor), func.sum(_D.priced),
        )
        .where(_in(ids, first, split) & (_D.connector_id > 0))
        .group_by(_D.station_id, _D.connector_id)
    )  # fmt: skip
    return [
        ConnectorTotals(
            sid,
            int(cid),
            float(c),
            float(i),
            float(o),
            float(u),
            peak,
            int(n),
            int(money),
            int(p),
        )
        for sid, cid, c, i, o, u, peak, n, money, p in conn.execute(query)
    ]


def _in(ids: Sequence[str], first: date, split: date) -> ColumnElement[bool]:
    return _D.station_id.in_(list(ids)) & (_D.day >= first) & (_D.day < split)


def read_runs(
    conn: Connection, ids: Sequence[str], first: date, split: date
) -> list[ConnectorRuns]:
    query = select(_D.station_id, _D.connector_id, cast(_D.day, String), _D.runs).where(
        _in(ids, first, split) & (_D.connector_id > 0) & _D.runs.is_not(None)
    )
    out = []
    for sid, cid, day, runs in conn.execute(query):
        parsed = tuple((a, b, cause, error) for a, b, cause, error in json.loads(runs))
        out.append(ConnectorRuns(sid, int(cid), date.fromisoformat(day), parsed))
    return out


def read_station_days(
    conn: Connection, ids: Sequence[str], first: date, split: date
) -> list[StationDay]:
    """The station-days with an offline piece or an authorisation in them."""
    query = select(_D.station_id, cast(_D.day, String), _D.runs, _D.authorised).where(
        _in(ids, first, split)
        & (_D.connector_id == 0)
        & (_D.runs.is_not(None) | _D.authorised.is_not(None))
    )
    out = []
    for sid, day, runs, authorised in conn.execute(query):
        offline = tuple((a, b) for a, b in json.loads(runs)) if runs else ()
        auths = tuple((at, tag, after) for at, tag, after in json.loads(authorised or "[]"))
        out.append(StationDay(sid, date.fromisoformat(day), offline, auths))
    return out


def read_connector_days(
    conn: Connection, ids: Sequence[str], first: date, split: date
) -> list[ConnectorDay]:
    """The connector-days with what a scope's days are made of (hours, occupied)."""
    query = select(
        _D.station_id, _D.connector_id, cast(_D.day, String), _D.busy, _D.hours, _D.occupied
    ).where(_in(ids, first, split) & (_D.connector_id > 0))
    return [
        ConnectorDay(
            sid, int(cid), date.fromisoformat(day), 0.0, 0.0, 0.0, 0.0, 0, 0, 0,
            _HOURS.unpack(hours), int(busy), _unpack(occupied), (), None,
        )
        for sid, cid, day, busy, hours, occupied in conn.execute(query)
    ]  # fmt: skip


def read_scope_days(conn: Connection, scope: str, first: date, split: date) -> list[ScopeDay]:
    query = select(cast(_P.day, String), _P.hours, _P.spells, _P.bucket, _P.watts).where(
        (_P.scope == scope) & (_P.day >= first) & (_P.day < split)
    )
    return [
        ScopeDay(
            date.fromisoformat(day),
            _HOURS.unpack(hours),
            _unpack(spells),
            None if bucket is None or watts is None else (int(bucket), float(watts)),
        )
        for day, hours, spells, bucket, watts in conn.execute(query)
    ]


def stored_scope_days(conn: Connection, scope: str, first: date, last: date) -> set[date]:
    query = select(_P.day).where((_P.scope == scope) & (_P.day >= first) & (_P.day <= last))
    return set(conn.execute(query).scalars())


def write_scope_days(conn: Connection, scope: str, days: Iterable[ScopeDay]) -> None:
    rows = [
        {
            "scope": scope, "day": d.day, "hours": _HOURS.pack(*d.hours),
            "spells": _pack(d.spells) if d.spells else None,
            "bucket": d.peak[0] if d.peak else None, "watts": d.peak[1] if d.peak else None,
        }
        for d in days
    ]  # fmt: skip
    for i in range(0, len(rows), 5000):
        conn.execute(insert(analytics_scope_days), rows[i : i + 5000])


def highest(days: Iterable[ScopeDay]) -> PowerPeak | None:
    """The highest bucket of the days (the earliest of equal ones)."""
    best: tuple[int, float] | None = None
    for d in sorted(days):
        if d.peak is not None and (best is None or d.peak[1] > best[1]):
            best = d.peak
    return None if best is None else PowerPeak(instant(best[0] * ROLLUP_SECONDS), best[1])


def peaks_by_day(
    conn: Connection, station_id: str, period: ReportPeriod, rolled: int
) -> dict[tuple[str, int, date], float]:
    """The highest power sample of each of the station's connectors on each local day
    (rollup maxima, and the raw samples not yet rolled up)."""
    d = conn.dialect.name
    m, r = meter_samples.c, meter_rollups.c
    start, end = period.start_at, period.end_at
    outlet = r.location.is_(None) | (r.location == "Outlet")
    rows: list[Any] = list(
        conn.execute(
            select(r.connector_id, epoch_of(r.bucket_start, d), r.maximum).where(
                (r.station_id == station_id) & (r.bucket_start >= start) & (r.bucket_start < end)
                & (r.measurand == POWER) & (r.unit == "W") & r.phase.is_(None)
                & (r.connector_id > 0) & outlet
            )
        )
    )  # fmt: skip
    raw_outlet = m.location.is_(None) | (m.location == "Outlet")
    rows += conn.execute(
        select(m.connector_id, epoch_of(m.timestamp, d), m.value).where(
            (m.id > rolled) & (m.station_id + "" == station_id)
            & (m.timestamp >= start) & (m.timestamp < end)
            & (m.measurand == POWER) & (m.unit == "W") & m.phase.is_(None)
            & (m.connector_id > 0) & raw_outlet
        )
    ).all()  # fmt: skip
    bounds = midnights(period)
    days = [period.first + timedelta(days=k) for k in range(period.days)]
    best: dict[tuple[str, int, date], float] = {}
    for cid, at, watts in rows:
        k = day_of(bounds, float(at))
        if 0 <= k < len(days):
            key = (station_id, int(cid), days[k])
            best[key] = max(best.get(key, float(watts)), float(watts))
    return best


def day_peaks(
    sums: Iterable[tuple[int, float]], period: ReportPeriod
) -> dict[date, tuple[int, float]]:
    """The highest (bucket, watts) of each local day (the earliest of equal ones)."""
    bounds = midnights(period)
    best: dict[date, tuple[int, float]] = {}
    for bucket, watts in sorted(sums):
        k = day_of(bounds, float(bucket * ROLLUP_SECONDS))
        if not 0 <= k < period.days:
            continue
        day = period.first + timedelta(days=k)
        if day not in best or watts > best[day][1]:
            best[day] = (bucket, watts)
    return best
