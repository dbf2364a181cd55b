"""Housekeeping's side of the day summaries: which days to (re)do, doing a station's
days, and the sites' daily peak power. Each function runs in one write transaction of
SqlAnalyticsRepository."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import Connection, delete, select

from app.domain.analytics import HOURS, MAX_DAYS, ConnectorRef, ReportPeriod, SiteFacts, instant
from app.domain.analytics_days import SURE_HORIZON_S, ScopeDay, scope_days, summarise_days
from app.store.repositories.analytics_facts import (
    authorisations,
    bucket_sums,
    connector_refs,
    epoch_of,
    links,
    rolled_through,
    sessions,
    station_ids,
    statuses,
)
from app.store.repositories.analytics_summaries import (
    Marks,
    covered,
    current_marks,
    day_peaks,
    first_fact_day,
    forget_all,
    forget_from,
    newer_facts,
    peaks_by_day,
    progress,
    read_connector_days,
    save_progress,
    scope_key,
    set_covered,
    stored_scope_days,
    write_days,
    write_scope_days,
    zone_key,
)
from app.store.schema import analytics_days, sites, transactions

_D = analytics_days.c


def plan(conn: Connection, zone: tzinfo, through: date) -> tuple[Marks, list[tuple[str, date]]]:
    """The marks to save when done, and (station, first day to summarise) for every
    station with days to do up to `through`. Stale days (facts past the saved marks)
    are forgotten here."""
    marks = current_marks(conn)
    found = progress(conn)
    if found is None or found.zone != zone_key(zone):
        forget_all(conn)
        found = None
    _name, ids = station_ids(conn, None)
    cover = covered(conn, ids)
    stale, every_from = newer_facts(conn, found.marks) if found is not None else ({}, None)
    todo: list[tuple[str, date]] = []
    for sid in ids:
        if sid in cover:
            _first, done = cover[sid]
            begin = done + timedelta(days=1)
            since = (
                min(t for t in (stale.get(sid), every_from) if t is not None)
                if (sid in stale or every_from is not None)
                else None
            )
            if since is not None:
                changed = datetime.fromtimestamp(since, zone).date()
                if changed <= done:
                    forget_from(conn, sid, changed)
                    begin = changed
        else:
            begin = first_fact_day(conn, sid, zone) or through
        if begin <= through:
            todo.append((sid, begin))
    return marks, todo


def summarise_station(
    conn: Connection, station_id: str, first: date, last: date, zone: tzinfo
) -> int:
    """Summarise the station's days first … last (at most MAX_DAYS); how many days."""
    period = ReportPeriod(first, last, zone)
    refs = connector_refs(conn, [station_id])
    ids = [station_id]
    start, end = period.start_at, period.end_at
    rolled = rolled_through(conn)
    facts = SiteFacts(
        None,
        "",
        tuple(refs),
        tuple(statuses(conn, refs, ids, start, end)),
        tuple(links(conn, ids, start, end)),
        tuple(sessions(conn, ids, start, end)),
        authorisations=tuple(authorisations(conn, ids, start, end)),
    )
    days, station_days = summarise_days(
        facts,
        period,
        peaks_by_day(conn, station_id, period, rolled),
        lambda tag, t: next_start(conn, tag, t),
    )
    conn.execute(
        delete(analytics_days).where(
            (_D.station_id == station_id) & (_D.day >= first) & (_D.day <= last)
        )
    )
    write_days(conn, days, station_days)
    before = covered(conn, ids).get(station_id)
    set_covered(conn, station_id, min(first, before[0]) if before else first, last)
    return period.days


def chunks(first: date, last: date) -> list[tuple[date, date]]:
    out = []
    while first <= last:
        end = min(last, first + timedelta(days=MAX_DAYS - 1))
        out.append((first, end))
        first = end + timedelta(days=1)
    return out


def next_start(conn: Connection, tag: str, t: float) -> float | None:
    """When the tag's next session at any station started (at t or after, within
    SURE_HORIZON_S)."""
    x = transactions.c
    began = epoch_of(x.started_at, conn.dialect.name)
    query = (
        select(began)
        .where(
            (x.id_tag == tag)
            & (x.connector_id > 0)
            & (x.started_at >= instant(t - 1))
            & (x.started_at <= instant(t + SURE_HORIZON_S + 1))
        )
        .order_by(x.started_at)
    )
    for (at,) in conn.execute(query):
        if t <= float(at) <= t + SURE_HORIZON_S:
            return float(at)
    return None


def summarise_scopes(conn: Connection, zone: tzinfo) -> None:
    """The days of each site's connectors (and of every connector) not stored yet:
    heat-map hours, full spells, highest bucket of summed mean power."""
    _name, every = station_ids(conn, None)
    sites_ids = [
        station_ids(conn, int(site))[1] for site in conn.execute(select(sites.c.id)).scalars()
    ]
    cover = covered(conn, every)
    rolled = rolled_through(conn)
    for ids in [*sites_ids, every]:
        if not ids or any(sid not in cover for sid in ids):
            continue
        first = min(cover[sid][0] for sid in ids)
        last = min(cover[sid][1] for sid in ids)
        if last < first:
            continue
        refs = connector_refs(conn, ids)
        key = scope_key(refs)
        have = stored_scope_days(conn, key, first, last)
        every_day = (first + timedelta(days=k) for k in range((last - first).days + 1))
        missing = [day for day in every_day if day not in have]
        if not missing:
            continue
        for a, b in chunks(missing[0], missing[-1]):
            period = ReportPeriod(a, b, zone)
            made = scope_day_rows(conn, ids, refs, period, rolled)
            write_scope_days(conn, key, [d for d in made if d.day in set(missing)])


def scope_day_rows(
    conn: Connection, ids: list[str], refs: list[ConnectorRef], period: ReportPeriod, rolled: int
) -> list[ScopeDay]:
    """Every day of the period for the connectors refs (of the stations ids)."""
    split = period.last + timedelta(days=1)
    made = {d.day: d for d in scope_days(read_connector_days(conn, ids, period.first, split), refs)}
    best = day_peaks(bucket_sums(conn, ids, period.start_at, period.end_at, rolled), period)
    out = []
    for k in range(period.days):
        day = period.first + timedelta(days=k)
        d = made.get(day, ScopeDay(day, (0.0,) * HOURS, ()))
        out.append(d._replace(peak=best.get(day)))
    return out


def finish(conn: Connection, zone: tzinfo, marks: Marks, now: datetime) -> None:
    save_progress(conn, zone_key(zone), marks, now)
